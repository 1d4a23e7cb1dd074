package org.openzoep.media.codec;

/**
 * Streaming polyphase windowed-sinc resampler for 16-bit mono PCM between any two integer rates
 * (8, 16, 32, 44.1 kHz and 48 kHz being the ones the engine meets).
 *
 * <p>Design: the ratio is reduced to L/M (44100 to 48000 is 147/160); a prototype low-pass at the
 * lower of the two Nyquist frequencies (times 0.92 roll-off, so the band edge is attenuated
 * rather than aliased) is a Kaiser-windowed sinc (beta 8.6, about 85 dB stopband) with 24 zero
 * crossings each side, stretched by M/L when decimating. It is stored as L phases of N taps;
 * each output is one N-tap dot product of the phase its fractional position selects. Each phase
 * is normalised to unity DC gain.
 *
 * <p>Delay and counts: the history starts as N-1 zeros, so every call returns exactly
 * {@code ceil}-accumulated {@code in * L / M} samples (for 10 ms frames at the engine's rates,
 * exactly one 10 ms frame out per frame in), and the output lags the input by N/2 input
 * samples ({@link #delayInputSamples()}).
 *
 * <p>Thread: confined to one thread. {@link #process} allocates nothing; the buffers are sized
 * at construction for {@code maxInputSamples} per call.
 */
public final class Resampler {

    private static final int ZERO_CROSSINGS = 24;
    private static final double KAISER_BETA = 8.6;
    private static final double ROLLOFF = 0.92;

    private final int inRate;
    private final int outRate;
    private final int up;
    private final int down;
    private final int taps;
    private final float[][] phases;
    private final float[] history;
    private final int maxInput;
    private int filled;
    private long position;

    /**
     * @param inRate input rate in Hz
     * @param outRate output rate in Hz
     * @param maxInputSamples the most samples one {@link #process} call will be given
     */
    public Resampler(int inRate, int outRate, int maxInputSamples) {
        if (inRate <= 0 || outRate <= 0 || maxInputSamples <= 0) {
            throw new IllegalArgumentException("rates and frame size must be positive");
        }
        this.inRate = inRate;
        this.outRate = outRate;
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        double stretch = Math.max(1.0, (double) down / up);
        this.taps = 4 * (int) Math.ceil(ZERO_CROSSINGS * stretch / 2);
        this.phases = design(up, down, taps);
        this.maxInput = maxInputSamples;
        this.history = new float[taps - 1 + maxInputSamples];
        reset();
    }

    private static float[][] design(int up, int down, int taps) {
        double cutoff = 0.5 * Math.min(1.0, (double) up / down) * ROLLOFF; // cycles per input sample
        double half = taps / 2.0;
        double i0Beta = besselI0(KAISER_BETA);
        float[][] h = new float[up][taps];
        for (int p = 0; p < up; p++) {
            double sum = 0;
            double[] c = new double[taps];
            for (int k = 0; k < taps; k++) {
                double t = (half - 1) + (double) p / up - k; // distance from the output instant, in input samples
                double x = 2 * cutoff * t;
                double sinc = Math.abs(x) < 1e-12 ? 1.0 : Math.sin(Math.PI * x) / (Math.PI * x);
                double r = t / half;
                double w = Math.abs(r) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
                c[k] = 2 * cutoff * sinc * w;
                sum += c[k];
            }
            for (int k = 0; k < taps; k++) {
                h[p][k] = (float) (c[k] / sum);
            }
        }
        return h;
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 50; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
            if (term < 1e-12 * sum) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Forgets the history (e.g. at a stream change); the delay restarts from zeros. */
    public void reset() {
        java.util.Arrays.fill(history, 0f);
        filled = taps - 1;
        position = 0;
    }

    /** Most samples one call can produce for {@code inputSamples} input samples. */
    public int maxOutput(int inputSamples) {
        return (int) (((long) inputSamples * up + down - 1) / down) + 1;
    }

    /**
     * Resamples {@code inLen} samples; returns how many were written to {@code out} (at most
     * {@link #maxOutput}{@code (inLen)}). Returns -1 without touching state if
     * {@code inLen > maxInputSamples} or {@code out} has less than {@code maxOutput(inLen)} room
     * after {@code outOff}.
     */
    public int process(short[] in, int inOff, int inLen, short[] out, int outOff) {
        if (inLen < 0 || inLen > maxInput || inOff < 0 || inOff > in.length - inLen
                || outOff < 0 || out.length - outOff < maxOutput(inLen)) {
            return -1;
        }
        float[] buf = history;
        for (int i = 0; i < inLen; i++) {
            buf[filled + i] = in[inOff + i];
        }
        int available = filled + inLen;
        int written = 0;
        long pos = position;
        int n = taps;
        while (true) {
            int base = (int) (pos / up);
            if (base + n > available) {
                break;
            }
            float[] h = phases[(int) (pos % up)];
            // Four partial sums: independent chains the CPU can overlap (taps are a multiple of 4).
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            for (int k = 0; k < n; k += 4) {
                int b = base + k;
                a0 += h[k] * buf[b];
                a1 += h[k + 1] * buf[b + 1];
                a2 += h[k + 2] * buf[b + 2];
                a3 += h[k + 3] * buf[b + 3];
            }
            float acc = (a0 + a1) + (a2 + a3);
            int s = Math.round(acc);
            out[outOff + written++] = (short) (s > 32767 ? 32767 : (s < -32768 ? -32768 : s));
            pos += down;
        }
        int consumed = (int) (pos / up);
        System.arraycopy(buf, consumed, buf, 0, available - consumed);
        filled = available - consumed;
        position = pos - (long) consumed * up;
        return written;
    }

    /** The output's delay behind the input, in input samples. */
    public int delayInputSamples() {
        return taps / 2;
    }

    /** Taps per output sample (the cost of one output sample, in multiply-adds). */
    public int taps() {
        return taps;
    }

    public int inRate() {
        return inRate;
    }

    public int outRate() {
        return outRate;
    }

    /**
     * Resamples a whole signal at once, compensating the filter delay so output sample 0 lines up
     * with input sample 0. Allocates; meant for loading files, not for the per-frame path.
     */
    public static short[] resampleAll(short[] in, int inRate, int outRate) {
        Resampler r = new Resampler(inRate, outRate, 4096);
        int delayOut = (int) Math.round((double) r.delayInputSamples() * outRate / inRate);
        int total = (int) ((long) in.length * outRate / inRate);
        short[] out = new short[total + delayOut + r.maxOutput(4096) * 2];
        int w = 0;
        short[] zeros = new short[4096];
        for (int off = 0; off < in.length; off += 4096) {
            w += r.process(in, off, Math.min(4096, in.length - off), out, w);
        }
        while (w < total + delayOut) {
            w += r.process(zeros, 0, 4096, out, w);
        }
        return java.util.Arrays.copyOfRange(out, delayOut, delayOut + total);
    }
}
