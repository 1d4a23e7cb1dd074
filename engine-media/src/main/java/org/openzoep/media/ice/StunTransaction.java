package org.openzoep.media.ice;

import java.net.InetSocketAddress;
import org.openzoep.media.stun.StunMessage;

/**
 * One STUN client transaction (RFC 8489 section 6.2): a request sent from a {@link Base} to one
 * address, resent on the {@link StunRetransmission} schedule until a response the
 * {@link Handler} accepts ends it or it times out. Run by a {@link StunClient}.
 *
 * <p>Thread: the agent's event loop. Buffers: {@link #request} is a byte array the transaction
 * owns and never changes after construction (each send wraps it).
 */
final class StunTransaction {

    /** What the owner of a transaction does with its outcome; called on the event loop. */
    interface Handler {
        /**
         * A response with this transaction's id, already checked for a valid FINGERPRINT if it
         * has one.
         *
         * @param response borrowed for the call
         * @param base where it arrived
         * @param from who sent it
         * @param now when it arrived, on the agent's clock
         * @return true when the response ends the transaction; false to drop it (counted) and
         *     keep retransmitting, e.g. when it fails authentication or came from elsewhere
         */
        boolean onResponse(StunTransaction tx, StunMessage response, Base base, InetSocketAddress from, long now);

        /** No accepted response within the timeout. */
        void onTimeout(StunTransaction tx);
    }

    final byte[] id;
    final Base base;
    final InetSocketAddress to;
    final byte[] request;
    final Handler handler;
    /** The candidate pair a check or consent check is for, or null. */
    final CandidatePair pair;
    /** Whether the request carried ICE-CONTROLLING (for a 487 response, RFC 8445 section 7.2.5.1). */
    final boolean controlling;
    /** Whether the request carried USE-CANDIDATE. */
    final boolean useCandidate;
    private final StunRetransmission schedule;
    private long rto;
    private long nextAt;
    private long giveUpAt;
    private int sends;

    StunTransaction(byte[] id, Base base, InetSocketAddress to, byte[] request, StunRetransmission schedule,
            Handler handler, CandidatePair pair, boolean controlling, boolean useCandidate) {
        this.id = id;
        this.base = base;
        this.to = to;
        this.request = request;
        this.schedule = schedule;
        this.handler = handler;
        this.pair = pair;
        this.controlling = controlling;
        this.useCandidate = useCandidate;
    }

    /** The first send happens now. */
    void started(long now) {
        rto = schedule.rto();
        nextAt = now + rto;
        giveUpAt = now + schedule.timeout();
        sends = 1;
    }

    boolean expired(long now) {
        return now - giveUpAt >= 0;
    }

    /** Whether a resend is due now; if so, the RTO doubles (up to its cap) and the resend is counted. */
    boolean resendDue(long now) {
        if (sends >= schedule.maxSends() || now - nextAt < 0) {
            return false;
        }
        rto = Math.min(rto * 2, schedule.maxRto());
        nextAt = now + rto;
        sends++;
        return true;
    }

    /** How many times the request was sent. */
    int sends() {
        return sends;
    }
}
