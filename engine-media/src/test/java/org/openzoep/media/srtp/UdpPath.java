package org.openzoep.media.srtp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.openzoep.media.transport.PacketReceiver;
import org.openzoep.media.transport.PacketTransport;

/**
 * Test-only {@link PacketTransport}: one UDP socket on 127.0.0.1 that sends to a set remote and
 * hands every datagram to its receiver. Counts what it sends and receives; can remember the last
 * datagram sent so a test can look at the wire.
 *
 * <p>Thread: the channel's event loop. Buffers: {@link #send} takes ownership.
 */
final class UdpPath implements PacketTransport {

    private final Channel channel;
    private volatile InetSocketAddress remote;
    private volatile PacketReceiver receiver = (buf, offset, length, arrivalNanos) -> { };
    private volatile byte[] lastSent;
    private volatile java.util.function.Predicate<byte[]> dropOutbound = d -> false;
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong received = new AtomicLong();

    private UdpPath(EventLoopGroup group) throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        received.incrementAndGet();
                        ByteBuf b = packet.content();
                        receiver.onPacket(b, b.readerIndex(), b.readableBytes(), System.nanoTime());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    static UdpPath bind(EventLoopGroup group) throws InterruptedException {
        return new UdpPath(group);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    void remote(InetSocketAddress remote) {
        this.remote = remote;
    }

    /** Drops (and counts) outbound datagrams the filter accepts: a lossy path. */
    void dropOutbound(java.util.function.Predicate<byte[]> filter) {
        this.dropOutbound = filter;
    }

    byte[] lastSent() {
        return lastSent;
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** @param packet ownership taken */
    @Override
    public void send(ByteBuf packet) {
        InetSocketAddress to = remote;
        if (to == null || !channel.isActive()) {
            packet.release();
            return;
        }
        byte[] copy = new byte[packet.readableBytes()];
        packet.getBytes(packet.readerIndex(), copy);
        if (dropOutbound.test(copy)) {
            dropped.incrementAndGet();
            packet.release();
            return;
        }
        lastSent = copy;
        sent.incrementAndGet();
        channel.writeAndFlush(new DatagramPacket(packet, to), channel.voidPromise());
    }

    @Override
    public void receiver(PacketReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public CompletionStage<Void> closeAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.close().addListener(f -> done.complete(null));
        return done;
    }
}
