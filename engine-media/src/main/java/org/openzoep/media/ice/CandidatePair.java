package org.openzoep.media.ice;

/**
 * A candidate pair (RFC 8445 section 6.1.2): a local {@link Base} and a remote candidate, with the
 * pair's priority and state. Its foundation is the base's host foundation joined with the remote
 * foundation (section 6.1.2.6 groups pairs by it for unfreezing).
 *
 * <p>Thread: mutated on the agent's event loop only; {@link #remote} is volatile because the
 * selected pair's remote address is read by any thread sending media. Holds no buffers.
 */
final class CandidatePair {

    final Base base;
    /** Replaced on the loop when a signalled candidate supersedes a learnt peer-reflexive one. */
    volatile IceCandidate remote;
    long priority;
    PairState state;
    /** Controlled side: USE-CANDIDATE arrived before this pair's own check succeeded. */
    boolean nominateOnSuccess;
    /** The local candidate whose address the success response mapped (for reporting). */
    IceCandidate validLocal;

    CandidatePair(Base base, IceCandidate remote) {
        this.base = base;
        this.remote = remote;
    }

    String foundation() {
        return base.host.foundation() + ':' + remote.foundation();
    }

    /** RFC 8445 section 6.1.2.3, with G the controlling agent's candidate. */
    static long priority(boolean controlling, IceCandidate local, IceCandidate remote) {
        return controlling ? IceCandidate.pairPriority(local.priority(), remote.priority())
                : IceCandidate.pairPriority(remote.priority(), local.priority());
    }

    @Override
    public String toString() {
        return base.address + " -> " + remote.address() + " " + state;
    }
}
