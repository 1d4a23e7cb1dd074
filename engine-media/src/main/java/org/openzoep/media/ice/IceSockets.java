package org.openzoep.media.ice;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's UDP sockets: which local addresses to use, which Netty channel type, and binding one
 * socket per address on the agent's event loop, each becoming a {@link Base} (the first address
 * gets the highest local preference, RFC 8445 section 5.1.2.1).
 *
 * <p>Thread: {@link #bind} may be called from any thread and completes on the event loop;
 * {@link #defaultHostAddresses()} reads the interface list on the calling thread. Buffers: each
 * socket's handler borrows the inbound datagram for the {@link Receiver} call and releases it
 * after.
 */
final class IceSockets {

    private static final Logger LOG = LoggerFactory.getLogger(IceSockets.class);
    private static final int MAX_DATAGRAM = 2048;

    /** Takes every datagram a base's socket receives; on the event loop. */
    interface Receiver {
        /** @param packet borrowed for the call, released after it */
        void onDatagram(Base base, DatagramPacket packet);
    }

    private IceSockets() {
    }

    /**
     * Binds one socket per address on {@code loop}.
     *
     * @return completes on the loop with the bases bound, in address order; fails when none could be
     */
    static CompletionStage<List<Base>> bind(EventLoop loop, List<InetAddress> addresses,
            Class<? extends DatagramChannel> channelType, Receiver receiver) {
        CompletableFuture<List<Base>> result = new CompletableFuture<>();
        int n = addresses.size();
        ChannelFuture[] futures = new ChannelFuture[n];
        Handler[] handlers = new Handler[n];
        AtomicInteger left = new AtomicInteger(n);
        for (int i = 0; i < n; i++) {
            handlers[i] = new Handler(receiver);
            futures[i] = new Bootstrap()
                    .group(loop)
                    .channel(channelType)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                    .handler(handlers[i])
                    .bind(new InetSocketAddress(addresses.get(i), 0));
            futures[i].addListener(f -> {
                if (left.decrementAndGet() == 0) {
                    loop.execute(() -> bound(futures, handlers, result));
                }
            });
        }
        return result;
    }

    private static void bound(ChannelFuture[] futures, Handler[] handlers, CompletableFuture<List<Base>> result) {
        Throwable firstError = null;
        List<Base> bases = new ArrayList<>();
        for (int i = 0; i < futures.length; i++) {
            ChannelFuture f = futures[i];
            if (!f.isSuccess()) {
                firstError = firstError != null ? firstError : f.cause();
                continue;
            }
            Base base = new Base(f.channel(), (InetSocketAddress) f.channel().localAddress(), Math.max(0, 65535 - i));
            handlers[i].base = base;
            bases.add(base);
        }
        if (bases.isEmpty()) {
            result.completeExceptionally(firstError != null ? firstError : new IllegalStateException("nothing bound"));
        } else {
            result.complete(bases);
        }
    }

    /** Closes the sockets; completes when all are closed. */
    static CompletionStage<Void> close(List<Base> bases) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (bases.isEmpty()) {
            done.complete(null);
            return done;
        }
        AtomicInteger left = new AtomicInteger(bases.size());
        for (Base base : bases) {
            base.channel.close().addListener(f -> {
                if (left.decrementAndGet() == 0) {
                    done.complete(null);
                }
            });
        }
        return done;
    }

    /** One socket's inbound side: hands datagrams to the receiver once the socket's base is known. */
    private static final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Receiver receiver;
        volatile Base base;

        Handler(Receiver receiver) {
            super(DatagramPacket.class, true);
            this.receiver = receiver;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            receiver.onDatagram(base, packet);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // e.g. ICMP port unreachable: not fatal for the socket
            LOG.debug("ICE socket error", cause);
        }
    }

    /**
     * The epoll datagram channel when the group runs epoll I/O handlers, else NIO. By name: the
     * epoll classes are not on engine-media's compile path (only its native library is), but they
     * are at run time wherever an epoll group exists.
     */
    static Class<? extends DatagramChannel> defaultChannelType(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            try {
                ClassLoader cl = IceSockets.class.getClassLoader();
                Class<? extends io.netty.channel.IoHandler> handler = Class
                        .forName("io.netty.channel.epoll.EpollIoHandler", false, cl)
                        .asSubclass(io.netty.channel.IoHandler.class);
                if (io.isIoType(handler)) {
                    return Class.forName("io.netty.channel.epoll.EpollDatagramChannel", true, cl)
                            .asSubclass(DatagramChannel.class);
                }
            } catch (ClassNotFoundException | LinkageError | ClassCastException e) {
                // no epoll classes: the group cannot be epoll either
            }
        }
        return NioDatagramChannel.class;
    }

    /** Up, non-loopback, non-virtual interfaces' IPv4 and non-link-local IPv6 addresses; else loopback. */
    static List<InetAddress> defaultHostAddresses() {
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        try {
            Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
            while (all != null && all.hasMoreElements()) {
                NetworkInterface ni = all.nextElement();
                if (!ni.isUp() || ni.isLoopback() || ni.isVirtual()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
                        continue;
                    }
                    if (a instanceof Inet4Address) {
                        v4.add(a);
                    } else if (a instanceof Inet6Address && !a.isLinkLocalAddress()) {
                        // drop the scope: a global address needs none
                        v6.add(InetAddress.getByAddress(a.getAddress()));
                    }
                }
            }
        } catch (SocketException | java.net.UnknownHostException e) {
            LOG.debug("cannot list network interfaces", e);
        }
        List<InetAddress> result = new ArrayList<>(v4);
        result.addAll(v6);
        if (result.isEmpty()) {
            result.add(InetAddress.getLoopbackAddress());
        }
        return result;
    }
}
