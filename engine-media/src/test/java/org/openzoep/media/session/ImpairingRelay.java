package org.openzoep.media.session;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A UDP relay on loopback between two media sessions that impairs what it forwards: random loss,
 * bursty (Gilbert-Elliott) loss, uniform delay jitter, extra delay for a share of packets
 * (reordering) and duplication. Session A talks to {@link #sideA()}, session B to {@link #sideB()};
 * each sees the relay's socket as its negotiated remote.
 *
 * <p>Thread: both channels are on one event loop (the group must have one), so the random source
 * and the counters are confined to it.
 */
final class ImpairingRelay implements AutoCloseable {

    /** What the relay does to each datagram. */
    record Impairment(double randomLoss, double burstEnter, double burstLeave, double jitterMs,
            double reorderShare, double reorderExtraMs, double duplicateShare) {
        static Impairment none() {
            return new Impairment(0, 0, 0, 0, 0, 0, 0);
        }

        static Impairment randomLoss(double p) {
            return new Impairment(p, 0, 0, 0, 0, 0, 0);
        }
    }

    private final Channel a;
    private final Channel b;
    private final Impairment imp;
    private final SplittableRandom random;
    private volatile InetSocketAddress peerA;
    private volatile InetSocketAddress peerB;
    private boolean inBurst;
    volatile long forwarded;
    volatile long dropped;
    volatile long duplicated;
    volatile long reordered;

    ImpairingRelay(EventLoopGroup group, Impairment imp, long seed) throws InterruptedException {
        this.imp = imp;
        this.random = new SplittableRandom(seed);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        this.a = bind(group, any, true);
        this.b = bind(group, any, false);
    }

    private Channel bind(EventLoopGroup group, InetSocketAddress at, boolean isA) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        InetSocketAddress expected = isA ? peerA : peerB;
                        if (expected == null || !expected.equals(p.sender())) {
                            return;
                        }
                        forward(p.content(), isA ? b : a, isA ? peerB : peerA);
                    }
                }).bind(at).sync().channel();
    }

    InetSocketAddress sideA() {
        return (InetSocketAddress) a.localAddress();
    }

    InetSocketAddress sideB() {
        return (InetSocketAddress) b.localAddress();
    }

    void peers(InetSocketAddress sessionA, InetSocketAddress sessionB) {
        this.peerA = sessionA;
        this.peerB = sessionB;
    }

    private void forward(ByteBuf content, Channel out, InetSocketAddress to) {
        if (to == null) {
            return;
        }
        // Gilbert-Elliott: in the bad state everything is lost
        if (inBurst) {
            inBurst = random.nextDouble() >= imp.burstLeave();
        } else {
            inBurst = random.nextDouble() < imp.burstEnter();
        }
        if (inBurst || random.nextDouble() < imp.randomLoss()) {
            dropped++;
            return;
        }
        int copies = random.nextDouble() < imp.duplicateShare() ? 2 : 1;
        if (copies == 2) {
            duplicated++;
        }
        for (int c = 0; c < copies; c++) {
            double delay = imp.jitterMs() * random.nextDouble();
            if (random.nextDouble() < imp.reorderShare()) {
                delay += imp.reorderExtraMs();
                reordered++;
            }
            ByteBuf copy = content.retainedDuplicate();
            long micros = (long) (delay * 1000);
            if (micros == 0) {
                out.writeAndFlush(new DatagramPacket(copy, to));
            } else {
                out.eventLoop().schedule(() -> {
                    out.writeAndFlush(new DatagramPacket(copy, to));
                }, micros, TimeUnit.MICROSECONDS);
            }
            forwarded++;
        }
    }

    @Override
    public void close() {
        a.close().syncUninterruptibly();
        b.close().syncUninterruptibly();
    }
}
