package org.openzoep.media.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.openzoep.media.MediaClock;

/**
 * One UDP socket carrying RTP and RTCP (rtcp-mux) to and from one negotiated remote address, on an
 * event loop of a group the engine hands in.
 *
 * <p>Thread: its channel lives on one event loop, where the {@link MediaReceiver} is called;
 * {@link #send} and {@link #close} may be called from any thread. Buffers: {@link #send} takes
 * ownership.
 */
public final class UdpTransport implements MediaTransport, AutoCloseable {

    /** Largest datagram read; RTP with Opus stays far below it. */
    public static final int MAX_DATAGRAM = 2048;

    private final Channel channel;
    private final MediaDatagramHandler handler;
    private volatile long sent;
    private volatile long sendFailures;

    private UdpTransport(Channel channel, MediaDatagramHandler handler) {
        this.channel = channel;
        this.handler = handler;
    }

    /**
     * Binds a transport.
     *
     * @param group shared event loops (NIO; pass {@code channelType} to match another transport)
     * @param channelType e.g. {@link NioDatagramChannel}, or the epoll channel for an epoll group
     * @param local address to bind (port 0: any free port)
     * @param remote the negotiated remote; datagrams from elsewhere are dropped
     * @return completes on the event loop when bound; fails with the bind error
     */
    public static CompletionStage<UdpTransport> bind(EventLoopGroup group, Class<? extends DatagramChannel> channelType,
            InetSocketAddress local, InetSocketAddress remote, MediaClock clock, MediaReceiver receiver) {
        MediaDatagramHandler handler = new MediaDatagramHandler(clock, remote, receiver);
        CompletableFuture<UdpTransport> result = new CompletableFuture<>();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .handler(handler);
        ChannelFuture f = b.bind(local);
        f.addListener(done -> {
            if (done.isSuccess()) {
                result.complete(new UdpTransport(f.channel(), handler));
            } else {
                result.completeExceptionally(done.cause());
            }
        });
        return result;
    }

    /** As {@link #bind(EventLoopGroup, Class, InetSocketAddress, InetSocketAddress, MediaClock, MediaReceiver)} with NIO. */
    public static CompletionStage<UdpTransport> bind(EventLoopGroup group, InetSocketAddress local,
            InetSocketAddress remote, MediaClock clock, MediaReceiver receiver) {
        return bind(group, NioDatagramChannel.class, local, remote, clock, receiver);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public InetSocketAddress remoteAddress() {
        return handler.remote();
    }

    /** Changes the negotiated remote address (sending and accepting). */
    public void remoteAddress(InetSocketAddress remote) {
        handler.remote(remote);
    }

    /** The event loop this transport's callbacks run on. */
    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public MediaDatagramHandler handler() {
        return handler;
    }

    /**
     * Sends one packet to the remote.
     *
     * @param packet ownership taken: released by Netty once written (or on failure)
     */
    @Override
    public void send(ByteBuf packet) {
        if (!channel.isActive()) {
            packet.release();
            sendFailures++;
            return;
        }
        channel.writeAndFlush(new DatagramPacket(packet, handler.remote()), channel.voidPromise());
        sent++;
    }

    public long sent() {
        return sent;
    }

    public long sendFailures() {
        return sendFailures;
    }

    @Override
    public void receiver(MediaReceiver receiver) {
        handler.receiver(receiver);
    }

    /** Closes the socket; completes when closed. Never blocks. */
    @Override
    public CompletionStage<Void> closeAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.close().addListener(f -> done.complete(null));
        return done;
    }

    @Override
    public void close() {
        channel.close();
    }
}
