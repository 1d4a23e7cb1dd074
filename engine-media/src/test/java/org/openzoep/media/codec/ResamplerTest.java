package org.openzoep.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.openzoep.media.testsupport.AudioFixtures;

class ResamplerTest {

    private static final int[][] PAIRS = {
        {8000, 48000}, {16000, 48000}, {32000, 48000}, {44100, 48000}, {24000, 48000},
        {48000, 8000}, {48000, 16000}, {48000, 32000}, {48000, 44100}, {48000, 24000},
    };

    @Test
    void everyTenMillisecondFrameInGivesExactlyOneFrameOut() {
        for (int[] pair : PAIRS) {
            int inFrame = pair[0] / 100;
            int outFrame = pair[1] / 100;
            Resampler r = new Resampler(pair[0], pair[1], inFrame);
            short[] in = AudioFixtures.tone(pair[0], 440, 8000, inFrame);
            short[] out = new short[r.maxOutput(inFrame)];
            for (int f = 0; f < 200; f++) {
                assertThat(r.process(in, 0, inFrame, out, 0)).as("%d -> %d frame %d", pair[0], pair[1], f).isEqualTo(outFrame);
            }
        }
    }

    /** Resamples a tone frame by frame and compares with the ideal tone at the output rate, delay removed. */
    private static double toneSnr(int inRate, int outRate, double freq) {
        int inFrame = inRate / 100;
        Resampler r = new Resampler(inRate, outRate, inFrame);
        short[] in = AudioFixtures.tone(inRate, freq, 10000, inRate);
        short[] out = new short[outRate + r.maxOutput(inFrame)];
        int w = 0;
        for (int off = 0; off + inFrame <= in.length; off += inFrame) {
            w += r.process(in, off, inFrame, out, w);
        }
        double delaySeconds = (double) r.delayInputSamples() / inRate;
        double sig = 0, noise = 0;
        for (int n = outRate / 10; n < w - outRate / 10; n++) {
            double ideal = 10000 * Math.sin(2 * Math.PI * freq * ((double) n / outRate - delaySeconds));
            sig += ideal * ideal;
            noise += (out[n] - ideal) * (out[n] - ideal);
        }
        return 10 * Math.log10(sig / noise);
    }

    @Test
    void tonesPassWithHighFidelity() {
        for (int[] pair : PAIRS) {
            double snr = toneSnr(pair[0], pair[1], 1000);
            System.out.printf("resampler %d -> %d: 1 kHz tone SNR %.1f dB%n", pair[0], pair[1], snr);
            assertThat(snr).as("%d -> %d", pair[0], pair[1]).isGreaterThan(60);
        }
        // near the band edge: 3 kHz through 8 kHz output (Nyquist 4 kHz)
        assertThat(toneSnr(48000, 8000, 3000)).isGreaterThan(30);
        assertThat(toneSnr(44100, 48000, 18000)).isGreaterThan(30);
    }

    @Test
    void frequenciesAboveTheOutputNyquistAreRemovedNotAliased() {
        for (int freq : new int[] {4500, 6000, 11000}) {
            double db = aliasLevelDb(freq);
            System.out.printf("resampler 48000 -> 8000: %d Hz tone (would alias into the band) at %.1f dB%n", freq, db);
            assertThat(db).as("%d Hz", freq).isLessThan(-60);
        }
    }

    private static double aliasLevelDb(int freq) {
        Resampler r = new Resampler(48000, 8000, 480);
        short[] in = AudioFixtures.tone(48000, freq, 20000, 48000);
        short[] out = new short[8000 + 100];
        int w = 0;
        for (int off = 0; off < in.length; off += 480) {
            w += r.process(in, off, 480, out, w);
        }
        double level = AudioFixtures.rms(out, 800, w - 800) / (20000 / Math.sqrt(2));
        return 20 * Math.log10(Math.max(level, 1e-9));
    }

    @Test
    void wholeSignalResamplingIsAligned() {
        short[] in = AudioFixtures.tone(16000, 700, 10000, 16000);
        short[] out = Resampler.resampleAll(in, 16000, 48000);
        short[] ideal = AudioFixtures.tone(48000, 700, 10000, 48000);
        assertThat(out).hasSize(48000);
        assertThat(AudioFixtures.snrDb(ideal, out, 4800, 38400, 0)).isGreaterThan(55);
    }

    @Test
    void badArgumentsAreRefusedWithoutThrowing() {
        Resampler r = new Resampler(8000, 48000, 80);
        assertThat(r.process(new short[160], 0, 160, new short[2000], 0)).isEqualTo(-1);
        assertThat(r.process(new short[80], 0, 80, new short[100], 0)).isEqualTo(-1);
        assertThat(r.process(new short[80], 0, 80, new short[481], 0)).isEqualTo(480);
    }

    @Test
    void processingAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Resampler up = new Resampler(44100, 48000, 441);
        Resampler down = new Resampler(48000, 8000, 480);
        short[] in = AudioFixtures.tone(44100, 440, 8000, 441);
        short[] mid = new short[up.maxOutput(441)];
        short[] out = new short[down.maxOutput(480)];
        long allocated = 0;
        for (int round = 0; round < 3; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int f = 0; f < 2000; f++) {
                int n = up.process(in, 0, 441, mid, 0);
                down.process(mid, 0, n, out, 0);
            }
            allocated = mx.getCurrentThreadAllocatedBytes() - before;
        }
        assertThat(allocated).isLessThan(2000);
    }
}
