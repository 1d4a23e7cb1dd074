package org.openzoep.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openzoep.media.FakeClock;

/** The checklist on a fake clock: pairing and pruning, priorities, pair states, triggered checks, pacing at Ta. */
class CheckListTest {

    static final long TA = 20_000_000L;
    static final long TIMEOUT = 3_000_000_000L;

    final FakeClock clock = new FakeClock();
    final Base base = new Base(null, address("192.0.2.1", 5000), 65535);
    final Base second = new Base(null, address("192.0.2.2", 5000), 65534);
    final Base v6 = new Base(null, address("2001:db8::1", 5000), 65533);
    final Base loopback = new Base(null, address("127.0.0.1", 5000), 65532);

    static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static IceCandidate remote(String foundation, long priority, String ip, int port) {
        return new IceCandidate(foundation, 1, "udp", priority, address(ip, port), IceCandidate.Type.HOST, null, 0);
    }

    CheckList list(boolean controlling) {
        return new CheckList(clock, TA, TIMEOUT, controlling);
    }

    @Test
    void pairsAreFormedOnlyWithinAnAddressFamilyAndLoopbackWithLoopback() {
        CheckList l = list(true);
        List<Base> bases = List.of(base, v6, loopback);
        l.addRemote(remote("a", 100, "198.51.100.1", 6000), bases, true);
        l.addRemote(remote("b", 100, "2001:db8::2", 6000), bases, true);
        l.addRemote(remote("c", 100, "127.0.0.2", 6000), bases, true);
        assertThat(l.pairs()).extracting(p -> p.base).containsExactlyInAnyOrder(base, v6, loopback);
        assertThat(l.find(base, address("198.51.100.1", 6000))).isNotNull();
        assertThat(l.find(v6, address("2001:db8::2", 6000))).isNotNull();
        assertThat(l.find(loopback, address("127.0.0.2", 6000))).isNotNull();
        assertThat(l.find(base, address("127.0.0.2", 6000))).isNull();
    }

    @Test
    void candidatesThatCannotBeCheckedAreIgnored() {
        CheckList l = list(true);
        List<Base> bases = List.of(base);
        l.addRemote(new IceCandidate("t", 1, "tcp", 1, address("198.51.100.1", 1), IceCandidate.Type.HOST, null, 0),
                bases, true);
        l.addRemote(new IceCandidate("r", 2, "udp", 1, address("198.51.100.1", 2), IceCandidate.Type.HOST, null, 0),
                bases, true);
        l.addRemote(remote("p", 1, "198.51.100.1", 0), bases, true);
        l.addRemote(new IceCandidate("u", 1, "udp", 1, InetSocketAddress.createUnresolved("example.org", 3),
                IceCandidate.Type.HOST, null, 0), bases, true);
        l.addRemote(remote("late", 1, "198.51.100.1", 4), bases, false);
        assertThat(l.pairs()).isEmpty();
        assertThat(l.hasRemoteCandidates()).isFalse();
    }

    @Test
    void remoteCandidatesAreCapped() {
        CheckList l = list(true);
        for (int i = 0; i < CheckList.MAX_REMOTE_CANDIDATES + 5; i++) {
            l.addRemote(remote("f" + i, 1000 + i, "198.51.100.1", 1000 + i), List.of(base), true);
        }
        assertThat(l.pairs()).hasSize(CheckList.MAX_REMOTE_CANDIDATES);
        assertThat(l.onIncomingCheck(base, address("198.51.100.9", 9), 5)).isNull();
    }

    @Test
    void pairsAreOrderedByRfc8445PairPriorityAndReorderedOnARoleSwitch() {
        CheckList l = list(true);
        IceCandidate low = remote("a", 1000, "198.51.100.1", 1);
        IceCandidate high = remote("b", 5000, "198.51.100.2", 2);
        l.addRemote(low, List.of(base, second), true);
        l.addRemote(high, List.of(base, second), true);
        long g = base.host.priority();
        assertThat(l.pairs().get(0).priority).isEqualTo((Math.min(g, 5000) << 32) + 2 * Math.max(g, 5000) + 1);
        for (int i = 1; i < l.pairs().size(); i++) {
            assertThat(l.pairs().get(i - 1).priority).isGreaterThanOrEqualTo(l.pairs().get(i).priority);
        }
        CandidatePair best = l.pairs().get(0);
        assertThat(best.base).isSameAs(base);
        assertThat(best.remote).isSameAs(high);
        l.controlling(false);
        // G is now the remote's priority, and D ours: the tie-break bit flips
        assertThat(best.priority).isEqualTo((Math.min(g, 5000) << 32) + 2 * Math.max(g, 5000));
        assertThat(l.pairs().get(0)).isSameAs(best);
    }

