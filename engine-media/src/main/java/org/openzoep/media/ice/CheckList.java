package org.openzoep.media.ice;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.openzoep.media.MediaClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checklist of one ICE stream (RFC 8445 section 6.1.2): the remote candidates, the candidate
 * pairs formed with the local bases, ordered by pair priority, their states, the triggered-check
 * queue, and the pacing of checks at Ta. It decides which pair to check next; sending the check
 * and reading its response is the agent's business.
 *
 * <p>What it does: pairs each remote candidate with every base of the same address family (and
 * loopback only with loopback), which prunes pairs that cannot work (section 6.1.2.4; with only
 * host bases there are no redundant pairs to remove); orders pairs by priority (6.1.2.3) and
 * reorders them when the role changes; sets a new pair Frozen when another pair of its foundation
 * is Waiting or In-Progress, else Waiting (6.1.2.6); picks the next check as the head of the
 * triggered queue, else the best Waiting pair, else the best Frozen pair whose foundation is idle
 * (6.1.4.2), at most one per Ta; unfreezes a foundation when one of its pairs succeeds
 * (7.2.5.3.3); learns peer-reflexive remote candidates (7.3.1.3), replaced when the same address
 * is signalled; caps remote candidates at {@value #MAX_REMOTE_CANDIDATES} and pairs at
 * {@value #MAX_PAIRS}, discarding the lowest-priority Frozen or Waiting pairs (6.1.2.5).
 *
 * <p>Thread: the agent's event loop; not thread-safe. Time: {@code now} values from the injected
 * {@link MediaClock}. Holds no buffers.
 */
final class CheckList {

    private static final Logger LOG = LoggerFactory.getLogger(CheckList.class);

    /** RFC 8445 section 6.1.2.5 suggests limiting the checklist; remote candidates beyond this are ignored. */
    static final int MAX_REMOTE_CANDIDATES = 100;

    /**
     * RFC 8445 section 6.1.2.5: at most this many candidate pairs (the default limit); beyond it
     * the lowest-priority Frozen or Waiting pairs are discarded. Remote candidates times local
     * bases would otherwise make up to {@value #MAX_REMOTE_CANDIDATES} pairs per base.
     */
    static final int MAX_PAIRS = 100;

    private static final Comparator<CandidatePair> BY_PRIORITY = (a, b) -> Long.compare(b.priority, a.priority);

    private final long paceNanos;
    private final long checkTimeoutNanos;
    private final List<IceCandidate> remoteCandidates = new ArrayList<>();
    private final List<CandidatePair> pairs = new ArrayList<>();
    private final List<CandidatePair> pairsView = Collections.unmodifiableList(pairs);
    private final ArrayDeque<CandidatePair> triggered = new ArrayDeque<>();
    private boolean controlling;
    private long lastPaceAt;
    private long checksStartedAt = -1;

    /**
     * @param clock read once, so that the first check may go at once
     * @param paceNanos Ta
     * @param checkTimeoutNanos how long after checks could start the list gives up
     */
    CheckList(MediaClock clock, long paceNanos, long checkTimeoutNanos, boolean controlling) {
        this.paceNanos = paceNanos;
        this.checkTimeoutNanos = checkTimeoutNanos;
        this.controlling = controlling;
        this.lastPaceAt = clock.nanoTime() - paceNanos;
    }

    /** The pairs, best first (read-only view). */
    List<CandidatePair> pairs() {
        return pairsView;
    }

    boolean hasRemoteCandidates() {
        return !remoteCandidates.isEmpty();
    }

    /**
     * A signalled remote candidate. Only UDP candidates of the one component with a resolved
     * address and a port are taken. One whose address is known as a learnt peer-reflexive
     * candidate replaces it in its pairs (with their priorities recomputed); a new one is paired
     * with every compatible base, unless {@code acceptNew} is false or the list is full.
     */
    void addRemote(IceCandidate c, List<Base> bases, boolean acceptNew) {
        if (!"udp".equalsIgnoreCase(c.protocol()) || c.component() != IceAgent.COMPONENT
                || c.address().isUnresolved() || c.address().getPort() == 0) {
            LOG.debug("ignoring remote candidate {}", c);
            return;
        }
        for (int i = 0; i < remoteCandidates.size(); i++) {
            IceCandidate known = remoteCandidates.get(i);
            if (known.address().equals(c.address())) {
                if (known.type() == IceCandidate.Type.PRFLX && c.type() != IceCandidate.Type.PRFLX) {
                    remoteCandidates.set(i, c);
                    for (CandidatePair p : pairs) {
                        if (p.remote == known) {
                            p.remote = c;
                        }
                    }
                    reprioritise();
                }
                return;
            }
        }
        if (!acceptNew || remoteCandidates.size() >= MAX_REMOTE_CANDIDATES) {
            return;
        }
        remoteCandidates.add(c);
        for (Base base : bases) {
            if (base.pairable(c.address()) && find(base, c.address()) == null) {
                CandidatePair p = newPair(base, c);
                if (p != null) {
                    p.state = foundationActive(p) ? PairState.FROZEN : PairState.WAITING;
                }
            }
        }
    }

    /**
     * A check arrived on {@code base} from {@code from} (RFC 8445 section 7.3.1.3-4): the pair it
     * belongs to, made Waiting when new, with the sender learnt as a peer-reflexive remote
     * candidate of the PRIORITY the check carried if it is not known.
     *
     * @return null when the sender is unknown and the list is full
     */
    CandidatePair onIncomingCheck(Base base, InetSocketAddress from, long priority) {
        IceCandidate remote = findRemote(from);
        if (remote == null) {
            if (remoteCandidates.size() >= MAX_REMOTE_CANDIDATES) {
                return null;
            }
            remote = new IceCandidate(IceCandidate.foundation(IceCandidate.Type.PRFLX, from.getAddress(), null, "udp"),
                    IceAgent.COMPONENT, "udp", Math.max(priority, 0), from, IceCandidate.Type.PRFLX, null, 0);
            remoteCandidates.add(remote);
            LOG.debug("learnt peer-reflexive remote candidate {}", from);
        }
        CandidatePair p = find(base, from);
        if (p == null) {
            p = newPair(base, remote);
            if (p != null) {
                p.state = PairState.WAITING;
            }
        }
        return p;
    }

    /** Queues a triggered check (RFC 8445 section 7.3.1.4) unless one is in progress. */
    void trigger(CandidatePair p) {
        if (p.state != PairState.IN_PROGRESS) {
            p.state = PairState.WAITING;
            if (!triggered.contains(p)) {
                triggered.add(p);
            }
        }
    }

    /** Checks the pair again after a 487 role conflict (RFC 8445 section 7.2.5.1). */
    void retry(CandidatePair p) {
        p.state = PairState.WAITING;
        triggered.add(p);
    }

    /** Checks the pair before anything else (a nomination). */
    void triggerFirst(CandidatePair p) {
        triggered.addFirst(p);
    }

    void clearTriggered() {
        triggered.clear();
    }

    /** A check of the pair is being sent: it is In-Progress unless it is already valid. */
    void checking(CandidatePair p) {
        if (p.state != PairState.SUCCEEDED) {
            p.state = PairState.IN_PROGRESS;
        }
    }

    /** A check succeeded: the pair is valid and the Frozen pairs of its foundation become Waiting. */
    void succeeded(CandidatePair p) {
        p.state = PairState.SUCCEEDED;
        String f = p.foundation();
        for (CandidatePair q : pairs) {
            if (q.state == PairState.FROZEN && q.foundation().equals(f)) {
                q.state = PairState.WAITING;
            }
        }
    }

    /**
     * The pair to check now, or null: none when the last check went less than Ta ago. A pair the
     * triggered queue holds is taken when it is still Waiting or is {@code nominating}.
     */
    CandidatePair next(long now, CandidatePair nominating) {
        if (now - lastPaceAt < paceNanos) {
            return null;
        }
        CandidatePair p = nextPair(nominating);
        if (p != null) {
            lastPaceAt = now;
        }
        return p;
    }

    private CandidatePair nextPair(CandidatePair nominating) {
        while (!triggered.isEmpty()) {
            CandidatePair p = triggered.poll();
            if (p == nominating || p.state == PairState.WAITING) {
                return p;
            }
        }
        for (CandidatePair p : pairs) {
            if (p.state == PairState.WAITING) {
                return p;
            }
        }
        for (CandidatePair p : pairs) {
            if (p.state == PairState.FROZEN && !foundationActive(p)) {
                return p;
            }
        }
        return null;
    }

    /** Whether checks have run for the check timeout; the first call starts the timeout. */
    boolean timedOut(long now) {
        if (checksStartedAt < 0) {
            checksStartedAt = now;
        }
        return now - checksStartedAt >= checkTimeoutNanos;
    }

    long checkTimeoutNanos() {
        return checkTimeoutNanos;
    }

    /** Whether there are pairs, all Failed, and no triggered check is queued. */
    boolean allFailed() {
        if (!triggered.isEmpty() || pairs.isEmpty()) {
            return false;
        }
        for (CandidatePair p : pairs) {
            if (p.state != PairState.FAILED) {
                return false;
            }
        }
        return true;
    }

    /** The role changed: pair priorities are recomputed (G is the other side now). */
    void controlling(boolean c) {
        controlling = c;
        reprioritise();
    }

    CandidatePair find(Base base, InetSocketAddress remote) {
        for (CandidatePair p : pairs) {
            if (p.base == base && p.remote.address().equals(remote)) {
                return p;
            }
        }
        return null;
    }

    private IceCandidate findRemote(InetSocketAddress address) {
        for (IceCandidate c : remoteCandidates) {
            if (c.address().equals(address)) {
                return c;
            }
        }
        return null;
    }

    /** A new pair, in priority order; null when the list is full of better or busier pairs. */
    private CandidatePair newPair(Base base, IceCandidate remote) {
        CandidatePair p = new CandidatePair(base, remote);
        p.priority = CandidatePair.priority(controlling, base.host, remote);
        p.state = PairState.FROZEN; // the caller sets the real state; a new pair may be the one discarded
        pairs.add(p);
        pairs.sort(BY_PRIORITY);
        if (pairs.size() > MAX_PAIRS && !discardLowest()) {
            pairs.remove(p);
        }
        return pairs.contains(p) ? p : null;
    }

    /** Discards the lowest-priority Frozen or Waiting pair; false when there is none. */
    private boolean discardLowest() {
        for (int i = pairs.size() - 1; i >= 0; i--) {
            CandidatePair q = pairs.get(i);
            if (q.state == PairState.FROZEN || q.state == PairState.WAITING) {
                pairs.remove(i);
                triggered.remove(q);
                LOG.debug("checklist full: discarded pair {}", q);
                return true;
            }
        }
        return false;
    }

    private void reprioritise() {
        for (CandidatePair p : pairs) {
            p.priority = CandidatePair.priority(controlling, p.base.host, p.remote);
        }
        pairs.sort(BY_PRIORITY);
    }

    private boolean foundationActive(CandidatePair p) {
        String f = p.foundation();
        for (CandidatePair q : pairs) {
            if (q != p && (q.state == PairState.WAITING || q.state == PairState.IN_PROGRESS)
                    && q.foundation().equals(f)) {
                return true;
            }
        }
        return false;
    }
}
