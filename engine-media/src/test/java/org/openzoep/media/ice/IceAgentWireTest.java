package org.openzoep.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.media.testsupport.IceEvents;
import org.openzoep.media.stun.StunMessage;
import org.openzoep.media.testsupport.Await;

/**
 * The agent's STUN on the wire, against a hand-driven peer on a plain socket that plays the
 * controlling side: responses, authentication, role conflict, the triggered check, and selection
 * on USE-CANDIDATE (RFC 8445 sections 7.2 and 7.3).
 */
class IceAgentWireTest {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final String PEER_UFRAG = "peer";
    static final String PEER_PASSWORD = "peer-password-of-22-chars";
    static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A STUN message as bytes, built with the writer. */
    interface Body {
        void write(StunMessage.Writer w);
    }

    static byte[] message(int cls, byte[] tx, Body body) {
        ByteBuf b = Unpooled.buffer();
        try {
            body.write(StunMessage.write(b, StunMessage.BINDING, cls, tx));
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static byte[] tx() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return id;
    }

    /** The peer: a socket, plus the requests the agent sent it while the test waited for responses. */
    static final class Peer implements AutoCloseable {
        final DatagramSocket socket;
        final Deque<byte[]> requests = new ArrayDeque<>();

        Peer() throws Exception {
            socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        void send(byte[] m, InetSocketAddress to) throws Exception {
            socket.send(new DatagramPacket(m, m.length, to));
        }

        byte[] receive(Duration timeout) throws Exception {
            socket.setSoTimeout((int) timeout.toMillis());
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            byte[] m = new byte[p.getLength()];
            System.arraycopy(buf, 0, m, 0, m.length);
            return m;
        }

        /** The response to {@code tx}; the agent's own requests arriving meanwhile are kept. */
        byte[] response(byte[] tx) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline) {
                byte[] m = receive(Duration.ofSeconds(3));
                StunMessage s = view(m);
                if (s != null && s.messageClass() == StunMessage.REQUEST) {
                    requests.add(m);
                } else if (s != null && s.transactionIdEquals(tx)) {
                    return m;
                }
            }
            throw new AssertionError("no response");
        }

        /** The next request from the agent. */
        byte[] request() throws Exception {
            while (requests.isEmpty()) {
                byte[] m = receive(Duration.ofSeconds(3));
                StunMessage s = view(m);
                if (s != null && s.messageClass() == StunMessage.REQUEST) {
                    return m;
                }
            }
            return requests.poll();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A view over a copy the test owns; the view lives as long as the heap array (no release needed). */
    static StunMessage view(byte[] m) {
        return StunMessage.parse(Unpooled.wrappedBuffer(m), 0, m.length);
    }

    @Test
    void answersAuthenticatesResolvesConflictsAndSelectsOnUseCandidate() throws Exception {
        IceEvents events = new IceEvents();
        IceAgent agent = IceAgent.builder(group).controlling(false).hostAddresses(List.of(LOOPBACK))
                .listener(events).start().toCompletableFuture().get(5, TimeUnit.SECONDS);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        agent.receiver((buf, off, len, t) -> received.add(buf.toString(off, len, StandardCharsets.ISO_8859_1)));
        InetSocketAddress agentAddress = agent.socketAddresses().get(0);
        byte[] agentKey = StunMessage.shortTermKey(agent.localPassword());
        byte[] peerKey = StunMessage.shortTermKey(PEER_PASSWORD);
        String username = agent.localUfrag() + ":" + PEER_UFRAG;
        long peerTieBreaker = 42;
        try (Peer peer = new Peer()) {
            // an authenticated check before the agent knows anything about the peer; requests to
            // the agent are signed with the agent's password (RFC 8445 section 7.2.2)
            byte[] tx1 = tx();
            peer.send(message(StunMessage.REQUEST, tx1, w -> w.username(username).priority(1862270975L)
                    .iceControlling(peerTieBreaker).messageIntegrity(agentKey).fingerprint()), agentAddress);
            StunMessage ok = view(peer.response(tx1));
            assertThat(ok.messageClass()).isEqualTo(StunMessage.SUCCESS);
            assertThat(ok.xorMappedAddress()).isEqualTo(peer.address());
            assertThat(ok.verifyIntegrity(agentKey)).isTrue();
            assertThat(ok.verifyFingerprint()).isTrue();

            // a wrong password: 401, not signed
            byte[] tx2 = tx();
            peer.send(message(StunMessage.REQUEST, tx2, w -> w.username(username).iceControlling(peerTieBreaker)
                    .messageIntegrity("not-the-password".getBytes(StandardCharsets.UTF_8)).fingerprint()), agentAddress);
            StunMessage unauthorized = view(peer.response(tx2));
            assertThat(unauthorized.messageClass()).isEqualTo(StunMessage.ERROR);
            assertThat(unauthorized.errorCode()).isEqualTo(401);
            assertThat(unauthorized.hasMessageIntegrity()).isFalse();

            // both controlled, and the peer's tie-breaker is the largest: the agent keeps its role and answers 487
            byte[] tx3 = tx();
            peer.send(message(StunMessage.REQUEST, tx3, w -> w.username(username).iceControlled(-1L)
                    .messageIntegrity(agentKey).fingerprint()), agentAddress);
            StunMessage conflict = view(peer.response(tx3));
            assertThat(conflict.errorCode()).isEqualTo(487);
            assertThat(conflict.verifyIntegrity(agentKey)).isTrue();
            assertThat(agent.controlling()).isFalse();

            // no FINGERPRINT: dropped without an answer
            long dropped = agent.droppedDatagrams();
            peer.send(message(StunMessage.REQUEST, tx(), w -> w.username(username).iceControlling(peerTieBreaker)
                    .messageIntegrity(agentKey)), agentAddress);
            Await.until("the drop", Duration.ofSeconds(3), () -> agent.droppedDatagrams() > dropped);

            // the credentials arrive: the agent's triggered check to the learnt peer-reflexive address
            agent.remoteCredentials(PEER_UFRAG, PEER_PASSWORD);
            byte[] checkBytes = peer.request();
            StunMessage check = view(checkBytes);
            assertThat(check.username()).isEqualTo(PEER_UFRAG + ":" + agent.localUfrag());
            assertThat(check.verifyIntegrity(peerKey)).isTrue();
            assertThat(check.verifyFingerprint()).isTrue();
            assertThat(check.has(StunMessage.ICE_CONTROLLED)).isTrue();
            assertThat(check.useCandidate()).isFalse();
            assertThat(check.priority()).isEqualTo(IceCandidate.priority(IceCandidate.Type.PRFLX, 65535, 1));
            byte[] checkTx = check.transactionId();
            peer.send(message(StunMessage.SUCCESS, checkTx, w -> w.xorMappedAddress(agentAddress)
                    .messageIntegrity(peerKey).fingerprint()), agentAddress);

            // nomination: the agent selects the pair and reports the peer as peer-reflexive
            byte[] tx4 = tx();
            peer.send(message(StunMessage.REQUEST, tx4, w -> w.username(username).priority(1862270975L)
                    .iceControlling(peerTieBreaker).useCandidate().messageIntegrity(agentKey).fingerprint()),
                    agentAddress);
            assertThat(view(peer.response(tx4)).messageClass()).isEqualTo(StunMessage.SUCCESS);
            IceCandidate[] pair = events.awaitConnected();
            assertThat(pair[0].type()).isEqualTo(IceCandidate.Type.HOST);
            assertThat(pair[0].address()).isEqualTo(agentAddress);
            assertThat(pair[1].type()).isEqualTo(IceCandidate.Type.PRFLX);
            assertThat(pair[1].address()).isEqualTo(peer.address());
            assertThat(pair[1].priority()).isEqualTo(1862270975L);
            assertThat(agent.remoteAddress()).isEqualTo(peer.address());

            // media both ways; a STUN-range datagram is not media
            peer.send(new byte[] {(byte) 0x80, 'h', 'i'}, agentAddress);
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("\u0080hi");
            ByteBuf out = Unpooled.buffer().writeBytes(new byte[] {(byte) 0x90, 'y', 'o'});
            agent.send(out);
            byte[] media;
            do {
                media = peer.receive(Duration.ofSeconds(3));
            } while ((media[0] & 0xFF) < 4); // consent checks may come first
            assertThat(new String(media, StandardCharsets.ISO_8859_1)).isEqualTo("\u0090yo");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the agent did not answer", e);
        } finally {
            agent.closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
