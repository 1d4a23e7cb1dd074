package org.openzoep.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openzoep.media.FakeClock;
import org.openzoep.media.stun.StunMessage;

/** The agent's datagram path: RFC 7983 demultiplexing, early datagrams, delivery and sending by state. */
class SelectedPathTest {

    final FakeClock clock = new FakeClock();
    final Base base = new Base(null, CheckListTest.address("192.0.2.1", 5000), 65535);
    final Base other = new Base(null, CheckListTest.address("192.0.2.2", 5000), 65534);
    final InetSocketAddress peer = CheckListTest.address("198.51.100.1", 6000);
    final InetSocketAddress stranger = CheckListTest.address("198.51.100.66", 6000);
    final CheckList list = new CheckList(clock, CheckListTest.TA, CheckListTest.TIMEOUT, true);
    final List<StunMessage> stun = new ArrayList<>();
    boolean acceptStun = true;
    final SelectedPath path = new SelectedPath(clock, list, (b, m, from) -> {
        stun.add(m);
        return acceptStun;
    });
    final List<String> received = new ArrayList<>();
    final List<Long> arrivals = new ArrayList<>();
    final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    CandidatePair pair() {
        list.addRemote(CheckListTest.remote("p", 1000, "198.51.100.1", 6000), List.of(base, other), true);
        return list.find(base, peer);
    }

    void receive(Base on, InetSocketAddress from, String text) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x00).writeByte(0x80).writeCharSequence(text, StandardCharsets.ISO_8859_1);
        b.readerIndex(1); // the datagram starts at a non-zero offset
        buffers.add(b);
        path.onDatagram(on, new DatagramPacket(b, on.address, from));
    }

    void receiver() {
        path.receiver((buf, off, len, arrival) -> {
            received.add(buf.toString(off + 1, len - 1, StandardCharsets.ISO_8859_1));
            arrivals.add(arrival);
        });
    }

    @Test
    void earlyMediaFromAPairOfTheChecklistIsHeldAndHandedOverOnceSelected() {
        CandidatePair p = pair();
        receiver();
        receive(base, peer, "early");
        receive(base, stranger, "unknown");
        receive(other, peer, "other base");
        assertThat(received).isEmpty();
        assertThat(path.dropped()).isEqualTo(1); // the stranger; the other base's pair is in the checklist
        long heldAt = clock.nanoTime();
        clock.advanceMillis(30);
        path.select(p);
        path.flushEarly();
        assertThat(received).containsExactly("early");
        assertThat(arrivals).containsExactly(heldAt);
        assertThat(path.dropped()).isEqualTo(2); // held from the pair that was not selected
        receive(base, peer, "live");
        assertThat(received).containsExactly("early", "live");
        assertThat(arrivals.get(1)).isEqualTo(clock.nanoTime());
        receive(base, stranger, "not from the pair");
        assertThat(path.dropped()).isEqualTo(3);
        // from another pair of the checklist: held (the peer may be mid-switch), dropped at the next flush
        receive(other, peer, "not on the base");
        assertThat(path.dropped()).isEqualTo(3);
        path.flushEarly();
        assertThat(path.dropped()).isEqualTo(4);
        assertThat(received).containsExactly("early", "live");
    }

    @Test
    void atMostSixteenAreHeld() {
        pair();
        for (int i = 0; i < EarlyDatagrams.MAX + 3; i++) {
            receive(base, peer, "d" + i);
        }
        assertThat(path.dropped()).isEqualTo(3);
    }

    @Test
    void stunGoesToTheHandlerAndIsCountedWhenDropped() {
        pair();
        ByteBuf m = Unpooled.buffer();
        StunMessage.write(m, StunMessage.BINDING, StunMessage.REQUEST, new byte[12]).fingerprint();
        buffers.add(m);
        path.onDatagram(base, new DatagramPacket(m.duplicate(), base.address, peer));
        assertThat(stun).hasSize(1);
        assertThat(path.dropped()).isZero();
        acceptStun = false;
        path.onDatagram(base, new DatagramPacket(m.duplicate(), base.address, peer));
        assertThat(path.dropped()).isEqualTo(1);
        ByteBuf junk = Unpooled.wrappedBuffer(new byte[24]); // STUN range, no magic cookie
        buffers.add(junk);
        path.onDatagram(base, new DatagramPacket(junk, base.address, peer));
        assertThat(stun).hasSize(2);
        assertThat(path.dropped()).isEqualTo(2);
    }

    @Test
    void nothingIsDeliveredOrHeldOnceClosedOrBeforeTheBaseIsKnown() {
        CandidatePair p = pair();
        receiver();
        path.select(p);
        path.state(IceState.CLOSED);
        receive(base, peer, "closed");
        ByteBuf unbound = Unpooled.buffer(1).writeByte(0x80);
        buffers.add(unbound);
        path.onDatagram(null, new DatagramPacket(unbound, base.address, peer));
        assertThat(received).isEmpty();
        assertThat(path.dropped()).isEqualTo(2);
    }

    @Test
    void sendingBeforeConnectedAfterConsentLossOrOnAClosedSocketReleasesAndCounts() {
        ByteBuf early = Unpooled.buffer(4).writeInt(1);
        path.send(early);
        assertThat(early.refCnt()).isZero();
        CandidatePair p = pair();
        path.select(p);
        ByteBuf noSocket = Unpooled.buffer(4).writeInt(2);
        path.send(noSocket); // the test base has no socket
        assertThat(noSocket.refCnt()).isZero();
        path.state(IceState.CONSENT_LOST);
        ByteBuf lost = Unpooled.buffer(4).writeInt(3);
        path.send(lost);
        assertThat(lost.refCnt()).isZero();
        assertThat(path.unsent()).isEqualTo(3);
    }
}
