package org.openzoep.media.jitter;

/**
 * Changes the duration of decoded speech by whole pitch periods, without changing its pitch: the
 * accelerate operation removes one period (cross-fading the two periods it joins), the expand
 * operation inserts one. The period is the lag of highest normalized autocorrelation between
 * 2.5 ms and 15 ms (coarse search on every 4th sample, then refined). Frames that are neither
 * periodic enough nor quiet are left alone, so the caller tries again on a later frame; quiet
 * frames are always stretchable.
 *
 * <p>Thread: the audio thread. Allocates nothing after construction. Arrays are borrowed.
 */
public final class TimeStretcher {

    /** Minimum normalized correlation for stretching active speech. */
    public static final double MIN_CORRELATION = 0.6;
    /** Mean-square level below which a frame counts as quiet (about -50 dBov). */
    private static final double QUIET_MEAN_SQUARE = 32768.0 * 32768.0 * 1e-5;

    private final int minPeriod;
    private final int maxPeriod;
    private double lastCorrelation;

    public TimeStretcher(int sampleRate) {
        this.minPeriod = sampleRate / 400;          // 2.5 ms
        this.maxPeriod = sampleRate * 15 / 1000;    // 15 ms
    }

    /** Correlation of the period found by the last call. */
    public double lastCorrelation() {
        return lastCorrelation;
    }

    /**
     * Finds a pitch period in {@code x[off, off + n)} suitable for stretching.
     *
     * @return the period in samples, or 0 when the frame is not suitable
     */
    public int findPeriod(short[] x, int off, int n) {
        int maxP = Math.min(maxPeriod, n / 2);
        if (maxP < minPeriod) {
            return 0;
        }
        double energy = 0;
        for (int i = 0; i < 2 * maxP; i++) {
            double v = x[off + i];
            energy += v * v;
        }
        if (energy / (2 * maxP) < QUIET_MEAN_SQUARE) {
            lastCorrelation = 1;
            return maxP; // quiet: remove or insert as much as one step allows
        }
        int step = minPeriod >= 16 ? 4 : 1;
        int best = 0;
        double bestC = -1;
        for (int p = minPeriod; p <= maxP; p += step) {
            double c = correlation(x, off, p, step);
            if (c > bestC) {
                bestC = c;
                best = p;
            }
        }
        if (step > 1) {
            int lo = Math.max(minPeriod, best - step);
            int hi = Math.min(maxP, best + step);
            bestC = -1;
            for (int p = lo; p <= hi; p++) {
                double c = correlation(x, off, p, 1);
                if (c > bestC) {
                    bestC = c;
                    best = p;
                }
            }
        }
        lastCorrelation = bestC;
        return bestC >= MIN_CORRELATION ? best : 0;
    }

    private static double correlation(short[] x, int off, int p, int step) {
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int i = 0; i < p; i += step) {
            double a = x[off + i];
            double b = x[off + i + p];
            xy += a * b;
            xx += a * a;
            yy += b * b;
        }
        if (xx == 0 || yy == 0) {
            return xx == yy ? 1 : 0;
        }
        return xy / Math.sqrt(xx * yy);
    }

    /**
     * Removes one pitch period from {@code in[inOff, inOff + n)}, writing to {@code out}.
     *
     * @return samples written: {@code n - period}, or {@code n} (a plain copy) when not suitable
     */
    public int accelerate(short[] in, int inOff, int n, short[] out, int outOff) {
        int p = findPeriod(in, inOff, n);
        if (p == 0) {
            System.arraycopy(in, inOff, out, outOff, n);
            return n;
        }
        for (int i = 0; i < p; i++) {
            out[outOff + i] = (short) (((p - i) * in[inOff + i] + i * in[inOff + i + p]) / p);
        }
        System.arraycopy(in, inOff + 2 * p, out, outOff + p, n - 2 * p);
        return n - p;
    }

    /**
     * Inserts one pitch period into {@code in[inOff, inOff + n)}, writing to {@code out} (which must
     * hold {@code n + 15 ms}).
     *
     * @return samples written: {@code n + period}, or {@code n} (a plain copy) when not suitable
     */
    public int expand(short[] in, int inOff, int n, short[] out, int outOff) {
        int p = findPeriod(in, inOff, n);
        if (p == 0) {
            System.arraycopy(in, inOff, out, outOff, n);
            return n;
        }
        System.arraycopy(in, inOff, out, outOff, p);
        for (int i = 0; i < p; i++) {
            out[outOff + p + i] = (short) (((p - i) * in[inOff + p + i] + i * in[inOff + i]) / p);
        }
        System.arraycopy(in, inOff + p, out, outOff + 2 * p, n - p);
        return n + p;
    }
}
