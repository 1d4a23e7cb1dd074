package org.openzoep.media.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openzoep.media.FakeClock;
import org.openzoep.media.MediaClock;

class MediaDatagramHandlerTest {


    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40002);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("127.0.0.1", 40004);

    /** Records what it is given, copying (it only borrows). */
    static final class Recorder implements MediaReceiver {
        final List<String> got = new ArrayList<>();

        @Override
        public void onRtp(ByteBuf buf, int offset, int length, long arrivalNanos) {
            got.add("rtp " + length + " @" + arrivalNanos);
        }

        @Override
        public void onRtcp(ByteBuf buf, int offset, int length, long arrivalNanos) {
            got.add("rtcp " + length);
        }
    }

    private static DatagramPacket datagram(InetSocketAddress from, int... bytes) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
        for (int x : bytes) {
            b.writeByte(x);
        }
        return new DatagramPacket(b, LOCAL, from);
    }

    @Test
    void acceptsOnlyTheNegotiatedRemoteAndDemultiplexes() {
        FakeClock clock = new FakeClock(5, 0);
        Recorder r = new Recorder();
        MediaDatagramHandler h = new MediaDatagramHandler(clock, REMOTE, r);
        EmbeddedChannel ch = new EmbeddedChannel(h);
        DatagramPacket rtp = datagram(REMOTE, 0x80, 111, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1);
        DatagramPacket rtcp = datagram(REMOTE, 0x80, 201, 0, 1, 0, 0, 0, 1);
        DatagramPacket foreign = datagram(STRANGER, 0x80, 111, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1);
        DatagramPacket junk = datagram(REMOTE, 0x00, 1, 2);
        ch.writeInbound(rtp, rtcp, foreign, junk);
        assertThat(r.got).containsExactly("rtp 12 @5", "rtcp 8");
        assertThat(h.foreignDropped()).isEqualTo(1);
        assertThat(h.otherDropped()).isEqualTo(1);
        // every inbound buffer was released by the handler
        assertThat(rtp.refCnt()).isZero();
        assertThat(rtcp.refCnt()).isZero();
        assertThat(foreign.refCnt()).isZero();
        assertThat(junk.refCnt()).isZero();
        // after a re-negotiation the old remote is a stranger
        h.remote(STRANGER);
        ch.writeInbound(datagram(REMOTE, 0x80, 111, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1));
        assertThat(h.foreignDropped()).isEqualTo(2);
        assertFalse(ch.finish());
    }

    @Test
    void realUdpOnLoopbackSharingOneEventLoopGroup() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
            MediaReceiver rec = new MediaReceiver() {
                @Override
                public void onRtp(ByteBuf buf, int offset, int length, long arrivalNanos) {
                    got.add("rtp " + buf.getUnsignedShort(offset + 2));
                }

                @Override
                public void onRtcp(ByteBuf buf, int offset, int length, long arrivalNanos) {
                    got.add("rtcp");
                }
            };
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            // bind b first with a placeholder remote, then point each at the other
            UdpTransport a = UdpTransport.bind(group, any, any, MediaClock.SYSTEM, rec)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            UdpTransport b = UdpTransport.bind(group, any, a.localAddress(), MediaClock.SYSTEM, rec)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            a.remoteAddress(b.localAddress());
            assertThat(a.eventLoop()).isSameAs(b.eventLoop()); // one loop carries both: no thread per call
            for (int i = 0; i < 5; i++) {
                ByteBuf p = PooledByteBufAllocator.DEFAULT.buffer();
                p.writeByte(0x80).writeByte(111).writeShort(i).writeInt(0).writeInt(1);
                a.send(p);
            }
            byte[] evil = {(byte) 0x80, 111, 0, 99, 0, 0, 0, 0, 0, 0, 0, 1};
            stranger.send(new java.net.DatagramPacket(evil, evil.length, b.localAddress()));
            ByteBuf rr = PooledByteBufAllocator.DEFAULT.buffer();
            rr.writeByte(0x80).writeByte(201).writeShort(1).writeInt(7);
            a.send(rr);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((got.size() < 6 || b.handler().foreignDropped() < 1) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(got).containsExactlyInAnyOrder("rtp 0", "rtp 1", "rtp 2", "rtp 3", "rtp 4", "rtcp");
            assertThat(b.handler().foreignDropped()).isEqualTo(1);
            assertThat(a.sent()).isEqualTo(6);
            a.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
            b.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
