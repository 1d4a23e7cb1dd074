package org.openzoep.media.ice;

import java.util.List;

/**
 * One way of gathering local candidates for the bases of an agent (RFC 8445 section 5.1.1):
 * server-reflexive candidates from STUN servers ({@link ServerReflexiveSource}) today; relayed
 * candidates from TURN servers (RFC 8656) are another source the {@link CandidateGatherer} takes
 * in the same list. Host candidates are not a source: they exist once the bases are bound.
 *
 * <p>Thread: the agent's event loop; a source reports to its {@link Sink} on that loop, from
 * {@link #start} or later. Holds no buffers of its own (STUN requests are byte arrays its
 * transactions own).
 */
interface GatheringSource {

    /** Where a source reports; implemented by the gatherer. */
    interface Sink {
        /**
         * A candidate gathered on {@code base}; the gatherer drops it when redundant (RFC 8445
         * section 5.1.3).
         */
        void candidate(Base base, IceCandidate candidate);

        /** This source will report nothing more. Called exactly once. */
        void done(GatheringSource source);
    }

    /**
     * Starts gathering for the bases; reports each candidate and then {@link Sink#done} exactly
     * once (possibly before returning, e.g. when there is nothing to ask).
     */
    void start(List<Base> bases, long now, Sink sink);
}
