package org.openzoep.media.ice;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openzoep.media.stun.StunMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's role and the nomination that follows from it (RFC 8445 sections 7.3.1.1, 8.1.1 and
 * 7.3.1.5).
 *
 * <p>Role: the agent starts controlling or controlled with a random 64-bit tie-breaker; a check
 * that claims the same role is resolved by comparing tie-breakers, either by switching role or by
 * answering 487 (section 7.3.1.1), and a 487 response to its own check switches the role if it
 * has not switched since (7.2.5.1).
 *
 * <p>Regular nomination, controlling side: once a pair has succeeded, the best valid pair is
 * nominated by checking it again with USE-CANDIDATE, at once when no better pair is still
 * pending, else at the latest {@link #NOMINATION_WAIT_NANOS} after the first success; the pair is
 * selected when that check succeeds. Controlled side: USE-CANDIDATE on a check for a valid pair
 * selects it; for a pair not yet valid it is remembered, and the pair is selected when its own
 * check succeeds.
 *
 * <p>Thread: the agent's event loop; {@link #controlling()} may be read from any thread. Time:
 * {@code now} values from the agent's {@link org.openzoep.media.MediaClock}. Holds no buffers.
 */
final class Nomination {

    private static final Logger LOG = LoggerFactory.getLogger(Nomination.class);

    /** The controlling agent nominates its best valid pair at the latest this long after the first success. */
    static final long NOMINATION_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** How a request's role attribute is resolved against this agent's role (RFC 8445 section 7.3.1.1). */
    enum Conflict {
        /** No conflict, or it was resolved by switching this agent's role: answer the check. */
        NONE,
        /** The sender must switch: answer 487 (Role Conflict). */
        REJECT
    }

    private final long tieBreaker;
    private volatile boolean controlling;
    private CandidatePair nominating;
    private long firstValidAt = -1;

    Nomination(boolean controlling, long tieBreaker) {
        this.controlling = controlling;
        this.tieBreaker = tieBreaker;
    }

    boolean controlling() {
        return controlling;
    }

    long tieBreaker() {
        return tieBreaker;
    }

    /** The pair being nominated (controlling side), or null. */
    CandidatePair nominating() {
        return nominating;
    }

    /**
     * Resolves the role attribute of an authenticated check; may switch this agent's role.
     *
     * @param request borrowed for the call
     * @return whether the check is answered or rejected with 487
     */
    Conflict resolve(StunMessage request, CheckList checks) {
        if (controlling && request.has(StunMessage.ICE_CONTROLLING)) {
            if (Long.compareUnsigned(tieBreaker, request.iceControlling()) >= 0) {
                return Conflict.REJECT;
            }
            switchRole(false, checks);
        } else if (!controlling && request.has(StunMessage.ICE_CONTROLLED)) {
            if (Long.compareUnsigned(tieBreaker, request.iceControlled()) >= 0) {
                switchRole(true, checks);
            } else {
                return Conflict.REJECT;
            }
        }
        return Conflict.NONE;
    }

    /** A 487 answered a check sent in the role {@code sentControlling}: switch unless already switched. */
    void onRoleConflictResponse(boolean sentControlling, CheckList checks) {
        if (controlling == sentControlling) {
            switchRole(!sentControlling, checks);
        }
    }

    private void switchRole(boolean nowControlling, CheckList checks) {
        LOG.debug("role conflict: switching to {}", nowControlling ? "controlling" : "controlled");
        controlling = nowControlling;
        nominating = null;
        checks.controlling(nowControlling);
    }

    /**
     * Controlling side, each pacing tick: nominates the best valid pair when no better pair is
     * pending or the wait is over, by queueing it first among the triggered checks.
     */
    void tick(long now, CheckList checks) {
        if (!controlling || nominating != null) {
            return;
        }
        List<CandidatePair> pairs = checks.pairs();
        CandidatePair best = null;
        for (CandidatePair p : pairs) {
            if (p.state == PairState.SUCCEEDED) {
                best = p;
                break;
            }
        }
        if (best == null) {
            return;
        }
        boolean better = false;
        for (CandidatePair p : pairs) {
            if (p == best) {
                break;
            }
            if (p.state != PairState.FAILED) {
                better = true;
            }
        }
        if (!better || now - firstValidAt >= NOMINATION_WAIT_NANOS) {
            nominating = best;
            checks.triggerFirst(best);
        }
    }

    /** Whether a check of {@code p} sent now carries USE-CANDIDATE. */
    boolean useCandidate(CandidatePair p) {
        return p == nominating && controlling;
    }

    /** A check of {@code p} failed or timed out: a nomination of it is over. */
    void failed(CandidatePair p) {
        if (p == nominating) {
            nominating = null;
        }
    }

    /**
     * Controlled side: a check for {@code p} arrived; with USE-CANDIDATE it nominates the pair.
     *
     * @return true when the pair is to be selected now (it is already valid)
     */
    boolean onRequest(CandidatePair p, boolean useCandidate) {
        if (!useCandidate || controlling) {
            return false;
        }
        if (p.state == PairState.SUCCEEDED) {
            return true;
        }
        p.nominateOnSuccess = true;
        return false;
    }

    /**
     * A check of {@code p} succeeded (the pair is now valid).
     *
     * @param tx the check
     * @return true when the pair is to be selected: the nomination check of the controlling
     *     agent, or a pair the controlling agent nominated before its check succeeded here
     */
    boolean onSuccess(CandidatePair p, StunTransaction tx, long now) {
        if (firstValidAt < 0) {
            firstValidAt = now;
        }
        return (tx.useCandidate && controlling && tx.controlling) || (!controlling && p.nominateOnSuccess);
    }
}
