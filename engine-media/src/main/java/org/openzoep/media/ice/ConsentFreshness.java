package org.openzoep.media.ice;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * RFC 7675 consent freshness for the selected pair: when a consent check is due, how long each
 * one may take, and when consent is lost. The checks are ordinary authenticated Binding requests
 * the agent sends through its {@link StunClient}; they double as the keepalive (RFC 8445 section
 * 11).
 *
 * <p>Schedule: a check every {@code min(5 s, timeout / 6)}, randomised by +-20% (section 5.1), so
 * that several checks fit in the consent timeout (30 s by default); each is retransmitted at a
 * fixed RTO of at most 500 ms and gives up when the next one is due. Consent is lost when no
 * successful, symmetric response has come for the timeout; then the agent stops sending (section
 * 5.2). A shorter timeout than the RFC's 30 s is allowed (tests use it).
 *
 * <p>Thread: the agent's event loop; not thread-safe. Time: {@code now} values from the agent's
 * {@link org.openzoep.media.MediaClock}. Holds no buffers.
 */
final class ConsentFreshness {

    /** RFC 7675 section 5.1: a consent check about every 5 s. */
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What the agent does on a tick. */
    enum Action {
        NOTHING,
        /** Send a consent check now, with {@link #retransmission()}. */
        CHECK,
        /** Consent expired: stop sending and report it (once). */
        LOST
    }

    private final long timeoutNanos;
    private final Random random;
    private long lastConsentAt;
    private long nextCheckAt;
    private long interval;
    private boolean running;

    /**
     * @param timeoutNanos consent is lost after this without a successful response
     * @param random randomises the check interval
     */
    ConsentFreshness(long timeoutNanos, Random random) {
        this.timeoutNanos = timeoutNanos;
        this.random = random;
    }

    /** A pair was selected now: consent is fresh, the first check goes about one interval later. */
    void start(long now) {
        running = true;
        lastConsentAt = now;
        nextCheckAt = now + interval();
    }

    /** Whether consent is being tracked (started and not lost). */
    boolean running() {
        return running;
    }

    /** Each tick once connected: whether a check is due or consent is lost (after which nothing more is due). */
    Action tick(long now) {
        if (!running) {
            return Action.NOTHING;
        }
        if (now - lastConsentAt >= timeoutNanos) {
            running = false;
            return Action.LOST;
        }
        if (now - nextCheckAt >= 0) {
            interval = interval();
            nextCheckAt = now + interval;
            return Action.CHECK;
        }
        return Action.NOTHING;
    }

    /** The retransmission of the check {@link #tick} just asked for: a fixed RTO, giving up when the next is due. */
    StunRetransmission retransmission() {
        long rto = Math.min(StunRetransmission.DEFAULT_RTO, Math.max(interval / 4, 1));
        return StunRetransmission.fixed(rto, Math.max(interval, 1));
    }

    /** A successful response from the selected remote to a consent check arrived now. */
    void granted(long now) {
        lastConsentAt = now;
    }

    /** The time since the last successful response, in nanoseconds. */
    long sinceLastConsent(long now) {
        return now - lastConsentAt;
    }

    private long interval() {
        long base = Math.min(INTERVAL_NANOS, timeoutNanos / 6);
        return (long) (base * (0.8 + 0.4 * random.nextDouble()));
    }
}