    @Test
    void aPairIsFrozenWhileAnotherOfItsFoundationIsActiveAndThawsWhenOneSucceeds() {
        CheckList l = list(true);
        l.addRemote(remote("same", 2000, "198.51.100.1", 1), List.of(base), true);
        l.addRemote(remote("same", 1000, "198.51.100.1", 2), List.of(base), true);
        l.addRemote(remote("other", 500, "198.51.100.1", 3), List.of(base), true);
        CandidatePair first = l.find(base, address("198.51.100.1", 1));
        CandidatePair frozen = l.find(base, address("198.51.100.1", 2));
        CandidatePair other = l.find(base, address("198.51.100.1", 3));
        assertThat(first.state).isEqualTo(PairState.WAITING);
        assertThat(frozen.state).isEqualTo(PairState.FROZEN);
        assertThat(other.state).isEqualTo(PairState.WAITING);
        l.checking(first);
        assertThat(first.state).isEqualTo(PairState.IN_PROGRESS);
        l.succeeded(first);
        assertThat(first.state).isEqualTo(PairState.SUCCEEDED);
        assertThat(frozen.state).isEqualTo(PairState.WAITING);
        l.checking(first); // re-checking a valid pair (a nomination) keeps it valid
        assertThat(first.state).isEqualTo(PairState.SUCCEEDED);
    }

    @Test
    void checksArePacedAtTaBestWaitingFirstThenUnfrozen() {
        CheckList l = list(true);
        l.addRemote(remote("x", 2000, "198.51.100.1", 1), List.of(base), true);
        l.addRemote(remote("x", 1000, "198.51.100.1", 2), List.of(base), true);
        CandidatePair a = l.find(base, address("198.51.100.1", 1));
        CandidatePair b = l.find(base, address("198.51.100.1", 2));
        long now = clock.nanoTime();
        assertThat(l.next(now, null)).isSameAs(a); // the first check may go at once
        l.checking(a);
        clock.advanceMillis(19);
        assertThat(l.next(clock.nanoTime(), null)).isNull(); // Ta not over
        clock.advanceMillis(1);
        assertThat(l.next(clock.nanoTime(), null)).isNull(); // b frozen behind a's foundation
        a.state = PairState.FAILED;
        clock.advanceMillis(20);
        assertThat(l.next(clock.nanoTime(), null)).isSameAs(b); // foundation idle: unfrozen
    }

    @Test
    void triggeredChecksGoFirstOnceEach() {
        CheckList l = list(false);
        l.addRemote(remote("a", 2000, "198.51.100.1", 1), List.of(base), true);
        CandidatePair learnt = l.onIncomingCheck(base, address("198.51.100.7", 7), 1234);
        assertThat(learnt.state).isEqualTo(PairState.WAITING);
        assertThat(learnt.remote.type()).isEqualTo(IceCandidate.Type.PRFLX);
        assertThat(learnt.remote.priority()).isEqualTo(1234);
        l.trigger(learnt);
        l.trigger(learnt);
        long now = clock.nanoTime();
        assertThat(l.next(now, null)).isSameAs(learnt);
        l.checking(learnt);
        l.trigger(learnt); // in progress: not again
        now += TA;
        CandidatePair next = l.next(now, null);
        assertThat(next).isNotSameAs(learnt);
        assertThat(next.remote.foundation()).isEqualTo("a");
    }

    @Test
    void aNominationIsTakenFromTheTriggeredQueueEvenWhenValid() {
        CheckList l = list(true);
        l.addRemote(remote("a", 2000, "198.51.100.1", 1), List.of(base), true);
        l.addRemote(remote("b", 1000, "198.51.100.1", 2), List.of(base), true);
        CandidatePair valid = l.pairs().get(1);
        l.succeeded(valid);
        l.triggerFirst(valid);
        assertThat(l.next(clock.nanoTime(), valid)).isSameAs(valid);
        l.triggerFirst(valid);
        assertThat(l.next(clock.nanoTime() + TA, null)).isNotSameAs(valid); // not nominating: skipped
    }

    @Test
    void aSignalledCandidateReplacesTheLearntPeerReflexiveOne() {
        CheckList l = list(true);
        InetSocketAddress from = address("198.51.100.1", 1);
        CandidatePair p = l.onIncomingCheck(base, from, 100);
        long before = p.priority;
        IceCandidate signalled = remote("sig", 2_000_000_000L, "198.51.100.1", 1);
        l.addRemote(signalled, List.of(base), true);
        assertThat(p.remote).isSameAs(signalled);
        assertThat(p.priority).isNotEqualTo(before);
        assertThat(l.pairs()).hasSize(1);
        assertThat(l.onIncomingCheck(base, from, 5)).isSameAs(p);
    }

    @Test
    void theCheckTimeoutRunsFromTheFirstAskAndAllFailedNeedsAnEmptyTriggerQueue() {
        CheckList l = list(true);
        long now = clock.nanoTime();
        assertThat(l.timedOut(now)).isFalse();
        assertThat(l.timedOut(now + TIMEOUT - 1)).isFalse();
        assertThat(l.timedOut(now + TIMEOUT)).isTrue();
        assertThat(l.allFailed()).isFalse(); // no pairs
        l.addRemote(remote("a", 1, "198.51.100.1", 1), List.of(base), true);
        CandidatePair p = l.pairs().get(0);
        p.state = PairState.FAILED;
        assertThat(l.allFailed()).isTrue();
        l.retry(p);
        assertThat(p.state).isEqualTo(PairState.WAITING);
        p.state = PairState.FAILED;
        assertThat(l.allFailed()).isFalse(); // a triggered check is queued
        l.clearTriggered();
        assertThat(l.allFailed()).isTrue();
    }
}
