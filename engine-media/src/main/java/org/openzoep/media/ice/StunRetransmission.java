package org.openzoep.media.ice;

import java.util.concurrent.TimeUnit;

/**
 * The retransmission schedule of one STUN client transaction over UDP (RFC 8489 section 6.2.1):
 * the request is sent, then resent after RTO, with the RTO doubled after each resend (up to
 * {@code maxRto}), at most {@code maxSends} times in all (Rc); the transaction times out
 * {@code timeout} after the first send.
 *
 * <p>The RFC's own schedule is {@link #rfc8489(long, int, int)}: with RTO 500 ms, Rc 7 and Rm 16
 * it sends at 0, 0.5, 1.5, 3.5, 7.5, 15.5 and 31.5 s and gives up at 39.5 s. ICE shortens it
 * (RFC 8445 section 14.3 leaves Rc and Rm to the agent): see the constants below.
 *
 * <p>Thread: immutable, any thread.
 *
 * @param rto initial RTO, nanoseconds (positive)
 * @param maxRto the RTO stops doubling here, nanoseconds
 * @param maxSends Rc, the most times the request is sent (first send included)
 * @param timeout from the first send to the transaction's failure, nanoseconds
 */
record StunRetransmission(long rto, long maxRto, int maxSends, long timeout) {

    /** RFC 8489 section 6.2.1's recommended initial RTO. */
    static final long DEFAULT_RTO = TimeUnit.MILLISECONDS.toNanos(500);

    /** Gathering from a STUN server: sends at 0, 0.5 and 1.5 s, gives up at 2 s (Rc 3, Rm 1). */
    static final StunRetransmission GATHER = rfc8489(DEFAULT_RTO, 3, 1);

    /**
     * Connectivity checks: RTO capped at 1.6 s, sends at 0, 0.5, 1.5, 3.1 and 4.7 s, fails at 5 s
     * (a pair is rechecked sooner than a plain STUN request would give up).
     */
    static final StunRetransmission CHECK = new StunRetransmission(DEFAULT_RTO, TimeUnit.MILLISECONDS.toNanos(1600),
            Integer.MAX_VALUE, TimeUnit.SECONDS.toNanos(5));

    StunRetransmission {
        if (rto <= 0 || maxRto < rto || maxSends < 1 || timeout <= 0) {
            throw new IllegalArgumentException("rto " + rto + ", max rto " + maxRto + ", Rc " + maxSends
                    + ", timeout " + timeout);
        }
    }

    /**
     * RFC 8489 section 6.2.1: Rc sends with the RTO doubling each time, and failure Rm times the
     * initial RTO after the last send.
     *
     * @param rto initial RTO, nanoseconds
     * @param rc Rc, 1 to 31
     * @param rm Rm, positive
     */
    static StunRetransmission rfc8489(long rto, int rc, int rm) {
        if (rc < 1 || rc > 31 || rm < 1) {
            throw new IllegalArgumentException("Rc " + rc + ", Rm " + rm);
        }
        long lastSend = rto * ((1L << (rc - 1)) - 1);
        return new StunRetransmission(rto, Long.MAX_VALUE, rc, lastSend + rm * rto);
    }

    /** A fixed RTO (no doubling) with a timeout: consent checks (RFC 7675 section 5.1). */
    static StunRetransmission fixed(long rto, long timeout) {
        return new StunRetransmission(rto, rto, Integer.MAX_VALUE, timeout);
    }
}
