package org.openzoep.call;

import org.openzoep.media.testsupport.AudioFixtures;

/** Aligns what a party heard with what the other party sent and tells how alike they are. */
final class Similarity {
    private Similarity() {
    }

    /** The lag (samples, output = input + lag) in [0, maxLag] that best aligns {@code out} with {@code in}. */
    static int lag(short[] in, short[] out, int maxLag) {
        int dec = 8;
        short[] a = decimate(in, dec);
        short[] b = decimate(out, dec);
        int coarse = AudioFixtures.bestLag(a, b, 0, a.length, 0, maxLag / dec);
        return AudioFixtures.bestLag(in, out, 0, in.length, Math.max(0, coarse * dec - 2 * dec), coarse * dec + 2 * dec);
    }

    /** Normalised correlation of the aligned signals over the whole input. */
    static double correlation(short[] in, short[] out, int maxLag) {
        return AudioFixtures.correlation(in, out, 0, in.length, lag(in, out, maxLag));
    }

    /**
     * Speech similarity as the media tests measure it: per voiced 40 ms segment, the best
     * correlation near the running alignment, energy-weighted (the time-stretching jitter buffer
     * moves the alignment a little during a call, which one global lag would punish).
     */
    static double speech(short[] in, short[] out, int maxLag) {
        return AudioFixtures.segmentalSimilarity(in, out, lag(in, out, maxLag));
    }

    private static short[] decimate(short[] x, int d) {
        short[] y = new short[x.length / d];
        for (int i = 0; i < y.length; i++) {
            int s = 0;
            for (int k = 0; k < d; k++) {
                s += x[i * d + k];
            }
            y[i] = (short) (s / d);
        }
        return y;
    }
}
