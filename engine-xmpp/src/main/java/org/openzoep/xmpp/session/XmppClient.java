package org.openzoep.xmpp.session;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openzoep.xmpp.disco.EntityCaps;
import org.openzoep.xmpp.tls.TlsContexts;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * Opens client sessions. One client serves any number of sessions on one shared event-loop
 * group (epoll where available): there is no thread per session or connection.
 *
 * <p>Server discovery follows RFC 6120 §3.2 and XEP-0368: SRV records for
 * {@code _xmpp-client._tcp} (or {@code _xmpps-client._tcp} for Direct TLS) through Netty's
 * non-blocking DNS resolver, tried in priority order, then the domain itself on the default port.
 * A configured host skips discovery.
 *
 * <p>Thread: safe. {@link #connect} reads the trust store file on the calling thread the first
 * time a trust store is used; it never blocks on the network.
 */
public final class XmppClient implements AutoCloseable {

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Class<? extends SocketChannel> socketChannel;
    private final DnsNameResolver dns;
    private final Executor compute;
    private final TlsContexts tls = new TlsContexts();
    private final List<String> discoFeatures;
    /** The XEP-0115 element for presence, its ver computed once from the identity and features. */
    private final XmlElement caps;
    /**
     * Heap buffers for XMPP channels: the JDK's TLS engine works on arrays, and the stream parser
     * hands Aalto the array itself, its fastest input (a third faster than direct buffers here).
     */
    private final ByteBufAllocator allocator = new AdaptiveByteBufAllocator(false);

    private XmppClient(Builder b) {
        boolean epoll = Epoll.isAvailable();
        this.ownsGroup = b.group == null;
        this.group = b.group != null ? b.group
                : new MultiThreadIoEventLoopGroup(b.threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        boolean epollGroup = epoll && isEpollGroup(group);
        this.socketChannel = epollGroup ? EpollSocketChannel.class : NioSocketChannel.class;
        Class<? extends DatagramChannel> datagram = epollGroup ? EpollDatagramChannel.class : NioDatagramChannel.class;
        DnsNameResolverBuilder dnsb = new DnsNameResolverBuilder(group.next())
                .datagramChannelType(datagram)
                .queryTimeoutMillis(b.dnsTimeoutMillis)
                .maxQueriesPerResolve(4);
        if (b.dnsServers != null) {
            dnsb.nameServerProvider(new SequentialDnsServerAddressStreamProvider(b.dnsServers));
        }
        this.dns = dnsb.build();
        this.compute = b.compute != null ? b.compute : ForkJoinPool.commonPool();
        this.discoFeatures = List.copyOf(b.discoFeatures);
        this.caps = ServiceResponder.capsElement(discoFeatures);
    }

    private static boolean isEpollGroup(EventLoopGroup g) {
        return g instanceof io.netty.channel.IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects and logs in: TCP, TLS, SASL, bind. The stage completes with the online session, or
     * fails with an {@link XmppException} saying what went wrong. Listener callbacks and every
     * stage of the session complete on {@code callbackExecutor}, one at a time, in order.
     */
    public CompletionStage<XmppSession> connect(XmppSessionConfig config, XmppSessionListener listener,
            Executor callbackExecutor) {
        Objects.requireNonNull(listener, "listener");
        SerialExecutor callbacks = new SerialExecutor(callbackExecutor);
        CompletableFuture<XmppSession> login = new CompletableFuture<>();
        SslContext ssl;
        try {
            ssl = tls.forTrustStore(config.trustStorePem(), config.tlsMode());
        } catch (GeneralSecurityException e) {
            login.completeExceptionally(XmppException.of(XmppException.Kind.TLS_FAILED,
                    "cannot use the trust store: " + e.getMessage(), e));
            return login;
        }
        targets(config).whenComplete((targets, err) -> {
            if (err != null || targets.isEmpty()) {
                callbacks.execute(() -> login.completeExceptionally(XmppException.of(XmppException.Kind.CONNECT_FAILED,
                        "cannot find the server of " + config.jid().domain()
                                + (err == null ? "" : ": " + err.getMessage()), err)));
                return;
            }
            tryConnect(config, ssl, listener, callbacks, login, targets, 0, null);
        });
        return login;
    }

    private void tryConnect(XmppSessionConfig config, SslContext ssl, XmppSessionListener listener,
            SerialExecutor callbacks, CompletableFuture<XmppSession> login, List<InetSocketAddress> targets, int index,
            Throwable last) {
        if (index >= targets.size()) {
            callbacks.execute(() -> login.completeExceptionally(XmppException.of(XmppException.Kind.CONNECT_FAILED,
                    "cannot connect to " + config.jid().domain() + " at " + targets
                            + (last == null ? "" : ": " + last.getMessage()), last)));
            return;
        }
        InetSocketAddress target = targets.get(index);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(socketChannel)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, allocator)
                // what waits for the socket is bounded: past the high mark the application's stanzas are refused
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLowBytes(), config.writeBufferHighBytes()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (config.tlsMode() == TlsMode.DIRECT_TLS) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), config.jid().domain(), target.getPort()));
                        }
                        long ping = config.pingInterval().toMillis();
                        if (ping > 0) {
                            ch.pipeline().addLast("idle", new IdleStateHandler(ping, 0, 0, TimeUnit.MILLISECONDS));
                        }
                        XmppPipeline.install(ch, config, ssl, compute, callbacks, listener, discoFeatures, caps, login);
                    }
                });
        ChannelFuture cf = b.connect(target);
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                tryConnect(config, ssl, listener, callbacks, login, targets, index + 1, f.cause());
            }
        });
    }

    /** Where to connect: the configured host, or SRV targets, or the domain itself. */
    private CompletionStage<List<InetSocketAddress>> targets(XmppSessionConfig config) {
        boolean direct = config.tlsMode() == TlsMode.DIRECT_TLS;
        int defaultPort = config.port() > 0 ? config.port() : direct ? 5223 : 5222;
        String domain = config.jid().domain();
        if (config.host().isPresent()) {
            return resolve(List.of(new SrvTarget(config.host().get(), defaultPort)));
        }
        CompletableFuture<List<SrvTarget>> srv = new CompletableFuture<>();
        String name = (direct ? "_xmpps-client._tcp." : "_xmpp-client._tcp.") + domain + ".";
        dns.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.SRV)).addListener(f -> {
            List<SrvTarget> out = new ArrayList<>();
            if (f.isSuccess()) {
                @SuppressWarnings("unchecked")
                List<DnsRecord> records = (List<DnsRecord>) f.getNow();
                for (DnsRecord r : records) {
                    SrvTarget t = parseSrv(r);
                    if (t != null) {
                        out.add(t);
                    }
                    io.netty.util.ReferenceCountUtil.release(r);
                }
                out.sort(Comparator.comparingInt(SrvTarget::priority).thenComparingInt(t -> -t.weight));
            }
            if (out.size() == 1 && out.get(0).host.equals(".")) {
                out.clear(); // RFC 2782: "." means the service is decidedly not available here
            }
            if (out.isEmpty()) {
                out.add(new SrvTarget(domain, defaultPort));
            }
            srv.complete(out);
        });
        return srv.thenCompose(this::resolve);
    }

    private record SrvTarget(String host, int port, int priority, int weight) {
        SrvTarget(String host, int port) {
            this(host, port, 0, 0);
        }
    }

    private static SrvTarget parseSrv(DnsRecord r) {
        if (!(r instanceof DnsRawRecord raw) || r.type() != DnsRecordType.SRV) {
            return null;
        }
        ByteBuf c = raw.content().duplicate();
        if (c.readableBytes() < 7) {
            return null;
        }
        int priority = c.readUnsignedShort();
        int weight = c.readUnsignedShort();
        int port = c.readUnsignedShort();
        try {
            String host = DefaultDnsRecordDecoder.decodeName(c);
            if (host.endsWith(".") && host.length() > 1) {
                host = host.substring(0, host.length() - 1);
            }
            return new SrvTarget(host, port, priority, weight);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private CompletionStage<List<InetSocketAddress>> resolve(List<SrvTarget> targets) {
        List<CompletableFuture<List<InetSocketAddress>>> each = new ArrayList<>();
        for (SrvTarget t : targets) {
            CompletableFuture<List<InetSocketAddress>> one = new CompletableFuture<>();
            dns.resolveAll(t.host).addListener(f -> {
                List<InetSocketAddress> out = new ArrayList<>();
                if (f.isSuccess()) {
                    @SuppressWarnings("unchecked")
                    List<InetAddress> addrs = (List<InetAddress>) f.getNow();
                    for (InetAddress a : addrs) {
                        out.add(new InetSocketAddress(a, t.port));
                    }
                }
                one.complete(out);
            });
            each.add(one);
        }
        return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            List<InetSocketAddress> all = new ArrayList<>();
            for (CompletableFuture<List<InetSocketAddress>> f : each) {
                all.addAll(f.join());
            }
            return all;
        });
    }

    /** Closes the DNS resolver and, if this client created it, the event-loop group. */
    @Override
    public void close() {
        dns.close();
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Builds a client. */
    public static final class Builder {
        private EventLoopGroup group;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Executor compute;
        private List<InetSocketAddress> dnsServers;
        private int dnsTimeoutMillis = 5000;
        private List<String> discoFeatures = List.of(ServiceResponder.DISCO_INFO_NS, ServiceResponder.PING_NS,
                EntityCaps.NS);

        /** Runs on {@code group} (not closed by the client) instead of a group of its own. */
        public Builder group(EventLoopGroup group) {
            this.group = group;
            return this;
        }

        /** Threads of the client's own group (default: cores). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be positive");
            }
            this.threads = threads;
            return this;
        }

        /** Where CPU-heavy work (SCRAM key derivation) runs; default the common pool. */
        public Builder computeExecutor(Executor compute) {
            this.compute = compute;
            return this;
        }

        /** DNS servers to ask instead of the system's. */
        public Builder dnsServers(List<InetSocketAddress> servers) {
            this.dnsServers = List.copyOf(servers);
            return this;
        }

        public Builder dnsTimeoutMillis(int millis) {
            this.dnsTimeoutMillis = millis;
            return this;
        }

        /** The XEP-0030 features this client advertises (disco#info, ping and caps are always there). */
        public Builder discoFeatures(List<String> features) {
            List<String> all = new ArrayList<>(List.of(ServiceResponder.DISCO_INFO_NS, ServiceResponder.PING_NS,
                    EntityCaps.NS));
            for (String f : features) {
                if (!all.contains(f)) {
                    all.add(f);
                }
            }
            this.discoFeatures = all;
            return this;
        }

        public XmppClient build() {
            return new XmppClient(this);
        }
    }
}
