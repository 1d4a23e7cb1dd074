package org.openzoep.media.jitter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openzoep.media.FakeClock;

class DelayEstimatorTest {

    private static final int FRAME = 960; // 20 ms at 48 kHz

    private final FakeClock clock = new FakeClock();

    private DelayEstimator estimator() {
        return new DelayEstimator(48000, 20, 1000, 0.95, 256, 80);
    }

    @Test
    void keepsTheInitialTargetUntilEnoughArrivals() {
        DelayEstimator d = estimator();
        for (int i = 0; i < JitterBuffer.MIN_ESTIMATE_PACKETS - 1; i++) {
            d.record((long) i * FRAME, clock.nanoTime());
            clock.advanceMillis(20);
            d.update(FRAME);
        }
        assertThat(d.targetTicks()).isEqualTo(80 * 48);
        assertThat(d.publishedTargetTicks()).isEqualTo(80 * 48);
    }

    @Test
    void steadyArrivalsGiveOneFrameClampedToTheMinimum() {
        DelayEstimator d = estimator();
        for (int i = 0; i < 100; i++) {
            d.record((long) i * FRAME, clock.nanoTime());
            clock.advanceMillis(20);
        }
        d.update(FRAME);
        assertThat(d.targetTicks()).isEqualTo(FRAME); // 0 relative delay + one frame = 20 ms = minimum
    }

    @Test
    void targetCoversTheQuantileOfLateArrivals() {
        DelayEstimator d = estimator();
        // every tenth packet 60 ms late: more than 5 % of the window, so the 95th percentile sees it
        for (int i = 0; i < 200; i++) {
            long late = i % 10 == 0 ? 60 : 0;
            d.record((long) i * FRAME, clock.nanoTime() + late * 1_000_000L);
            clock.advanceMillis(20);
        }
        d.update(FRAME);
        assertThat(d.targetTicks()).isEqualTo(60 * 48 + FRAME);
        assertThat(d.publishedTargetTicks()).isEqualTo(d.targetTicks());
    }

    @Test
    void targetIsClampedToTheMaximum() {
        DelayEstimator d = new DelayEstimator(48000, 20, 100, 0.95, 64, 80);
        for (int i = 0; i < 64; i++) {
            long late = i % 4 == 0 ? 500 : 0;
            d.record((long) i * FRAME, clock.nanoTime() + late * 1_000_000L);
            clock.advanceMillis(20);
        }
        d.update(FRAME);
        assertThat(d.targetTicks()).isEqualTo(100 * 48);
    }

    @Test
    void updateWithoutNewArrivalsKeepsTheTarget() {
        DelayEstimator d = estimator();
        for (int i = 0; i < 50; i++) {
            d.record((long) i * FRAME, clock.nanoTime() + (i % 10 == 0 ? 60_000_000L : 0));
            clock.advanceMillis(20);
        }
        d.update(FRAME);
        int target = d.targetTicks();
        d.update(10 * FRAME); // a different frame size would change it, had anything been recorded
        assertThat(d.targetTicks()).isEqualTo(target);
    }

    @Test
    void resetGoesBackToTheInitialTargetButKeepsThePublishedOne() {
        DelayEstimator d = estimator();
        for (int i = 0; i < 50; i++) {
            d.record((long) i * FRAME, clock.nanoTime());
            clock.advanceMillis(20);
        }
        d.update(FRAME);
        d.reset();
        assertThat(d.targetTicks()).isEqualTo(80 * 48);
        assertThat(d.publishedTargetTicks()).isEqualTo(FRAME);
        d.record(0, clock.nanoTime());
        d.update(FRAME);
        assertThat(d.targetTicks()).isEqualTo(80 * 48); // one arrival is not enough after a reset
    }
}
