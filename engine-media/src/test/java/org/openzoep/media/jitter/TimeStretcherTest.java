package org.openzoep.media.jitter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimeStretcherTest {

    private static short[] sine(double hz, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) Math.round(10000 * Math.sin(2 * Math.PI * hz * i / 48000));
        }
        return s;
    }

    private static int maxStep(short[] s, int n) {
        int m = 0;
        for (int i = 1; i < n; i++) {
            m = Math.max(m, Math.abs(s[i] - s[i - 1]));
        }
        return m;
    }

    @Test
    void accelerateRemovesOnePitchPeriodSmoothly() {
        short[] in = sine(200, 960); // period 240 samples
        short[] out = new short[960 + 720];
        TimeStretcher ts = new TimeStretcher(48000);
        int n = ts.accelerate(in, 0, 960, out, 0);
        assertThat(960 - n % 240).isIn(960, 720); // a whole multiple of the period was removed
        assertThat(n).isIn(720, 480);
        assertThat(ts.lastCorrelation()).isGreaterThan(0.99);
        // no click: no step larger than the sine's own steepest step (2*pi*200/48000*10000 = 262)
        assertThat(maxStep(out, n)).isLessThanOrEqualTo(270);
    }

    @Test
    void expandInsertsOnePitchPeriodSmoothly() {
        short[] in = sine(200, 960);
        short[] out = new short[960 + 720];
        TimeStretcher ts = new TimeStretcher(48000);
        int n = ts.expand(in, 0, 960, out, 0);
        assertThat((n - 960) % 240).isZero();
        assertThat(n).isGreaterThan(960);
        assertThat(maxStep(out, n)).isLessThanOrEqualTo(270);
        // the end of the output is the end of the input
        for (int i = 1; i <= 200; i++) {
            assertThat(out[n - i]).isEqualTo(in[960 - i]);
        }
    }

    @Test
    void noiseIsLeftAloneAndSilenceIsStretched() {
        SplittableRandom rnd = new SplittableRandom(1);
        short[] noise = new short[960];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) (rnd.nextInt(20000) - 10000);
        }
        short[] out = new short[960 + 720];
        TimeStretcher ts = new TimeStretcher(48000);
        assertThat(ts.accelerate(noise, 0, 960, out, 0)).isEqualTo(960);
        assertThat(ts.expand(noise, 0, 960, out, 0)).isEqualTo(960);
        short[] quiet = new short[960];
        assertThat(ts.accelerate(quiet, 0, 960, out, 0)).isEqualTo(960 - 480);
    }
}
