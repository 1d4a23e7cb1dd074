package org.openzoep.media.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.openzoep.media.MediaClock;

/**
 * A raw datagram path on one plain UDP socket to a fixed remote address: what a SIP peer without
 * ICE gets (RFC 3264 {@code c=} address and {@code m=} port). Datagrams from any other address are
 * dropped and counted; the rest go unclassified to the receiver (DTLS, SRTP or RTP above decides).
 *
 * <p>Thread: the channel's event loop calls the receiver; {@link #send}, {@link #remoteAddress(InetSocketAddress)}
 * and {@link #closeAsync} from any thread. Buffers: {@link #send} takes ownership; the receiver
 * borrows the datagram for the call, released here afterwards.
 */
public final class UdpPacketTransport implements PacketTransport {

    private static final PacketReceiver NONE = (buf, offset, length, arrivalNanos) -> { };

    private final Channel channel;
    private final Inbound inbound;
    private volatile InetSocketAddress remote;
    private volatile long sendFailures;

    private UdpPacketTransport(Channel channel, Inbound inbound) {
        this.channel = channel;
        this.inbound = inbound;
    }

    /**
     * Binds a socket.
     *
     * @param local the address to bind (port 0: any free port)
     * @param remote where to send and whom to accept; null until known ({@link #remoteAddress(InetSocketAddress)})
     * @return completes on the event loop when bound; fails with the bind error
     */
    public static CompletionStage<UdpPacketTransport> bind(EventLoopGroup group,
            Class<? extends DatagramChannel> channelType, InetSocketAddress local, InetSocketAddress remote,
            MediaClock clock) {
        Inbound in = new Inbound(clock);
        CompletableFuture<UdpPacketTransport> result = new CompletableFuture<>();
        ChannelFuture f = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UdpTransport.MAX_DATAGRAM))
                .handler(in)
                .bind(local);
        f.addListener(done -> {
            if (done.isSuccess()) {
                UdpPacketTransport t = new UdpPacketTransport(f.channel(), in);
                in.owner = t;
                t.remote = remote;
                result.complete(t);
            } else {
                result.completeExceptionally(done.cause());
            }
        });
        return result;
    }

    /** The bound address (what to signal as {@code c=}/{@code m=}). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Sets the remote (sending and accepting); on re-negotiation too. */
    public void remoteAddress(InetSocketAddress r) {
        remote = r;
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** @param packet ownership taken: released by Netty once written, or here when it cannot be */
    @Override
    public void send(ByteBuf packet) {
        InetSocketAddress to = remote;
        if (to == null || !channel.isActive()) {
            packet.release();
            sendFailures++;
            return;
        }
        channel.writeAndFlush(new DatagramPacket(packet, to), channel.voidPromise());
    }

    @Override
    public void receiver(PacketReceiver r) {
        inbound.receiver = r == null ? NONE : r;
    }

    /** Datagrams from an address other than the remote, dropped. */
    public long foreignDropped() {
        return inbound.foreign;
    }

    public long sendFailures() {
        return sendFailures;
    }

    @Override
    public CompletionStage<Void> closeAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.close().addListener(f -> done.complete(null));
        return done;
    }

    /** The inbound handler: event loop only. */
    private static final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final MediaClock clock;
        volatile UdpPacketTransport owner;
        volatile PacketReceiver receiver = NONE;
        volatile long foreign;

        Inbound(MediaClock clock) {
            super(DatagramPacket.class, true);
            this.clock = clock;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            UdpPacketTransport t = owner;
            if (t == null || !packet.sender().equals(t.remote)) {
                foreign++;
                return;
            }
            ByteBuf b = packet.content();
            receiver.onPacket(b, b.readerIndex(), b.readableBytes(), clock.nanoTime());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and the like are not fatal for media: keep the socket
            foreign++;
        }
    }
}
