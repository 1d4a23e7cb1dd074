package org.openzoep.media.ice;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the owner's {@link IceAgent.Listener}, or nobody when none was given, and keeps a
 * listener's exception away from the agent (logged at DEBUG): a faulty callback must not stop ICE.
 *
 * <p>Thread: the agent's event loop. Holds no buffers.
 */
final class SafeListener implements IceAgent.Listener, CandidateGatherer.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

    private final IceAgent.Listener listener;

    /** @param listener may be null */
    SafeListener(IceAgent.Listener listener) {
        this.listener = listener;
    }

    private void call(Runnable r) {
        if (listener == null) {
            return;
        }
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.debug("ICE listener threw", e);
        }
    }

    @Override
    public void onLocalCandidate(IceCandidate c) {
        call(() -> listener.onLocalCandidate(c));
    }

    @Override
    public void onGatheringComplete() {
        call(() -> listener.onGatheringComplete());
    }

    @Override
    public void onConnected(IceCandidate local, IceCandidate remote) {
        call(() -> listener.onConnected(local, remote));
    }

    @Override
    public void onFailed(String reason) {
        call(() -> listener.onFailed(reason));
    }

    @Override
    public void onConsentLost() {
        call(() -> listener.onConsentLost());
    }
}
