package org.openzoep.media.testsupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test signals (tones, espeak-ng speech) and comparisons (alignment, correlation, SNR). */
public final class AudioFixtures {

    private AudioFixtures() {
    }

    /** A sine of {@code freq} Hz at {@code amplitude} (full scale 32767), {@code samples} long. */
    public static short[] tone(int rate, double freq, int amplitude, int samples) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return s;
    }

    /**
     * Speech made with espeak-ng and resampled by sox to {@code rate} Hz mono S16, cached in
     * {@code target/}. Fails with a clear message when either tool is missing.
     */
    public static short[] speech(int rate) throws IOException, InterruptedException {
        Path dir = Path.of("target", "fixtures");
        Files.createDirectories(dir);
        Path raw = dir.resolve("speech-" + rate + ".raw");
        if (!Files.exists(raw)) {
            Path wav = dir.resolve("speech-espeak.wav");
            run("espeak-ng (Debian package espeak-ng)", "espeak-ng", "-s", "150", "-w", wav.toString(),
                    "The quick brown fox jumps over the lazy dog. OpenZoep carries voice over RTP with Opus, "
                            + "through loss, jitter and reordering.");
            Path tmp = dir.resolve("speech-" + rate + ".tmp.raw");
            run("sox (Debian package sox)", "sox", wav.toString(), "-r", Integer.toString(rate), "-c", "1", "-b", "16",
                    "-e", "signed-integer", "-t", "raw", tmp.toString());
            Files.move(tmp, raw);
        }
        byte[] bytes = Files.readAllBytes(raw);
        short[] s = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    /** Runs a command to completion (60 s deadline), failing with {@code what} if it cannot run. */
    public static void run(String what, String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd[0] + ": install " + what, e);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd[0] + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue());
        }
    }

    /** Root-mean-square level. */
    public static double rms(short[] s, int off, int len) {
        double e = 0;
        for (int i = off; i < off + len; i++) {
            e += (double) s[i] * s[i];
        }
        return Math.sqrt(e / Math.max(1, len));
    }

    /**
     * Lag in [-maxLag, maxLag] (output index = input index + lag) maximising the normalised
     * cross-correlation over {@code len} samples from {@code off} of {@code in}.
     */
    public static int bestLag(short[] in, short[] out, int off, int len, int maxLag) {
        return bestLag(in, out, off, len, -maxLag, maxLag);
    }

    /** As {@link #bestLag(short[], short[], int, int, int)}, searching lags in [minLag, maxLag]. */
    public static int bestLag(short[] in, short[] out, int off, int len, int minLag, int maxLag) {
        int best = 0;
        double bestC = Double.NEGATIVE_INFINITY;
        for (int lag = minLag; lag <= maxLag; lag++) {
            double c = correlation(in, out, off, len, lag);
            if (c > bestC) {
                bestC = c;
                best = lag;
            }
        }
        return best;
    }

    /** Normalised cross-correlation of in[off..off+len) with out[off+lag..]. */
    public static double correlation(short[] in, short[] out, int off, int len, int lag) {
        double xy = 0, xx = 0, yy = 0;
        for (int i = off; i < off + len; i++) {
            int j = i + lag;
            if (j < 0 || j >= out.length || i >= in.length) {
                continue;
            }
            xy += (double) in[i] * out[j];
            xx += (double) in[i] * in[i];
            yy += (double) out[j] * out[j];
        }
        return xx == 0 || yy == 0 ? 0 : xy / Math.sqrt(xx * yy);
    }

    /** Signal-to-noise ratio in dB of out (shifted by lag) against in. */
    public static double snrDb(short[] in, short[] out, int off, int len, int lag) {
        double sig = 0, noise = 0;
        for (int i = off; i < off + len; i++) {
            int j = i + lag;
            double d = in[i] - (j >= 0 && j < out.length ? out[j] : 0);
            sig += (double) in[i] * in[i];
            noise += d * d;
        }
        return 10 * Math.log10(sig / Math.max(noise, 1e-9));
    }

    /** Concatenates frames. */
    public static short[] concat(List<short[]> frames) {
        int n = frames.stream().mapToInt(f -> f.length).sum();
        short[] s = new short[n];
        int p = 0;
        for (short[] f : frames) {
            System.arraycopy(f, 0, s, p, f.length);
            p += f.length;
        }
        return s;
    }

    public static List<short[]> list() {
        return new ArrayList<>();
    }

    /**
     * Energy-weighted mean of the best normalized correlation of each voiced 40 ms segment of the
     * input (48 kHz), each searched within 10 ms of the previous segment's lag: the time-stretching jitter
     * buffer moves the alignment a little over a call, which a single global lag would punish.
     */
    public static double segmentalSimilarity(short[] in, short[] out, int startLag) {
        return segmental(in, out, startLag)[0];
    }

    /** {similarity, median lag of the voiced segments in samples}. */
    public static double[] segmental(short[] in, short[] out, int startLag) {
        final int RATE = 48000;
        java.util.List<Integer> lags = new java.util.ArrayList<>();
        int seg = RATE / 25;
        int window = RATE / 100;
        int lag = startLag;
        double weighted = 0;
        double weights = 0;
        for (int off = 0; off + seg <= in.length; off += seg) {
            double rms = AudioFixtures.rms(in, off, seg);
            if (rms < 300) {
                continue; // pauses say nothing about the speech path
            }
            int best = lag;
            double bestC = -2;
            for (int l = lag - window; l <= lag + window; l++) {
                if (off + l < 0 || off + l + seg > out.length) {
                    continue;
                }
                double c = AudioFixtures.correlation(in, out, off, seg, l);
                if (c > bestC) {
                    bestC = c;
                    best = l;
                }
            }
            if (bestC < 0.5) {
                // lost track (a concealed stretch, or a larger jump): search wider, coarse then fine
                // (an underrun adds delay, an acceleration removes it: search mostly later)
                int coarse = best;
                double coarseC = bestC;
                for (int l = lag - RATE / 10; l <= lag + RATE * 3 / 10; l += 8) {
                    if (off + l < 0 || off + l + seg > out.length) {
                        continue;
                    }
                    double c = AudioFixtures.correlation(in, out, off, seg, l);
                    if (c > coarseC) {
                        coarseC = c;
                        coarse = l;
                    }
                }
                for (int l = coarse - 8; coarseC > 0.6 && l <= coarse + 8; l++) {
                    if (off + l < 0 || off + l + seg > out.length) {
                        continue;
                    }
                    double c = AudioFixtures.correlation(in, out, off, seg, l);
                    if (c > bestC) {
                        bestC = c;
                        best = l;
                    }
                }
            }
            lag = best;
            lags.add(lag);
            weighted += Math.max(0, bestC) * rms;
            weights += rms;
        }
        java.util.Collections.sort(lags);
        double median = lags.isEmpty() ? startLag : lags.get(lags.size() / 2);
        return new double[] {weighted / weights, median};
    }

    /**
     * The share of the energy of {@code s} from {@code from} on that lies at {@code freq}
     * (Goertzel, 48 kHz): about 1 for a pure tone at {@code freq}, about 0 for one elsewhere.
     */
    public static double toneShare(short[] s, int from, double freq) {
        int n = s.length - from;
        double w = 2 * Math.PI * freq / 48000;
        double c = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        for (int i = from; i < s.length; i++) {
            double s0 = s[i] + c * s1 - s2;
            s2 = s1;
            s1 = s0;
            energy += (double) s[i] * s[i];
        }
        double power = s1 * s1 + s2 * s2 - c * s1 * s2;
        // a pure tone of energy E gives a Goertzel power of about E * n / 2
        return energy == 0 ? 0 : power / (energy * n / 2);
    }
}
