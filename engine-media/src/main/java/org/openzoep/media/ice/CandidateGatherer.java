package org.openzoep.media.ice;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Gathers an agent's local candidates (RFC 8445 section 5.1.1) and keeps the list of those
 * signalled: the host candidate of every bound {@link Base}, then whatever its
 * {@link GatheringSource}s report, without redundant candidates (section 5.1.3: one whose address
 * is already signalled, or a reflexive one equal to its base while host candidates are
 * signalled). Gathering is complete when every source is done.
 *
 * <p>Sources, in the order given: {@link ServerReflexiveSource} for STUN servers. A TURN relay
 * source (RFC 8656) goes in the same list and reports {@link IceCandidate.Type#RELAY} candidates
 * through the same {@link GatheringSource.Sink}; nothing else here changes for it.
 *
 * <p>Hidden host candidates: when host candidates are not signalled they are still bases, the
 * agent reports a base's first server-reflexive candidate in their place, and a reflexive
 * candidate equal to its base is kept (so srflx can be proven on a NAT-less machine).
 *
 * <p>Thread: the agent's event loop; {@link #signalled()} may be read from any thread. Holds no
 * buffers.
 */
final class CandidateGatherer implements GatheringSource.Sink {

    /** Receives the gathering events; on the event loop. */
    interface Listener {
        void onLocalCandidate(IceCandidate c);

        void onGatheringComplete();
    }

    private final boolean signalHost;
    private final List<GatheringSource> sources;
    private final Listener listener;
    private final List<IceCandidate> signalled = new CopyOnWriteArrayList<>();
    private final List<GatheringSource> running = new ArrayList<>();
    private List<Base> bases = List.of();
    private boolean complete;
    private boolean closed;

    /**
     * @param signalHost whether host candidates are signalled
     * @param sources what to gather beyond host candidates, in this order
     */
    CandidateGatherer(boolean signalHost, List<GatheringSource> sources, Listener listener) {
        this.signalHost = signalHost;
        this.sources = List.copyOf(sources);
        this.listener = listener;
    }

    /**
     * The bases are bound: their host candidates join the signalled list (when signalled), before
     * anyone is told, so that the agent's owner sees them as soon as it has the agent.
     */
    void bound(List<Base> bound) {
        this.bases = List.copyOf(bound);
        if (signalHost) {
            for (Base base : bases) {
                signalled.add(base.host);
            }
        }
    }

    /** Reports the host candidates, then starts every source. */
    void start(long now) {
        if (signalHost) {
            for (Base base : bases) {
                listener.onLocalCandidate(base.host);
            }
        }
        running.addAll(sources);
        for (GatheringSource source : sources) {
            source.start(bases, now, this);
        }
        if (running.isEmpty() && !complete) {
            complete = true;
            listener.onGatheringComplete();
        }
    }

    @Override
    public void candidate(Base base, IceCandidate c) {
        if (closed || (signalHost && c.address().equals(base.address)) || isSignalled(c.address())) {
            return;
        }
        if (c.type() == IceCandidate.Type.SRFLX && base.srflx == null) {
            base.srflx = c;
        }
        signalled.add(c);
        listener.onLocalCandidate(c);
    }

    @Override
    public void done(GatheringSource source) {
        // all sources are in the running list before the first starts, so an early finisher cannot complete it
        if (running.remove(source) && running.isEmpty() && !closed) {
            complete = true;
            listener.onGatheringComplete();
        }
    }

    /** Whether every source is done. */
    boolean complete() {
        return complete;
    }

    /** The candidates signalled so far; a live, thread-safe list. */
    List<IceCandidate> signalled() {
        return signalled;
    }

    /**
     * The local candidate to report for a pair on {@code base} when no response named one: the
     * host candidate, or the first server-reflexive one when hosts are hidden.
     */
    IceCandidate reported(Base base) {
        return signalHost || base.srflx == null ? base.host : base.srflx;
    }

    boolean isSignalled(InetSocketAddress a) {
        for (IceCandidate c : signalled) {
            if (c.address().equals(a)) {
                return true;
            }
        }
        return false;
    }

    /** Nothing more is reported. */
    void close() {
        closed = true;
    }
}
