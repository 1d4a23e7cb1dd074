package org.openzoep.media.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.openzoep.media.FakeClock;
import org.openzoep.media.stun.StunMessage;

/** STUN client transactions on a fake clock: RFC 8489 retransmission, timeouts, response matching. */
class StunClientTest {

    static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000);
    static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478);

    final FakeClock clock = new FakeClock();
    final long t0 = clock.nanoTime();
    final Base base = new Base(null, LOCAL, 65535);
    /** When each transmission happened, in ms after t0. */
    final List<Long> sentAt = new ArrayList<>();
    final StunClient client = new StunClient((b, to, m) -> sentAt.add((clock.nanoTime() - t0) / 1_000_000), new Random(1));

    /** Records the outcome; accepts responses unless told to reject. */
    static final class Outcome implements StunTransaction.Handler {
        final List<StunMessage> responses = new ArrayList<>();
        long timedOutAt = -1;
        boolean reject;
        FakeClock clock;

        @Override
        public boolean onResponse(StunTransaction tx, StunMessage response, Base base, InetSocketAddress from, long now) {
            responses.add(response);
            return !reject;
        }

        @Override
        public void onTimeout(StunTransaction tx) {
            timedOutAt = clock.nanoTime();
        }
    }

    StunTransaction start(StunRetransmission schedule, Outcome outcome) {
        outcome.clock = clock;
        StunTransaction tx = new StunTransaction(client.transactionId(), base, SERVER, new byte[] {1}, schedule, outcome,
                null, false, false);
        client.start(tx, clock.nanoTime());
        return tx;
    }

    /** Ticks every 10 ms (like the agent's tick) until {@code ms} after t0. */
    void runUntil(long ms) {
        while (clock.nanoTime() - t0 < ms * 1_000_000) {
            clock.advanceMillis(10);
            client.tick(clock.nanoTime());
        }
    }

    static StunMessage response(byte[] id, int cls, boolean fingerprint) {
        ByteBuf b = Unpooled.buffer();
        StunMessage.Writer w = StunMessage.write(b, StunMessage.BINDING, cls, id).xorMappedAddress(LOCAL);
        if (fingerprint) {
            w.fingerprint();
        }
        return StunMessage.parse(b, 0, b.readableBytes());
    }

    @Test
    void rfc8489DefaultScheduleSendsSevenTimesWithDoublingRtoAndGivesUpAfterRm() {
        StunRetransmission rfc = StunRetransmission.rfc8489(StunRetransmission.DEFAULT_RTO, 7, 16);
        assertThat(rfc.timeout()).isEqualTo(39_500_000_000L);
        Outcome o = new Outcome();
        start(rfc, o);
        runUntil(45_000);
        assertThat(sentAt).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L);
        assertThat((o.timedOutAt - t0) / 1_000_000).isEqualTo(39_500L);
        assertThat(client.pending()).isZero();
        assertThat(client.started()).isEqualTo(1);
    }

    @Test
    void gatheringScheduleIsRcThreeRmOne() {
        Outcome o = new Outcome();
        start(StunRetransmission.GATHER, o);
        runUntil(1990);
        assertThat(o.timedOutAt).isNegative();
        runUntil(5000);
        assertThat(sentAt).containsExactly(0L, 500L, 1500L);
        assertThat((o.timedOutAt - t0) / 1_000_000).isEqualTo(2000L);
    }

    @Test
    void checkScheduleCapsTheRtoAt1600MsAndFailsAtFiveSeconds() {
        Outcome o = new Outcome();
        start(StunRetransmission.CHECK, o);
        runUntil(6000);
        assertThat(sentAt).containsExactly(0L, 500L, 1500L, 3100L, 4700L);
        assertThat((o.timedOutAt - t0) / 1_000_000).isEqualTo(5000L);
    }

    @Test
    void fixedScheduleDoesNotDouble() {
        Outcome o = new Outcome();
        start(StunRetransmission.fixed(200_000_000L, 1_000_000_000L), o);
        runUntil(1500);
        assertThat(sentAt).containsExactly(0L, 200L, 400L, 600L, 800L);
        assertThat((o.timedOutAt - t0) / 1_000_000).isEqualTo(1000L);
    }

    @Test
    void badSchedulesAreRefused() {
        assertThatThrownBy(() -> StunRetransmission.rfc8489(500, 0, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StunRetransmission(500, 400, 7, 1000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAcceptedResponseEndsTheTransaction() {
        Outcome o = new Outcome();
        StunTransaction tx = start(StunRetransmission.CHECK, o);
        runUntil(600);
        assertThat(client.onResponse(response(tx.id, StunMessage.SUCCESS, true), base, SERVER, clock.nanoTime())).isTrue();
        assertThat(o.responses).hasSize(1);
        assertThat(client.pending()).isZero();
        runUntil(6000);
        assertThat(sentAt).containsExactly(0L, 500L);
        assertThat(o.timedOutAt).isNegative();
    }

    @Test
    void aRejectedResponseIsDroppedAndTheTransactionGoesOn() {
        Outcome o = new Outcome();
        o.reject = true;
        StunTransaction tx = start(StunRetransmission.CHECK, o);
        assertThat(client.onResponse(response(tx.id, StunMessage.SUCCESS, true), base, SERVER, clock.nanoTime())).isFalse();
        assertThat(client.pending()).isEqualTo(1);
        runUntil(6000);
        assertThat(sentAt).hasSize(5);
        assertThat(o.timedOutAt).isPositive();
    }

    @Test
    void unknownIdsAndBadFingerprintsAreDroppedWithoutReachingTheHandler() {
        Outcome o = new Outcome();
        StunTransaction tx = start(StunRetransmission.CHECK, o);
        assertThat(client.onResponse(response(client.transactionId(), StunMessage.SUCCESS, true), base, SERVER,
                clock.nanoTime())).isFalse();
        StunMessage forged = response(tx.id, StunMessage.SUCCESS, true);
        int last = forged.offset() + forged.length() - 1;
        forged.buffer().setByte(last, forged.buffer().getByte(last) ^ 1); // breaks the CRC
        assertThat(client.onResponse(forged, base, SERVER, clock.nanoTime())).isFalse();
        assertThat(o.responses).isEmpty();
        // no FINGERPRINT at all is allowed (RFC 8489 section 7.3: it is optional for plain STUN)
        assertThat(client.onResponse(response(tx.id, StunMessage.ERROR, false), base, SERVER, clock.nanoTime())).isTrue();
    }

    @Test
    void cancelledTransactionsNeitherResendNorTimeOut() {
        Outcome a = new Outcome();
        Outcome b = new Outcome();
        start(StunRetransmission.CHECK, a);
        start(StunRetransmission.GATHER, b);
        client.cancel(tx -> tx.handler == a);
        runUntil(6000);
        assertThat(a.timedOutAt).isNegative();
        assertThat(b.timedOutAt).isPositive();
        assertThat(sentAt).containsExactly(0L, 0L, 500L, 1500L);
    }

    @Test
    void transactionIdsAreNinetySixRandomBits() {
        byte[] a = client.transactionId();
        byte[] b = client.transactionId();
        assertThat(a).hasSize(12);
        assertThat(a).isNotEqualTo(b);
    }
}
