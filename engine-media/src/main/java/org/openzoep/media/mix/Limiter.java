package org.openzoep.media.mix;

/**
 * Brings a 32-bit sum back into 16 bits without wrap-around: a gain that drops at once to fit the
 * frame's peak and recovers slowly (about 6 dB per 100 ms at 20 ms frames), then a hard clamp, so a
 * sum of loud negative samples stays negative (libjitsi's formula wraps them to positive).
 *
 * <p>Thread: the mixing thread. Arrays borrowed.
 */
public final class Limiter {

    private static final int UNITY = 1 << 15;
    /** Release per frame, Q15: gain recovers by about 12% per frame toward unity. */
    private static final int RELEASE_STEP = UNITY / 8;

    private int gain = UNITY;

    /** Current gain in Q15 (32768 = unity). */
    public int gainQ15() {
        return gain;
    }

    /**
     * Limits {@code in[0, n)} into {@code out[0, n)}.
     *
     * @param peak the largest absolute value in {@code in}, already known to the caller
     */
    public void apply(int[] in, short[] out, int n, int peak) {
        int target = peak > Short.MAX_VALUE ? (int) ((Short.MAX_VALUE * (long) UNITY) / peak) : UNITY;
        int start = gain;
        int end;
        if (target < start) {
            end = target;
            start = target; // attack at once: the whole frame uses the reduced gain
        } else {
            end = Math.min(target, start + RELEASE_STEP);
        }
        gain = end;
        if (start == UNITY && end == UNITY) {
            for (int i = 0; i < n; i++) {
                out[i] = clamp(in[i]);
            }
            return;
        }
        // ramp the gain across the frame on release, so recovery makes no step
        long g = (long) start << 16;
        long dg = (((long) end - start) << 16) / n;
        for (int i = 0; i < n; i++) {
            out[i] = clamp((int) ((in[i] * (g >> 16)) >> 15));
            g += dg;
        }
    }

    static short clamp(int v) {
        return (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : v < Short.MIN_VALUE ? Short.MIN_VALUE : v);
    }

    public void reset() {
        gain = UNITY;
    }
}
