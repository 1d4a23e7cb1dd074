package org.openzoep.media.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.media.MediaClock;
import org.openzoep.media.testsupport.Await;

/**
 * The plain UDP path for peers without ICE: datagrams only from the negotiated remote, RTP and
 * RTCP told apart above it by {@link PlainRtpTransport}, a packet sent without a remote released.
 */
class UdpPacketTransportTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }


    @Test
    void acceptsOnlyTheRemoteAndClassifiesRtpAndRtcp() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(lo, 0));
                DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            UdpPacketTransport t = UdpPacketTransport.bind(group, NioDatagramChannel.class,
                    new InetSocketAddress(lo, 0), null, MediaClock.SYSTEM).toCompletableFuture().get(10, TimeUnit.SECONDS);
            PlainRtpTransport plain = new PlainRtpTransport(t);
            List<String> got = new CopyOnWriteArrayList<>();
            plain.receiver(new MediaReceiver() {
                @Override
                public void onRtp(ByteBuf buf, int offset, int length, long arrivalNanos) {
                    got.add("rtp " + length);
                }

                @Override
                public void onRtcp(ByteBuf buf, int offset, int length, long arrivalNanos) {
                    got.add("rtcp " + length);
                }
            });
            ByteBuf early = Unpooled.buffer(12).writeZero(12);
            t.send(early);
            assertEquals(0, early.refCnt(), "no remote yet: released, not sent");
            assertEquals(1, t.sendFailures());

            t.remoteAddress((InetSocketAddress) peer.getLocalSocketAddress());
            byte[] rtp = new byte[20];
            rtp[0] = (byte) 0x80;
            rtp[1] = 0; // PT 0
            byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, 1, 2, 3, 4};
            InetSocketAddress to = t.localAddress();
            stranger.send(new DatagramPacket(rtp, rtp.length, to));
            peer.send(new DatagramPacket(rtp, rtp.length, to));
            peer.send(new DatagramPacket(rr, rr.length, to));
            peer.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, to));
            Await.until("three datagrams from the peer", TIMEOUT, () -> got.size() == 2 && plain.otherDropped() == 1);
            assertEquals(List.of("rtp 20", "rtcp 8"), got);
            Await.until("the stranger's datagram dropped", TIMEOUT, () -> t.foreignDropped() == 1);

            plain.send(Unpooled.wrappedBuffer(rr));
            DatagramPacket in = new DatagramPacket(new byte[64], 64);
            peer.setSoTimeout(5000);
            peer.receive(in);
            assertThat(in.getLength()).isEqualTo(rr.length);
            plain.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
