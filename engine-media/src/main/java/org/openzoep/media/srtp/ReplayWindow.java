package org.openzoep.media.srtp;

/**
 * A sliding replay window over a packet index (RFC 3711 section 3.3.2): remembers which of the
 * last {@code size} indices up to the highest one accepted were seen. Bit {@code i mod capacity}
 * of a ring of words stands for index {@code i}; advancing the top clears the bits it passes.
 *
 * <p>Thread: owned by one {@link SrtpContext}.
 */
final class ReplayWindow {

    private final int size;
    private final long[] bits;
    private final int capacity;
    private long top = -1;

    ReplayWindow(int size) {
        this.size = size;
        this.bits = new long[(size + 63) >>> 6];
        this.capacity = bits.length << 6;
    }

    /** Whether {@code index} must be rejected: seen already, or older than the window. */
    boolean rejects(long index) {
        if (index < 0) {
            return true;
        }
        if (index > top) {
            return false;
        }
        if (top - index >= size) {
            return true;
        }
        int bit = (int) (index % capacity);
        return (bits[bit >>> 6] & (1L << bit)) != 0;
    }

    /** Records an authenticated {@code index} (not {@linkplain #rejects rejected}). */
    void accept(long index) {
        if (index > top) {
            long advance = top < 0 ? capacity : index - top;
            if (advance >= capacity) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long i = top + 1; i < index; i++) {
                    int bit = (int) (i % capacity);
                    bits[bit >>> 6] &= ~(1L << bit);
                }
            }
            top = index;
        }
        int bit = (int) (index % capacity);
        bits[bit >>> 6] |= 1L << bit;
    }

    long top() {
        return top;
    }
}
