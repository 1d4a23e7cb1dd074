package org.openzoep.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
import org.openzoep.testkit.StunServer;

/**
 * The ICE agent against a real STUN server (coturn on 127.0.0.1, started by the test): with host
 * candidates withheld it gathers a server-reflexive candidate, and two such agents connect over
 * their srflx candidates alone. On a NAT-less machine the reflexive address equals the socket's.
 */
class IceStunServerTest {

    static StunServer stun;
    static EventLoopGroup group;
    final List<IceAgent> agents = new ArrayList<>();

    @BeforeAll
    static void start() {
        stun = StunServer.builder().start();
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        stun.close();
    }

    @AfterEach
    void closeAgents() throws Exception {
        for (IceAgent a : agents) {
            a.closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    IceAgent srflxOnly(boolean controlling, IceEvents events) throws Exception {
        IceAgent a = IceAgent.builder(group)
                .controlling(controlling)
                .hostAddresses(List.of(InetAddress.getByName(StunServer.HOST)))
                .stunServers(List.of(stun.address()))
                .hostCandidates(false)
                .listener(events)
                .start().toCompletableFuture().get(5, TimeUnit.SECONDS);
        agents.add(a);
        return a;
    }

    @Test
    void gathersAServerReflexiveCandidateEqualToTheSocketAddress() throws Exception {
        IceEvents e = new IceEvents();
        IceAgent a = srflxOnly(true, e);
        e.gathered.get(5, TimeUnit.SECONDS);
        assertThat(e.candidates).hasSize(1);
        IceCandidate srflx = e.candidates.get(0);
        InetSocketAddress socket = a.socketAddresses().get(0);
        assertThat(srflx.type()).isEqualTo(IceCandidate.Type.SRFLX);
        assertThat(srflx.address()).isEqualTo(socket);
        assertThat(srflx.related()).isEqualTo(socket);
        assertThat(srflx.priority()).isEqualTo(IceCandidate.priority(IceCandidate.Type.SRFLX, 65535, 1));
        assertThat(srflx.foundation()).isEqualTo(IceCandidate.foundation(IceCandidate.Type.SRFLX,
                socket.getAddress(), stun.address().getAddress(), "udp"));
        assertThat(a.localCandidates()).containsExactly(srflx);
    }

    @Test
    void twoAgentsConnectOverTheirServerReflexiveCandidates() throws Exception {
        IceEvents ea = new IceEvents();
        IceEvents eb = new IceEvents();
        IceAgent a = srflxOnly(true, ea);
        IceAgent b = srflxOnly(false, eb);
        ea.gathered.get(5, TimeUnit.SECONDS);
        eb.gathered.get(5, TimeUnit.SECONDS);
        // B takes in A's description before A starts checking, so A's checks cannot overtake
        // the signalling and be learnt as peer-reflexive
        b.remoteCredentials(a.localUfrag(), a.localPassword());
        ea.candidates.forEach(b::addRemoteCandidate);
        b.eventLoop().submit(() -> { }).get(5, TimeUnit.SECONDS);
        a.remoteCredentials(b.localUfrag(), b.localPassword());
        eb.candidates.forEach(a::addRemoteCandidate);

        IceCandidate[] pa = ea.connected.get(10, TimeUnit.SECONDS);
        IceCandidate[] pb = eb.connected.get(10, TimeUnit.SECONDS);
        assertThat(pa[0]).isEqualTo(ea.candidates.get(0));
        assertThat(pa[1]).isEqualTo(eb.candidates.get(0));
        assertThat(pb[0]).isEqualTo(eb.candidates.get(0));
        assertThat(pb[1]).isEqualTo(ea.candidates.get(0));
        assertThat(pa[0].type()).isEqualTo(IceCandidate.Type.SRFLX);
        assertThat(pa[1].type()).isEqualTo(IceCandidate.Type.SRFLX);

        BlockingQueue<String> atA = new LinkedBlockingQueue<>();
        BlockingQueue<String> atB = new LinkedBlockingQueue<>();
        a.receiver((buf, off, len, t) -> atA.add(buf.toString(off, len, StandardCharsets.ISO_8859_1)));
        b.receiver((buf, off, len, t) -> atB.add(buf.toString(off, len, StandardCharsets.ISO_8859_1)));
        a.send(datagram("to b"));
        b.send(datagram("to a"));
        assertThat(atB.poll(5, TimeUnit.SECONDS)).isEqualTo("\u0080to b");
        assertThat(atA.poll(5, TimeUnit.SECONDS)).isEqualTo("\u0080to a");
        assertThat(ea.failed).isNotDone();
        assertThat(eb.failed).isNotDone();
    }

    static ByteBuf datagram(String text) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
        b.writeByte(0x80);
        b.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        return b;
    }
}
