package org.openzoep.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openzoep.media.FakeClock;
import org.openzoep.media.stun.StunMessage;

/** Role conflicts and regular nomination on a fake clock (RFC 8445 sections 7.3.1.1, 8.1.1, 7.3.1.5). */
class NominationTest {

    final FakeClock clock = new FakeClock();
    final Base base = new Base(null, CheckListTest.address("192.0.2.1", 5000), 65535);
    final CheckList list = new CheckList(clock, CheckListTest.TA, CheckListTest.TIMEOUT, true);

    CandidatePair pair(String foundation, long priority, int port) {
        list.addRemote(CheckListTest.remote(foundation, priority, "198.51.100.1", port), List.of(base), true);
        return list.find(base, CheckListTest.address("198.51.100.1", port));
    }

    static StunTransaction check(CandidatePair p, boolean controlling, boolean useCandidate) {
        return new StunTransaction(new byte[12], p.base, p.remote.address(), new byte[0], StunRetransmission.CHECK,
                null, p, controlling, useCandidate);
    }

    static StunMessage request(boolean controlling, long tieBreaker) {
        ByteBuf b = Unpooled.buffer();
        StunMessage.Writer w = StunMessage.write(b, StunMessage.BINDING, StunMessage.REQUEST, new byte[12]);
        if (controlling) {
            w.iceControlling(tieBreaker);
        } else {
            w.iceControlled(tieBreaker);
        }
        return StunMessage.parse(b, 0, b.readableBytes());
    }

    @Test
    void theControllingAgentNominatesTheBestValidPairAtOnceWhenNothingBetterIsPending() {
        Nomination n = new Nomination(true, 7);
        CandidatePair best = pair("a", 3000, 1);
        CandidatePair worse = pair("b", 1000, 2);
        long now = clock.nanoTime();
        n.tick(now, list);
        assertThat(n.nominating()).isNull(); // nothing valid yet
        list.succeeded(best);
        assertThat(n.onSuccess(best, check(best, true, false), now)).isFalse();
        n.tick(now, list);
        assertThat(n.nominating()).isSameAs(best);
        assertThat(n.useCandidate(best)).isTrue();
        assertThat(n.useCandidate(worse)).isFalse();
        assertThat(list.next(now, n.nominating())).isSameAs(best);
        // the USE-CANDIDATE check of the controlling agent selects on success
        assertThat(n.onSuccess(best, check(best, true, true), now)).isTrue();
    }

    @Test
    void aBetterPendingPairIsAwaitedForHalfASecondAfterTheFirstSuccess() {
        Nomination n = new Nomination(true, 7);
        CandidatePair best = pair("a", 3000, 1);
        CandidatePair valid = pair("b", 1000, 2);
        list.succeeded(valid);
        long first = clock.nanoTime();
        n.onSuccess(valid, check(valid, true, false), first);
        n.tick(first + Nomination.NOMINATION_WAIT_NANOS - 1, list);
        assertThat(n.nominating()).isNull();
        n.tick(first + Nomination.NOMINATION_WAIT_NANOS, list);
        assertThat(n.nominating()).isSameAs(valid);
        n.failed(valid);
        assertThat(n.nominating()).isNull();
        best.state = PairState.FAILED;
        n.tick(first + Nomination.NOMINATION_WAIT_NANOS, list);
        assertThat(n.nominating()).isSameAs(valid);
    }

    @Test
    void theControlledAgentFollowsUseCandidate() {
        Nomination n = new Nomination(false, 7);
        CandidatePair valid = pair("a", 3000, 1);
        CandidatePair pending = pair("b", 1000, 2);
        list.succeeded(valid);
        assertThat(n.onRequest(valid, false)).isFalse();
        assertThat(n.onRequest(valid, true)).isTrue(); // valid and nominated: selected at once
        assertThat(n.onRequest(pending, true)).isFalse(); // nominated before its own check succeeded
        assertThat(pending.nominateOnSuccess).isTrue();
        assertThat(n.onSuccess(pending, check(pending, false, false), clock.nanoTime())).isTrue();
        n.tick(clock.nanoTime() + Nomination.NOMINATION_WAIT_NANOS, list);
        assertThat(n.nominating()).isNull(); // the controlled agent never nominates
    }

    @Test
    void theControllingAgentIgnoresUseCandidate() {
        Nomination n = new Nomination(true, 7);
        CandidatePair p = pair("a", 3000, 1);
        list.succeeded(p);
        assertThat(n.onRequest(p, true)).isFalse();
        assertThat(p.nominateOnSuccess).isFalse();
    }

    @Test
    void bothControllingTheLargerTieBreakerKeepsItsRole() {
        Nomination big = new Nomination(true, -1L); // 0xFFFF... unsigned: the largest
        assertThat(big.resolve(request(true, 5), list)).isEqualTo(Nomination.Conflict.REJECT);
        assertThat(big.controlling()).isTrue();
        Nomination small = new Nomination(true, 5);
        CandidatePair p = pair("a", 3000, 1);
        long before = p.priority;
        assertThat(small.resolve(request(true, -1L), list)).isEqualTo(Nomination.Conflict.NONE);
        assertThat(small.controlling()).isFalse();
        assertThat(p.priority).isNotEqualTo(before); // the checklist follows the role
    }

    @Test
    void bothControlledTheLargerTieBreakerTakesControl() {
        Nomination big = new Nomination(false, -1L);
        assertThat(big.resolve(request(false, 5), list)).isEqualTo(Nomination.Conflict.NONE);
        assertThat(big.controlling()).isTrue();
        Nomination small = new Nomination(false, 5);
        assertThat(small.resolve(request(false, -1L), list)).isEqualTo(Nomination.Conflict.REJECT);
        assertThat(small.controlling()).isFalse();
        Nomination noConflict = new Nomination(false, 5);
        assertThat(noConflict.resolve(request(true, 9), list)).isEqualTo(Nomination.Conflict.NONE);
        assertThat(noConflict.controlling()).isFalse();
    }

    @Test
    void a487SwitchesTheRoleOnlyIfItHasNotSwitchedSinceTheCheckWent() {
        Nomination n = new Nomination(true, 5);
        CandidatePair p = pair("a", 3000, 1);
        list.succeeded(p);
        n.tick(clock.nanoTime(), list);
        assertThat(n.nominating()).isSameAs(p);
        n.onRoleConflictResponse(true, list);
        assertThat(n.controlling()).isFalse();
        assertThat(n.nominating()).isNull();
        n.onRoleConflictResponse(true, list); // a second 487 for a check sent as controlling
        assertThat(n.controlling()).isFalse();
        assertThat(n.tieBreaker()).isEqualTo(5);
    }
}
