package org.openzoep.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openzoep.media.FakeClock;

/** RFC 7675 consent freshness on a fake clock: check interval, per-check retransmission, expiry. */
class ConsentFreshnessTest {

    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    final FakeClock clock = new FakeClock();

    /** Ticks every 100 ms (the agent's connected tick) for {@code ms}; returns the times checks were due. */
    List<Long> run(ConsentFreshness c, long ms, boolean grantEachCheck) {
        List<Long> checks = new ArrayList<>();
        long end = clock.nanoTime() + ms * 1_000_000;
        while (clock.nanoTime() < end) {
            clock.advanceMillis(100);
            ConsentFreshness.Action a = c.tick(clock.nanoTime());
            if (a == ConsentFreshness.Action.CHECK) {
                checks.add(clock.nanoTime());
                if (grantEachCheck) {
                    c.granted(clock.nanoTime());
                }
            } else if (a == ConsentFreshness.Action.LOST) {
                checks.add(-clock.nanoTime());
            }
        }
        return checks;
    }

    @Test
    void checksComeEveryFiveSecondsPlusOrMinusTwentyPercent() {
        ConsentFreshness c = new ConsentFreshness(30 * SECOND, new Random(3));
        c.start(clock.nanoTime());
        List<Long> checks = run(c, 120_000, true);
        assertThat(checks).hasSizeBetween(19, 31);
        for (int i = 1; i < checks.size(); i++) {
            long gap = checks.get(i) - checks.get(i - 1);
            assertThat(gap).isBetween(4 * SECOND, 6 * SECOND + SECOND / 10);
        }
        assertThat(checks).allMatch(t -> t > 0); // never lost while answered
        StunRetransmission r = c.retransmission();
        assertThat(r.rto()).isEqualTo(StunRetransmission.DEFAULT_RTO);
        assertThat(r.maxRto()).isEqualTo(r.rto()); // no doubling
        assertThat(r.timeout()).isBetween(4 * SECOND, 6 * SECOND);
    }

    @Test
    void aShortTimeoutFitsSixChecksAndShortensTheRto() {
        ConsentFreshness c = new ConsentFreshness(1500_000_000L, new Random(4));
        c.start(clock.nanoTime());
        List<Long> checks = run(c, 10_000, true);
        assertThat(checks).hasSizeGreaterThan(30); // about every 250 ms
        assertThat(c.retransmission().rto()).isLessThanOrEqualTo(c.retransmission().timeout() / 4);
    }

    @Test
    void consentIsLostOnceAtTheTimeoutWithoutResponses() {
        ConsentFreshness c = new ConsentFreshness(30 * SECOND, new Random(5));
        long start = clock.nanoTime();
        c.start(start);
        List<Long> events = run(c, 29_900, false);
        assertThat(events).allMatch(t -> t > 0);
        assertThat(c.running()).isTrue();
        events = run(c, 200, false);
        assertThat(events).containsExactly(-(start + 30 * SECOND));
        assertThat(c.running()).isFalse();
        assertThat(run(c, 10_000, false)).isEmpty();
    }

    @Test
    void aResponseRestartsTheTimeout() {
        ConsentFreshness c = new ConsentFreshness(30 * SECOND, new Random(6));
        c.start(clock.nanoTime());
        run(c, 20_000, false);
        c.granted(clock.nanoTime());
        assertThat(c.sinceLastConsent(clock.nanoTime())).isZero();
        List<Long> events = run(c, 29_000, false);
        assertThat(events).allMatch(t -> t > 0);
        assertThat(c.running()).isTrue();
    }

    @Test
    void nothingIsDueBeforeStart() {
        ConsentFreshness c = new ConsentFreshness(30 * SECOND, new Random(7));
        assertThat(run(c, 60_000, false)).isEmpty();
    }
}
