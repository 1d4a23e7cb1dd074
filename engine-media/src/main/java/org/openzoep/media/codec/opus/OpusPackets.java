package org.openzoep.media.codec.opus;

/**
 * Reads what the engine needs from an Opus packet without decoding it (RFC 6716 section 3):
 * the TOC byte, the first frame's position, and whether that frame carries in-band FEC (SILK
 * LBRR data, section 4.2.4), by running the range decoder (section 4.1) over its first symbols.
 *
 * <p>Stateless and allocation-free; safe from any thread.
 */
public final class OpusPackets {

    private static final int[] SILK_SAMPLES = {480, 960, 1920, 2880};
    private static final int[] CELT_SAMPLES = {120, 240, 480, 960};

    private OpusPackets() {
    }

    /** Samples per channel at 48 kHz in one frame of this TOC byte's configuration. */
    public static int frameSamples48k(int toc) {
        int config = (toc >> 3) & 0x1f;
        if (config < 12) {
            return SILK_SAMPLES[config & 3];
        }
        if (config < 16) {
            return (config & 1) == 0 ? 480 : 960;
        }
        return CELT_SAMPLES[config & 3];
    }

    /**
     * True when the packet's first frame carries LBRR (FEC) data for the frame before it.
     * CELT-only packets never do. Malformed packets answer false.
     */
    public static boolean hasFec(byte[] packet, int offset, int length) {
        if (length < 2 || offset < 0 || offset > packet.length - length) {
            return false;
        }
        int toc = packet[offset] & 0xff;
        int config = toc >> 3;
        if (config >= 16) {
            return false;
        }
        int silkFrames;
        if (config < 12) {
            silkFrames = switch (config & 3) {
                case 0, 1 -> 1;
                case 2 -> 2;
                default -> 3;
            };
        } else {
            silkFrames = 1;
        }
        int channels = (toc & 0x04) != 0 ? 2 : 1;
        int end = offset + length;
        int start;
        switch (toc & 3) {
            case 0, 1 -> start = offset + 1;
            case 2 -> {
                int b = packet[offset + 1] & 0xff;
                start = offset + (b < 252 ? 2 : 3);
            }
            default -> {
                int p = offset + 1;
                int header = packet[p++] & 0xff;
                int frames = header & 0x3f;
                if (frames == 0) {
                    return false;
                }
                if ((header & 0x40) != 0) {
                    int b;
                    do {
                        if (p >= end) {
                            return false;
                        }
                        b = packet[p++] & 0xff;
                    } while (b == 255);
                }
                if ((header & 0x80) != 0) {
                    for (int i = 0; i < frames - 1; i++) {
                        if (p >= end) {
                            return false;
                        }
                        int b = packet[p++] & 0xff;
                        if (b >= 252) {
                            p++;
                        }
                    }
                }
                start = p;
            }
        }
        if (start >= end) {
            return false;
        }
        return lbrrFlag(packet, start, end, silkFrames, channels);
    }

    /**
     * Decodes the SILK header bits: per channel, one VAD flag per SILK frame, then the LBRR flag
     * (silk/dec_API.c). Each is {@code ec_dec_bit_logp(1)}; the range decoder (RFC 6716 4.1.1,
     * 4.1.3) is inlined with its state in locals so nothing is allocated.
     */
    private static boolean lbrrFlag(byte[] data, int start, int end, int silkFrames, int channels) {
        int pos = start;
        int rem = data[pos++] & 0xff;
        long rng = 128;
        long val = 127 - (rem >> 1);
        boolean any = false;
        int bits = channels * (silkFrames + 1);
        for (int k = 0; k <= bits; k++) {
            while (rng <= (1L << 23)) {
                rng <<= 8;
                int sym = rem;
                rem = pos < end ? data[pos++] & 0xff : 0;
                sym = ((sym << 8) | rem) >> 1;
                val = ((val << 8) + (255 & ~sym)) & 0x7fffffffL;
            }
            if (k == bits) {
                break;
            }
            long s = rng >>> 1;
            boolean one = val < s;
            if (one) {
                rng = s;
            } else {
                val -= s;
                rng -= s;
            }
            if ((k % (silkFrames + 1)) == silkFrames) {
                any |= one;
            }
        }
        return any;
    }
}
