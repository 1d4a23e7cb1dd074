package org.openzoep.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.media.testsupport.IceEvents;
import org.openzoep.media.FakeClock;
import org.openzoep.media.testsupport.Await;

/** Real agents on 127.0.0.1: connect, trickle and prflx, role conflict, failure, consent, the transport. */
class IceAgentTest {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static EventLoopGroup group;
    final List<IceAgent> agents = new ArrayList<>();

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closeAgents() throws Exception {
        for (IceAgent a : agents) {
            a.closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    IceAgent start(boolean controlling, IceEvents events) throws Exception {
        return start(IceAgent.builder(group).controlling(controlling).listener(events));
    }

    IceAgent start(IceAgent.Builder b) throws Exception {
        IceAgent a = b.hostAddresses(List.of(LOOPBACK)).start().toCompletableFuture().get(5, TimeUnit.SECONDS);
        agents.add(a);
        return a;
    }

    /**
     * Tells {@code to} everything about {@code from}, as signalling would, and waits until its
     * event loop has taken it in (so that checks from {@code from} cannot overtake it).
     */
    static void signal(IceAgent from, IceAgent to) throws Exception {
        to.remoteCredentials(from.localUfrag(), from.localPassword());
        from.localCandidates().forEach(to::addRemoteCandidate);
        to.remoteCandidatesComplete();
        to.eventLoop().submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    /** Receives into copies (the receiver only borrows). */
    static BlockingQueue<String> collect(IceAgent agent) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        agent.receiver((buf, offset, length, arrival) -> q.add(buf.toString(offset, length, StandardCharsets.ISO_8859_1)));
        return q;
    }

    static ByteBuf datagram(String text) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
        b.writeByte(0x80); // an RTP-range first byte (RFC 7983)
        b.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        return b;
    }

    static int closedPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return s.getLocalPort();
        }
    }

    @Test
    void credentialsAndHostCandidate() throws Exception {
        IceEvents e = new IceEvents();
        IceAgent a = start(false, e);
        assertThat(a.localUfrag()).matches("[A-Za-z0-9+/]{4,}");
        assertThat(a.localPassword()).matches("[A-Za-z0-9+/]{22,}");
        assertThat(a.controlling()).isFalse();
        e.gathered.get(5, TimeUnit.SECONDS);
        assertThat(a.localCandidates()).hasSize(1);
        IceCandidate host = a.localCandidates().get(0);
        assertThat(host.type()).isEqualTo(IceCandidate.Type.HOST);
        assertThat(host.address().getAddress()).isEqualTo(LOOPBACK);
        assertThat(host.address().getPort()).isPositive();
        assertThat(host.priority()).isEqualTo(IceCandidate.priority(IceCandidate.Type.HOST, 65535, 1));
        assertThat(host.protocol()).isEqualTo("udp");
        assertThat(host.component()).isEqualTo(1);
        assertThat(e.candidates).containsExactly(host);
        assertThat(start(false, new IceEvents()).localUfrag()).isNotEqualTo(a.localUfrag());
    }

    @Test
    void gatheringGivesUpOnASilentStunServerAfterAboutTwoSeconds() throws Exception {
        IceEvents e = new IceEvents();
        long t0 = System.nanoTime();
        IceAgent a = start(IceAgent.builder(group).listener(e)
                .stunServers(List.of(new InetSocketAddress(LOOPBACK, closedPort()))));
        assertThat(a.socketAddresses()).containsExactly(a.localCandidates().get(0).address());
        e.gathered.get(5, TimeUnit.SECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(ms).isBetween(1900L, 3500L);
        assertThat(e.candidates).extracting(IceCandidate::type).containsExactly(IceCandidate.Type.HOST);
    }

    @Test
    void sendBeforeConnectedReleasesAndCounts() throws Exception {
        IceAgent a = start(true, new IceEvents());
        ByteBuf b = datagram("too early");
        a.send(b);
        assertThat(b.refCnt()).isZero();
        assertThat(a.unsentDatagrams()).isEqualTo(1);
        assertThat(a.remoteAddress()).isNull();
    }

    @Test
    void twoAgentsConnectAndCarryDatagramsBothWays() throws Exception {
        IceEvents ea = new IceEvents();
        IceEvents eb = new IceEvents();
        IceAgent a = start(true, ea);
        IceAgent b = start(false, eb);
        BlockingQueue<String> atA = collect(a);
        BlockingQueue<String> atB = collect(b);
        signal(a, b);
        signal(b, a);
        IceCandidate[] pa = ea.awaitConnected();
        IceCandidate[] pb = eb.awaitConnected();
        assertThat(pa[0]).isEqualTo(a.localCandidates().get(0));
        assertThat(pa[1]).isEqualTo(b.localCandidates().get(0));
        assertThat(pb[0]).isEqualTo(b.localCandidates().get(0));
        assertThat(pb[1]).isEqualTo(a.localCandidates().get(0));
        assertThat(a.remoteAddress()).isEqualTo(b.localCandidates().get(0).address());
        assertThat(b.remoteAddress()).isEqualTo(a.localCandidates().get(0).address());
        assertThat(a.controlling()).isTrue();
        assertThat(b.controlling()).isFalse();
        assertThat(a.checksSent()).isPositive();

        for (int i = 0; i < 20; i++) {
            a.send(datagram("a" + i));
            b.send(datagram("b" + i));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(atB.poll(5, TimeUnit.SECONDS)).isEqualTo("\u0080a" + i);
            assertThat(atA.poll(5, TimeUnit.SECONDS)).isEqualTo("\u0080b" + i);
        }
        assertThat(ea.failed).isNotDone();
        assertThat(eb.failed).isNotDone();
    }

    @Test
    void oneSocketAndCandidatePerHostAddressAndTheBestPairWins() throws Exception {
        InetAddress second = InetAddress.getByName("127.0.0.2"); // all of 127/8 is loopback on Linux
        IceEvents ea = new IceEvents();
        IceEvents eb = new IceEvents();
        IceAgent a = IceAgent.builder(group).controlling(true).listener(ea).hostAddresses(List.of(second, LOOPBACK))
                .start().toCompletableFuture().get(5, TimeUnit.SECONDS);
        agents.add(a);
        IceAgent b = start(false, eb);
        ea.gathered.get(5, TimeUnit.SECONDS);
        List<IceCandidate> mine = a.localCandidates();
        assertThat(mine).hasSize(2);
        assertThat(mine).extracting(c -> c.address().getAddress()).containsExactly(second, LOOPBACK);
        assertThat(mine.get(0).priority()).isEqualTo(IceCandidate.priority(IceCandidate.Type.HOST, 65535, 1));
        assertThat(mine.get(1).priority()).isEqualTo(IceCandidate.priority(IceCandidate.Type.HOST, 65534, 1));
        assertThat(mine.get(0).foundation()).isNotEqualTo(mine.get(1).foundation());
        assertThat(a.socketAddresses()).containsExactly(mine.get(0).address(), mine.get(1).address());
        signal(a, b);
        signal(b, a);
        IceCandidate[] pa = ea.awaitConnected();
        IceCandidate[] pb = eb.awaitConnected();
        // the best pair: A's preferred (first) address, which B sees as that host candidate
        assertThat(pa[0]).isEqualTo(mine.get(0));
        assertThat(pb[1]).isEqualTo(mine.get(0));
        assertThat(a.localAddress()).isEqualTo(mine.get(0).address());
    }

    @Test
    void datagramsFromOtherAddressesAreDroppedAndCounted() throws Exception {
        IceEvents ea = new IceEvents();
        IceEvents eb = new IceEvents();
        IceAgent a = start(true, ea);
        IceAgent b = start(false, eb);
        BlockingQueue<String> atA = collect(a);
        signal(a, b);
        signal(b, a);
        ea.awaitConnected();
        eb.awaitConnected();
        long before = a.droppedDatagrams();
        byte[] media = {(byte) 0x80, 1, 2, 3};
        byte[] junkStun = new byte[24]; // first byte 0: STUN range, but no magic cookie
        try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            InetSocketAddress to = a.localCandidates().get(0).address();
            stranger.send(new java.net.DatagramPacket(media, media.length, to));
            stranger.send(new java.net.DatagramPacket(junkStun, junkStun.length, to));
        }
        Await.until("two drops", Duration.ofSeconds(5), () -> a.droppedDatagrams() >= before + 2);
        assertThat(atA).isEmpty();
        b.send(datagram("still fine"));
        assertThat(atA.poll(5, TimeUnit.SECONDS)).isEqualTo("\u0080still fine");
    }

    @Test
    void lateCredentialsAndTrickleOutOfOrderGoThroughPeerReflexive() throws Exception {
        IceEvents ea = new IceEvents();
        IceEvents eb = new IceEvents();
        IceAgent a = start(true, ea);
        IceAgent b = start(false, eb);
        // A learns everything about B at once, and first a better candidate that goes nowhere
        a.remoteCredentials(b.localUfrag(), b.localPassword());
        InetSocketAddress nowhere = new InetSocketAddress(LOOPBACK, closedPort());
        a.addRemoteCandidate(new IceCandidate("dead", 1, "udp", 0x7FFFFFFFL, nowhere, IceCandidate.Type.HOST, null, 0));
        Thread.sleep(100);
        b.localCandidates().forEach(a::addRemoteCandidate);
        // B hears A's checks before it knows anything about A: they are answered, A's address is
        // learnt as peer-reflexive, and B's triggered check waits for the credentials
        Await.until("A's checks reaching B", Duration.ofSeconds(5), () -> a.checksSent() >= 2);
        Thread.sleep(300);
        assertThat(eb.connected).isNotDone();
        b.remoteCredentials(a.localUfrag(), a.localPassword());
        IceCandidate[] pb = eb.awaitConnected();
        IceCandidate[] pa = ea.awaitConnected();
        assertThat(pb[1].type()).isEqualTo(IceCandidate.Type.PRFLX);
        assertThat(pb[1].address()).isEqualTo(a.localCandidates().get(0).address());
        assertThat(pb[1].priority()).isEqualTo(IceCandidate.priority(IceCandidate.Type.PRFLX, 65535, 1));
        assertThat(pa[1].address()).isEqualTo(b.localCandidates().get(0).address());
        // A's candidate trickles in after the fact: harmless
        a.localCandidates().forEach(b::addRemoteCandidate);
        BlockingQueue<String> atA = collect(a);
        BlockingQueue<String> atB = collect(b);
        a.send(datagram("to b"));
        b.send(datagram("to a"));
        assertThat(atB.poll(5, TimeUnit.SECONDS)).isEqualTo("\u0080to b");
        assertThat(atA.poll(5, TimeUnit.SECONDS)).isEqualTo("\u0080to a");
    }

    @Test
    void bothControllingResolveTheRoleConflict() throws Exception {
        IceEvents ea = new IceEvents();
        IceEvents eb = new IceEvents();
        IceAgent a = start(true, ea);
        IceAgent b = start(true, eb);
        signal(a, b);
        signal(b, a);
        ea.awaitConnected();
        eb.awaitConnected();
        assertThat(a.controlling()).isNotEqualTo(b.controlling());
        BlockingQueue<String> atB = collect(b);
        a.send(datagram("x"));
        assertThat(atB.poll(5, TimeUnit.SECONDS)).isEqualTo("\u0080x");
    }

    @Test
    void bothControlledResolveTheRoleConflict() throws Exception {
        IceEvents ea = new IceEvents();
        IceEvents eb = new IceEvents();
        IceAgent a = start(false, ea);
        IceAgent b = start(false, eb);
        signal(a, b);
        signal(b, a);
        ea.awaitConnected();
        eb.awaitConnected();
        assertThat(a.controlling()).isNotEqualTo(b.controlling());
    }

    @Test
    void unreachableRemoteFailsAtTheCheckTimeoutOnAFakeClock() throws Exception {
        FakeClock clock = new FakeClock();
        IceEvents e = new IceEvents();
        IceAgent a = start(IceAgent.builder(group).controlling(true).listener(e).clock(clock)
                .checkTimeout(Duration.ofSeconds(3)));
        a.remoteCredentials("abcd", "0123456789012345678901");
        a.addRemoteCandidate(new IceCandidate("1", 1, "udp", 2130706431L, new InetSocketAddress(LOOPBACK, closedPort()),
                IceCandidate.Type.HOST, null, 0));
        Await.until("the first check", Duration.ofSeconds(5), () -> a.checksSent() >= 1);
        clock.advanceMillis(2900);
        Thread.sleep(200); // several ticks see the advanced clock
        assertThat(e.failed).isNotDone();
        clock.advanceMillis(200);
        assertThat(e.failed.get(5, TimeUnit.SECONDS)).contains("no candidate pair succeeded");
        assertThat(e.connected).isNotDone();
    }

    @Test
    void unreachableRemoteFailsWithinTheCheckTimeout() throws Exception {
        IceEvents e = new IceEvents();
        IceAgent a = start(IceAgent.builder(group).controlling(false).listener(e).checkTimeout(Duration.ofMillis(800)));
        long t0 = System.nanoTime();
        a.remoteCredentials("abcd", "0123456789012345678901");
        a.addRemoteCandidate(new IceCandidate("1", 1, "udp", 2130706431L, new InetSocketAddress(LOOPBACK, closedPort()),
                IceCandidate.Type.HOST, null, 0));
        e.failed.get(5, TimeUnit.SECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(ms).isBetween(700L, 3000L);
    }

    @Test
    void consentHoldsWhileThePeerAnswersAndIsLostWhenItCloses() throws Exception {
        IceEvents ea = new IceEvents();
        IceEvents eb = new IceEvents();
        IceAgent a = start(IceAgent.builder(group).controlling(true).listener(ea).consentTimeout(Duration.ofMillis(1500)));
        IceAgent b = start(IceAgent.builder(group).controlling(false).listener(eb).consentTimeout(Duration.ofMillis(1500)));
        signal(a, b);
        signal(b, a);
        ea.awaitConnected();
        eb.awaitConnected();
        long checks = a.checksSent();
        Thread.sleep(3000); // twice the consent timeout
        assertThat(ea.consentLost).isNotDone();
        assertThat(eb.consentLost).isNotDone();
        assertThat(a.checksSent()).isGreaterThan(checks + 5); // consent checks every ~250 ms
        assertThat(a.isConnected()).isTrue();

        b.closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        ea.consentLost.get(5, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3000);
        assertThat(a.isConnected()).isFalse();
        ByteBuf late = datagram("after consent loss");
        long unsent = a.unsentDatagrams();
        a.send(late);
        assertThat(late.refCnt()).isZero();
        assertThat(a.unsentDatagrams()).isEqualTo(unsent + 1);
    }

    @Test
    void consentExpiresOnAFakeClockWhenResponsesStop() throws Exception {
        FakeClock clock = new FakeClock();
        IceEvents ea = new IceEvents();
        IceEvents eb = new IceEvents();
        IceAgent a = start(IceAgent.builder(group).controlling(true).listener(ea).clock(clock)
                .consentTimeout(Duration.ofSeconds(30)));
        IceAgent b = start(IceAgent.builder(group).controlling(false).listener(eb));
        signal(a, b);
        signal(b, a);
        // with time standing still, A paces one check per clock step
        for (int i = 0; i < 400 && !ea.connected.isDone(); i++) {
            clock.advanceMillis(20);
            Thread.sleep(5);
        }
        ea.awaitConnected();
        b.closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
        clock.advanceMillis(29_000);
        Thread.sleep(200);
        assertThat(ea.consentLost).isNotDone();
        clock.advanceMillis(1_100);
        ea.consentLost.get(5, TimeUnit.SECONDS);
    }
}
