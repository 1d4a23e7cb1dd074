package org.openzoep.media.ice;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import org.openzoep.media.MediaClock;
import org.openzoep.media.stun.StunMessage;
import org.openzoep.media.transport.PacketReceiver;
import org.openzoep.media.transport.PacketTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ICE-UDP agent (RFC 8445) for one media stream with one component (rtcp-mux). It gathers host
 * and server-reflexive candidates, checks candidate pairs against trickled remote candidates, and
 * once a pair is nominated it is the {@link PacketTransport} of that selected pair, keeping it
 * alive with RFC 7675 consent checks.
 *
 * <p>What it does: candidate priorities and foundations (section 5.1); pairs per base, pruned and
 * ordered by pair priority (6.1.2); ordinary checks paced at Ta with the Frozen/Waiting
 * foundation rule and triggered checks (6.1.4, 7.3.1.4); peer-reflexive remote candidates learnt
 * from checks that arrive before trickle or before the remote credentials (7.3.1.3); role
 * conflicts resolved with the tie-breaker and 487 (7.3.1.1, 7.2.5.1); regular nomination by the
 * controlling agent, which re-checks its best succeeded pair with USE-CANDIDATE (8.1.1), and
 * selection by the controlled agent on USE-CANDIDATE for a succeeded pair (7.3.1.5); responses
 * accepted only from where the request went (7.2.5.2.1); short-term credentials with USERNAME
 * "remote:local", MESSAGE-INTEGRITY and FINGERPRINT on everything.
 *
 * <p>Limits: no TURN, no ICE restart, one component, and a valid pair is the checked pair itself
 * (its local side reported as the candidate that matches the mapped address) rather than a
 * separate entry in a valid list.
 *
 * <p>Thread: confined to one event loop of the group ({@link #eventLoop()}); one periodic tick
 * on that loop (every pacing interval while checking, every 100 ms once connected) drives pacing,
 * retransmissions and timeouts by reading the {@link MediaClock}.
 * Public methods may be called from any thread and hand off to the loop; listener callbacks run
 * on the loop and must only hand off. Buffers: {@link #send} takes ownership; the
 * {@link PacketReceiver} borrows each datagram for the call, after which the agent releases it.
 */
public final class IceAgent implements PacketTransport {

    private static final Logger LOG = LoggerFactory.getLogger(IceAgent.class);

    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final int COMPONENT = 1;
    private static final int MAX_DATAGRAM = 2048;
    private static final String SOFTWARE = "OpenZoep";
    /** RFC 8445 section 6.1.2.5 suggests limiting the checklist; remote candidates beyond this are ignored. */
    private static final int MAX_REMOTE_CANDIDATES = 100;

    /** STUN retransmission (RFC 8489 section 6.2.1): initial RTO, doubled per retransmission. */
    private static final long RTO_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Gathering gives up on a server after this (sends at 0, 0.5 and 1.5 s). */
    private static final long GATHER_GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** A check's RTO stops doubling here. */
    private static final long CHECK_RTO_CAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1600);
    /** A check fails after this without a response (sends at 0, 0.5, 1.5, 3.1, 4.7 s). */
    private static final long CHECK_GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The controlling agent nominates its best valid pair at the latest this long after the first success. */
    private static final long NOMINATION_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Tick period once connected: consent checks and their retransmissions need no finer grain. */
    private static final long CONNECTED_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** RFC 7675 section 5.1: a consent check about every 5 s, randomised by +-20%. */
    private static final long CONSENT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Receives the agent's events; all called on its event loop, implementations only hand off. */
    public interface Listener {
        /** A new local candidate to signal (XEP-0176 transport-info). */
        void onLocalCandidate(IceCandidate c);

        /** No more local candidates will come. */
        void onGatheringComplete();

        /** The selected (nominated) pair; the agent's {@link PacketTransport} is usable from now on. */
        void onConnected(IceCandidate local, IceCandidate remote);

        /** No pair within the check timeout, all pairs failed, or a credential problem. */
        void onFailed(String reason);

        /** RFC 7675: no response to consent checks within the consent timeout; sending stopped. */
        void onConsentLost();
    }

    /** Builds and starts an {@link IceAgent}. */
    public static Builder builder(EventLoopGroup group) {
        return new Builder(group);
    }

    /** Configures an agent; {@link #start()} binds it. */
    public static final class Builder {
        private final EventLoopGroup group;
        private Class<? extends DatagramChannel> channelType;
        private boolean controlling;
        private List<InetAddress> hostAddresses;
        private List<InetSocketAddress> stunServers = List.of();
        private boolean hostCandidates = true;
        private Duration checkTimeout = Duration.ofSeconds(10);
        private Duration consentTimeout = Duration.ofSeconds(30);
        private Duration pacing = Duration.ofMillis(20);
        private MediaClock clock = MediaClock.SYSTEM;
        private Listener listener;

        private Builder(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
        }

        /** Default: {@link NioDatagramChannel}, or the epoll channel when the group is epoll. */
        public Builder channelType(Class<? extends DatagramChannel> t) {
            this.channelType = Objects.requireNonNull(t, "channel type");
            return this;
        }

        /** Whether this agent starts in the controlling role (the initiator); default false. */
        public Builder controlling(boolean c) {
            this.controlling = c;
            return this;
        }

        /**
         * The addresses to bind, one socket each. Default: the addresses of all up, non-loopback,
         * non-virtual interfaces (IPv4, and IPv6 that is not link-local), loopback if there are none.
         */
        public Builder hostAddresses(List<InetAddress> a) {
            this.hostAddresses = List.copyOf(a);
            return this;
        }

        /** STUN servers for server-reflexive candidates (resolved addresses). */
        public Builder stunServers(List<InetSocketAddress> s) {
            this.stunServers = List.copyOf(s);
            return this;
        }

        /**
         * Whether host candidates are signalled (default true). When false they are still bases,
         * but only server-reflexive candidates are announced, and a reflexive candidate equal to
         * its base is kept rather than pruned (so srflx can be proven on a NAT-less machine).
         */
        public Builder hostCandidates(boolean signal) {
            this.hostCandidates = signal;
            return this;
        }

        /** Fail when no pair is selected within this after checks could start; default 10 s. */
        public Builder checkTimeout(Duration d) {
            this.checkTimeout = positive(d);
            return this;
        }

        /** RFC 7675: consent is lost after this without a consent response; default 30 s. */
        public Builder consentTimeout(Duration d) {
            this.consentTimeout = positive(d);
            return this;
        }

        /** Ta, the pacing of ordinary and triggered checks; default 20 ms. */
        public Builder pacing(Duration ta) {
            this.pacing = positive(ta);
            return this;
        }

        public Builder clock(MediaClock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public Builder listener(Listener l) {
            this.listener = l;
            return this;
        }

        private static Duration positive(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("must be positive: " + d);
            }
            return d;
        }

        /**
         * Binds one UDP socket per host address on one event loop of the group, then (on that loop)
         * emits the host candidates and starts gathering server-reflexive ones. Enumerating the
         * default host addresses reads the interface list on the calling thread.
         *
         * @return completes with the agent once bound; fails when no address could be bound (or
         *     none was given)
         */
        public CompletionStage<IceAgent> start() {
            List<InetAddress> addresses = hostAddresses != null ? hostAddresses : defaultHostAddresses();
            if (addresses.isEmpty()) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("no host addresses"));
            }
            IceAgent agent = new IceAgent(this);
            return agent.bind(addresses, channelType != null ? channelType : defaultChannelType(group));
        }
    }

    /**
     * The epoll datagram channel when the group runs epoll I/O handlers, else NIO. By name: the
     * epoll classes are not on engine-media's compile path (only its native library is), but they
     * are at run time wherever an epoll group exists.
     */
    private static Class<? extends DatagramChannel> defaultChannelType(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            try {
                ClassLoader cl = IceAgent.class.getClassLoader();
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
    public static List<InetAddress> defaultHostAddresses() {
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

    // ---------------------------------------------------------------- state (event loop only)

    private enum State { RUNNING, CONNECTED, CONSENT_LOST, FAILED, CLOSED }

    private enum PairState { FROZEN, WAITING, IN_PROGRESS, SUCCEEDED, FAILED }

    private enum Kind { GATHER, CHECK, CONSENT }

    /** A local socket and its host candidate. */
    private static final class Base {
        final Channel channel;
        final InetSocketAddress address;
        final IceCandidate host;
        final int localPreference;
        IceCandidate srflx;

        Base(Channel channel, InetSocketAddress address, IceCandidate host, int localPreference) {
            this.channel = channel;
            this.address = address;
            this.host = host;
            this.localPreference = localPreference;
        }
    }

    private static final class Pair {
        final Base base;
        /** Volatile: replaced on the loop (prflx by its signalled twin), read by {@link #remoteAddress()}. */
        volatile IceCandidate remote;
        long priority;
        PairState state;
        /** Controlled side: USE-CANDIDATE arrived before this pair's own check succeeded. */
        boolean nominateOnSuccess;
        /** The local candidate whose address the success response mapped (for reporting). */
        IceCandidate validLocal;

        Pair(Base base, IceCandidate remote) {
            this.base = base;
            this.remote = remote;
        }

        String foundation() {
            return base.host.foundation() + ':' + remote.foundation();
        }

        @Override
        public String toString() {
            return base.address + " -> " + remote.address() + " " + state;
        }
    }

    private static final class Transaction {
        final Kind kind;
        final byte[] id;
        final Base base;
        final InetSocketAddress to;
        final byte[] request;
        final Pair pair;
        final boolean controlling;
        final boolean useCandidate;
        final long giveUpAt;
        final long rtoCap;
        long rto;
        long nextAt;

        Transaction(Kind kind, byte[] id, Base base, InetSocketAddress to, byte[] request, Pair pair,
                boolean controlling, boolean useCandidate, long now, long rto, long rtoCap, long giveUpAfter) {
            this.kind = kind;
            this.id = id;
            this.base = base;
            this.to = to;
            this.request = request;
            this.pair = pair;
            this.controlling = controlling;
            this.useCandidate = useCandidate;
            this.rto = rto;
            this.rtoCap = rtoCap;
            this.nextAt = now + rto;
            this.giveUpAt = now + giveUpAfter;
        }
    }

    private final EventLoop loop;
    private final MediaClock clock;
    private final Listener listener;
    private final boolean signalHost;
    private final List<InetSocketAddress> stunServers;
    private final long checkTimeoutNanos;
    private final long consentTimeoutNanos;
    private final long paceNanos;
    private final SecureRandom random = new SecureRandom();
    private final String localUfrag;
    private final String localPassword;
    private final Mac localMac;
    private final long tieBreaker;

    private volatile boolean controlling;
    private volatile Pair selected;
    private volatile PacketReceiver receiver;
    private volatile State state = State.RUNNING;
    private volatile long checksSent;
    private volatile long dropped;
    private final AtomicLong unsent = new AtomicLong();

    private volatile List<InetSocketAddress> socketAddresses = List.of();
    private String remoteUfrag;
    private Mac remoteMac;
    private boolean remoteComplete;
    private final List<Base> bases = new ArrayList<>();
    private final List<IceCandidate> signalled = new CopyOnWriteArrayList<>();
    private final List<IceCandidate> peerReflexiveLocal = new ArrayList<>();
    private final List<IceCandidate> remoteCandidates = new ArrayList<>();
    private final List<Pair> pairs = new ArrayList<>();
    /** Datagrams that came before the pair was selected or the receiver set; see {@link #holdEarly}. */
    private final java.util.ArrayDeque<Early> early = new java.util.ArrayDeque<>();
    private static final int EARLY_MAX = 16;
    private final ArrayDeque<Pair> triggered = new ArrayDeque<>();
    private final List<Transaction> transactions = new ArrayList<>();
    private int gatheringPending;
    private long checksStartedAt = -1;
    private long lastPaceAt;
    private long firstValidAt = -1;
    private Pair nominating;
    private long lastConsentAt;
    private long nextConsentAt;
    private ScheduledFuture<?> tick;

    private IceAgent(Builder b) {
        this.loop = b.group.next();
        this.clock = b.clock;
        this.listener = b.listener != null ? b.listener : new Listener() {
            @Override
            public void onLocalCandidate(IceCandidate c) {
            }

            @Override
            public void onGatheringComplete() {
            }

            @Override
            public void onConnected(IceCandidate local, IceCandidate remote) {
            }

            @Override
            public void onFailed(String reason) {
            }

            @Override
            public void onConsentLost() {
            }
        };
        this.controlling = b.controlling;
        this.signalHost = b.hostCandidates;
        this.stunServers = b.stunServers;
        this.checkTimeoutNanos = b.checkTimeout.toNanos();
        this.consentTimeoutNanos = b.consentTimeout.toNanos();
        this.paceNanos = b.pacing.toNanos();
        this.localUfrag = randomIceChars(8);
        this.localPassword = randomIceChars(24);
        this.localMac = StunMessage.hmac(StunMessage.shortTermKey(localPassword));
        this.tieBreaker = random.nextLong();
        this.lastPaceAt = clock.nanoTime() - paceNanos;
    }

    private String randomIceChars(int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return s.toString();
    }

    private CompletionStage<IceAgent> bind(List<InetAddress> addresses, Class<? extends DatagramChannel> channelType) {
        CompletableFuture<IceAgent> result = new CompletableFuture<>();
        int n = addresses.size();
        ChannelFuture[] futures = new ChannelFuture[n];
        Handler[] handlers = new Handler[n];
        AtomicInteger left = new AtomicInteger(n);
        for (int i = 0; i < n; i++) {
            handlers[i] = new Handler();
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

    private void bound(ChannelFuture[] futures, Handler[] handlers, CompletableFuture<IceAgent> result) {
        Throwable firstError = null;
        for (int i = 0; i < futures.length; i++) {
            ChannelFuture f = futures[i];
            if (!f.isSuccess()) {
                firstError = firstError != null ? firstError : f.cause();
                continue;
            }
            InetSocketAddress address = (InetSocketAddress) f.channel().localAddress();
            int localPreference = Math.max(0, 65535 - i);
            IceCandidate host = new IceCandidate(
                    IceCandidate.foundation(IceCandidate.Type.HOST, address.getAddress(), null, "udp"), COMPONENT,
                    "udp", IceCandidate.priority(IceCandidate.Type.HOST, localPreference, COMPONENT), address,
                    IceCandidate.Type.HOST, null, 0);
            Base base = new Base(f.channel(), address, host, localPreference);
            handlers[i].base = base;
            bases.add(base);
        }
        if (bases.isEmpty()) {
            state = State.CLOSED;
            result.completeExceptionally(firstError != null ? firstError : new IllegalStateException("nothing bound"));
            return;
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (Base base : bases) {
            addresses.add(base.address);
        }
        socketAddresses = List.copyOf(addresses);
        long tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(paceNanos, TimeUnit.MILLISECONDS.toNanos(20)));
        tick = loop.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        // the host candidates are in localCandidates() by the time the caller has the agent
        if (signalHost) {
            for (Base base : bases) {
                signalled.add(base.host);
            }
        }
        result.complete(this);
        if (signalHost) {
            for (Base base : bases) {
                notify(() -> listener.onLocalCandidate(base.host));
            }
        }
        long now = clock.nanoTime();
        for (Base base : bases) {
            for (InetSocketAddress server : stunServers) {
                if (server.isUnresolved() || !sameFamily(base.address, server)) {
                    continue;
                }
                byte[] id = transactionId();
                ByteBuf b = Unpooled.buffer(28);
                StunMessage.write(b, StunMessage.BINDING, StunMessage.REQUEST, id).fingerprint();
                byte[] request = ByteBufUtil.getBytes(b);
                b.release();
                Transaction tx = new Transaction(Kind.GATHER, id, base, server, request, null, false, false, now,
                        RTO_NANOS, Long.MAX_VALUE, GATHER_GIVE_UP_NANOS);
                transactions.add(tx);
                gatheringPending++;
                transmit(base, server, request);
            }
        }
        if (gatheringPending == 0) {
            notify(listener::onGatheringComplete);
        }
    }

    private static boolean sameFamily(InetSocketAddress a, InetSocketAddress b) {
        return (a.getAddress() instanceof Inet4Address) == (b.getAddress() instanceof Inet4Address);
    }

    private byte[] transactionId() {
        byte[] id = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        random.nextBytes(id);
        return id;
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.debug("ICE listener threw", e);
        }
    }

    // ---------------------------------------------------------------- public API

    /** This agent's ufrag: 8 random ice-chars. */
    public String localUfrag() {
        return localUfrag;
    }

    /** This agent's password: 24 random ice-chars. */
    public String localPassword() {
        return localPassword;
    }

    /** The current role (it may change once, on a role conflict). */
    public boolean controlling() {
        return controlling;
    }

    /** The remote ufrag and password; any thread. Checks start once these and a remote candidate are known. */
    public void remoteCredentials(String ufrag, String password) {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(password, "password");
        loop.execute(() -> {
            remoteUfrag = ufrag;
            remoteMac = StunMessage.hmac(StunMessage.shortTermKey(password));
        });
    }

    /** A trickled remote candidate (XEP-0176 transport-info); any thread. Non-UDP and unresolved ones are ignored. */
    public void addRemoteCandidate(IceCandidate c) {
        Objects.requireNonNull(c, "candidate");
        loop.execute(() -> addRemote(c));
    }

    /** No more remote candidates will come; any thread. */
    public void remoteCandidatesComplete() {
        loop.execute(() -> remoteComplete = true);
    }

    /** The local candidates signalled so far (snapshot). */
    public List<IceCandidate> localCandidates() {
        return List.copyOf(signalled);
    }

    /** The addresses of the agent's sockets (the bases of its candidates), in host-address order. */
    public List<InetSocketAddress> socketAddresses() {
        return socketAddresses;
    }

    /** Connectivity and consent checks sent (first transmissions). */
    public long checksSent() {
        return checksSent;
    }

    /** Inbound datagrams dropped: malformed, unmatched, unauthenticated STUN, or media not from the selected remote. */
    public long droppedDatagrams() {
        return dropped;
    }

    /** Outbound datagrams released unsent: before connected, after consent loss or close. */
    public long unsentDatagrams() {
        return unsent.get();
    }

    /** Whether a pair is selected and consent holds. */
    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** The local address of the selected pair's socket, or null. */
    public InetSocketAddress localAddress() {
        Pair s = selected;
        return s == null ? null : s.base.address;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    /** The selected pair's remote address, or null before connected. */
    @Override
    public InetSocketAddress remoteAddress() {
        Pair s = selected;
        return s == null ? null : s.remote.address();
    }

    /**
     * Sends one datagram on the selected pair; before connected, after consent loss or after close
     * it is released and counted ({@link #unsentDatagrams()}).
     *
     * @param packet ownership taken
     */
    @Override
    public void send(ByteBuf packet) {
        Pair s = selected;
        if (s == null || state != State.CONNECTED || !s.base.channel.isActive()) {
            packet.release();
            unsent.incrementAndGet();
            return;
        }
        s.base.channel.writeAndFlush(new DatagramPacket(packet, s.remote.address()), s.base.channel.voidPromise());
    }

    @Override
    public void receiver(PacketReceiver r) {
        this.receiver = r;
        if (!loop.isShuttingDown()) {
            loop.execute(this::flushEarly);
        }
    }

    /** Stops all timers and closes all sockets; no listener call follows. Completes when closed. */
    @Override
    public CompletionStage<Void> closeAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (loop.isShuttingDown()) {
            // the group is going away and closes the sockets with it
            state = State.CLOSED;
            done.complete(null);
            return done;
        }
        loop.execute(() -> {
            state = State.CLOSED;
            if (tick != null) {
                tick.cancel(false);
            }
            transactions.clear();
            triggered.clear();
            if (bases.isEmpty()) {
                done.complete(null);
                return;
            }
            AtomicInteger left = new AtomicInteger(bases.size());
            for (Base base : bases) {
                base.channel.close().addListener(f -> {
                    if (left.decrementAndGet() == 0) {
                        done.complete(null);
                    }
                });
            }
        });
        return done;
    }

    @Override
    public String toString() {
        return "IceAgent[" + localUfrag + (controlling ? ", controlling, " : ", controlled, ") + state
                + (selected != null ? ", " + selected : "") + "]";
    }

    // ---------------------------------------------------------------- candidates and pairs

    private void addRemote(IceCandidate c) {
        if (state == State.CLOSED) {
            return;
        }
        if (!"udp".equalsIgnoreCase(c.protocol()) || c.component() != COMPONENT || c.address().isUnresolved()
                || c.address().getPort() == 0) {
            LOG.debug("ignoring remote candidate {}", c);
            return;
        }
        for (int i = 0; i < remoteCandidates.size(); i++) {
            IceCandidate known = remoteCandidates.get(i);
            if (known.address().equals(c.address())) {
                if (known.type() == IceCandidate.Type.PRFLX && c.type() != IceCandidate.Type.PRFLX) {
                    // the signalled candidate replaces what we learnt from its checks
                    remoteCandidates.set(i, c);
                    for (Pair p : pairs) {
                        if (p.remote == known) {
                            p.remote = c;
                        }
                    }
                    reprioritise();
                }
                return;
            }
        }
        if (state != State.RUNNING || remoteCandidates.size() >= MAX_REMOTE_CANDIDATES) {
            return;
        }
        remoteCandidates.add(c);
        for (Base base : bases) {
            if (pairable(base, c.address()) && findPair(base, c.address()) == null) {
                Pair p = newPair(base, c);
                p.state = foundationActive(p) ? PairState.FROZEN : PairState.WAITING;
            }
        }
    }

    private static boolean pairable(Base base, InetSocketAddress remote) {
        return sameFamily(base.address, remote)
                && base.address.getAddress().isLoopbackAddress() == remote.getAddress().isLoopbackAddress();
    }

    private Pair newPair(Base base, IceCandidate remote) {
        Pair p = new Pair(base, remote);
        p.priority = pairPriority(base.host, remote);
        pairs.add(p);
        pairs.sort(BY_PRIORITY);
        return p;
    }

    private static final Comparator<Pair> BY_PRIORITY = (a, b) -> Long.compare(b.priority, a.priority);

    private long pairPriority(IceCandidate local, IceCandidate remote) {
        return controlling ? IceCandidate.pairPriority(local.priority(), remote.priority())
                : IceCandidate.pairPriority(remote.priority(), local.priority());
    }

    private void reprioritise() {
        for (Pair p : pairs) {
            p.priority = pairPriority(p.base.host, p.remote);
        }
        pairs.sort(BY_PRIORITY);
    }

    private boolean foundationActive(Pair p) {
        String f = p.foundation();
        for (Pair q : pairs) {
            if (q != p && (q.state == PairState.WAITING || q.state == PairState.IN_PROGRESS) && q.foundation().equals(f)) {
                return true;
            }
        }
        return false;
    }

    private Pair findPair(Base base, InetSocketAddress remote) {
        for (Pair p : pairs) {
            if (p.base == base && p.remote.address().equals(remote)) {
                return p;
            }
        }
        return null;
    }

    private IceCandidate findRemote(InetSocketAddress address) {
        for (IceCandidate c : remoteCandidates) {
            if (c.address().equals(address)) {
                return c;
            }
        }
        return null;
    }

    /** The next pair to check: triggered first, else the best Waiting, else unfreeze by foundation (6.1.4.2). */
    private Pair nextPair() {
        while (!triggered.isEmpty()) {
            Pair p = triggered.poll();
            if (p == nominating || p.state == PairState.WAITING) {
                return p;
            }
        }
        for (Pair p : pairs) {
            if (p.state == PairState.WAITING) {
                return p;
            }
        }
        for (Pair p : pairs) {
            if (p.state == PairState.FROZEN && !foundationActive(p)) {
                return p;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- timers

    private void tick() {
        try {
            if (state == State.CLOSED) {
                return;
            }
            long now = clock.nanoTime();
            retransmit(now);
            if (state == State.RUNNING) {
                checks(now);
            } else if (state == State.CONNECTED) {
                consent(now);
            }
        } catch (RuntimeException e) {
            LOG.debug("ICE tick failed", e);
        }
    }

    private void retransmit(long now) {
        List<Transaction> expired = null;
        for (Transaction tx : transactions) {
            if (now - tx.giveUpAt >= 0) {
                expired = expired == null ? new ArrayList<>() : expired;
                expired.add(tx);
            } else if (now - tx.nextAt >= 0) {
                tx.rto = Math.min(tx.rto * 2, tx.rtoCap);
                tx.nextAt = now + tx.rto;
                transmit(tx.base, tx.to, tx.request);
            }
        }
        if (expired != null) {
            for (Transaction tx : expired) {
                transactions.remove(tx);
                timedOut(tx);
            }
        }
    }

    private void timedOut(Transaction tx) {
        switch (tx.kind) {
            case GATHER -> {
                LOG.debug("no answer from STUN server {}", tx.to);
                gatheringDone();
            }
            case CHECK -> {
                if (tx.pair.state == PairState.IN_PROGRESS || tx.useCandidate) {
                    tx.pair.state = PairState.FAILED;
                }
                if (tx.pair == nominating) {
                    nominating = null;
                }
            }
            case CONSENT -> {
                // a later consent check may still succeed; expiry is judged in consent()
            }
        }
    }

    private void gatheringDone() {
        if (--gatheringPending == 0 && state != State.CLOSED) {
            notify(listener::onGatheringComplete);
        }
    }

    private void checks(long now) {
        if (remoteMac == null || remoteCandidates.isEmpty()) {
            return;
        }
        if (checksStartedAt < 0) {
            checksStartedAt = now;
        }
        if (now - checksStartedAt >= checkTimeoutNanos) {
            fail("no candidate pair succeeded within " + Duration.ofNanos(checkTimeoutNanos));
            return;
        }
        if (remoteComplete && gatheringPending == 0 && triggered.isEmpty() && !pairs.isEmpty()
                && pairs.stream().allMatch(p -> p.state == PairState.FAILED)) {
            fail("all " + pairs.size() + " candidate pairs failed");
            return;
        }
        if (controlling && nominating == null) {
            nominate(now);
        }
        if (now - lastPaceAt >= paceNanos) {
            Pair p = nextPair();
            if (p != null) {
                lastPaceAt = now;
                sendCheck(p, now, p == nominating && controlling);
            }
        }
    }

    /** Regular nomination (RFC 8445 section 8.1.1): re-check the best valid pair with USE-CANDIDATE. */
    private void nominate(long now) {
        Pair best = null;
        for (Pair p : pairs) {
            if (p.state == PairState.SUCCEEDED) {
                best = p;
                break;
            }
        }
        if (best == null) {
            return;
        }
        boolean better = false;
        for (Pair p : pairs) {
            if (p == best) {
                break;
            }
            if (p.state != PairState.FAILED) {
                better = true;
            }
        }
        if (!better || now - firstValidAt >= NOMINATION_WAIT_NANOS) {
            nominating = best;
            triggered.addFirst(best);
        }
    }

    private void consent(long now) {
        if (now - lastConsentAt >= consentTimeoutNanos) {
            state = State.CONSENT_LOST;
            transactions.removeIf(tx -> tx.kind == Kind.CONSENT);
            LOG.debug("consent lost on {}", selected);
            notify(listener::onConsentLost);
            return;
        }
        if (now - nextConsentAt >= 0) {
            long interval = consentInterval();
            nextConsentAt = now + interval;
            Pair s = selected;
            byte[] id = transactionId();
            byte[] request = checkRequest(s, id, false);
            long rto = Math.min(RTO_NANOS, Math.max(interval / 4, 1));
            transactions.add(new Transaction(Kind.CONSENT, id, s.base, s.remote.address(), request, s, controlling,
                    false, now, rto, rto, interval));
            checksSent++;
            transmit(s.base, s.remote.address(), request);
        }
    }

    private long consentInterval() {
        long base = Math.min(CONSENT_INTERVAL_NANOS, consentTimeoutNanos / 6);
        return (long) (base * (0.8 + 0.4 * random.nextDouble()));
    }

    private void fail(String reason) {
        state = State.FAILED;
        triggered.clear();
        transactions.removeIf(tx -> tx.kind == Kind.CHECK);
        LOG.debug("ICE failed: {}", reason);
        notify(() -> listener.onFailed(reason));
    }

    // ---------------------------------------------------------------- sending

    private byte[] checkRequest(Pair p, byte[] id, boolean useCandidate) {
        ByteBuf b = Unpooled.buffer(128);
        try {
            StunMessage.Writer w = StunMessage.write(b, StunMessage.BINDING, StunMessage.REQUEST, id)
                    .username(remoteUfrag + ':' + localUfrag)
                    .priority(IceCandidate.priority(IceCandidate.Type.PRFLX, p.base.localPreference, COMPONENT));
            if (controlling) {
                w.iceControlling(tieBreaker);
            } else {
                w.iceControlled(tieBreaker);
            }
            if (useCandidate) {
                w.useCandidate();
            }
            w.messageIntegrity(remoteMac).fingerprint();
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private void sendCheck(Pair p, long now, boolean useCandidate) {
        // a new check of the same pair supersedes an older one
        transactions.removeIf(tx -> tx.kind == Kind.CHECK && tx.pair == p);
        byte[] id = transactionId();
        byte[] request = checkRequest(p, id, useCandidate);
        if (p.state != PairState.SUCCEEDED) {
            p.state = PairState.IN_PROGRESS;
        }
        transactions.add(new Transaction(Kind.CHECK, id, p.base, p.remote.address(), request, p, controlling,
                useCandidate, now, RTO_NANOS, CHECK_RTO_CAP_NANOS, CHECK_GIVE_UP_NANOS));
        checksSent++;
        transmit(p.base, p.remote.address(), request);
    }

    private void transmit(Base base, InetSocketAddress to, byte[] message) {
        if (base.channel.isActive()) {
            base.channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), to), base.channel.voidPromise());
        }
    }

    private void respond(Base base, InetSocketAddress to, StunMessage request, int errorCode, String reason, Mac mac) {
        ByteBuf b = Unpooled.buffer(128);
        StunMessage.Writer w = StunMessage.write(b, request.method(),
                errorCode == 0 ? StunMessage.SUCCESS : StunMessage.ERROR, request.transactionId());
        if (errorCode == 0) {
            w.xorMappedAddress(to);
        } else {
            w.errorCode(errorCode, reason);
        }
        w.software(SOFTWARE);
        if (mac != null) {
            w.messageIntegrity(mac);
        }
        w.fingerprint();
        if (base.channel.isActive()) {
            base.channel.writeAndFlush(new DatagramPacket(b, to), base.channel.voidPromise());
        } else {
            b.release();
        }
    }

    // ---------------------------------------------------------------- receiving

    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        volatile Base base;

        Handler() {
            super(DatagramPacket.class, true);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            Base b = base;
            if (b == null || state == State.CLOSED) {
                dropped++;
                return;
            }
            try {
                onDatagram(b, packet);
            } catch (RuntimeException e) {
                dropped++;
                LOG.debug("dropped a datagram from {}", packet.sender(), e);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // e.g. ICMP port unreachable: not fatal for the socket
            LOG.debug("ICE socket error", cause);
        }
    }

    private void onDatagram(Base base, DatagramPacket packet) {
        ByteBuf buf = packet.content();
        int off = buf.readerIndex();
        int len = buf.readableBytes();
        InetSocketAddress from = packet.sender();
        if (len > 0 && buf.getUnsignedByte(off) < 4) {
            StunMessage m = StunMessage.parse(buf, off, len);
            if (m == null || m.method() != StunMessage.BINDING) {
                dropped++;
                return;
            }
            switch (m.messageClass()) {
                case StunMessage.REQUEST -> onRequest(base, m, from);
                case StunMessage.SUCCESS, StunMessage.ERROR -> onResponse(base, m, from);
                default -> {
                    // Binding indications are keepalives: nothing to do
                }
            }
            return;
        }
        Pair s = selected;
        PacketReceiver r = receiver;
        if (s != null && state == State.CONNECTED && s.base == base && s.remote.address().equals(from) && r != null) {
            r.onPacket(buf, off, len, clock.nanoTime());
        } else if (!holdEarly(base, from, buf, off, len)) {
            dropped++;
        }
    }

    /**
     * The peer may finish ICE first and start DTLS at once, before this side has selected its pair
     * (the controlled side selects on USE-CANDIDATE; the controlling side on the response to it),
     * or before the layer above has set its receiver. Its first flight would be lost and resent
     * only after DTLS's 1 s timer, so a few such datagrams from a remote of the checklist are kept
     * (copied) and handed over once the pair is selected and the receiver set.
     */
    private boolean holdEarly(Base base, InetSocketAddress from, ByteBuf buf, int off, int len) {
        if ((state != State.RUNNING && state != State.CONNECTED) || early.size() >= EARLY_MAX || len > 2048) {
            return false;
        }
        boolean known = false;
        for (Pair p : pairs) {
            if (p.base == base && p.remote.address().equals(from)) {
                known = true;
                break;
            }
        }
        if (!known) {
            return false;
        }
        byte[] copy = new byte[len];
        buf.getBytes(off, copy);
        early.add(new Early(base, from, copy, clock.nanoTime()));
        return true;
    }

    /** Hands the held datagrams of the selected pair to the receiver; runs on the loop. */
    private void flushEarly() {
        Pair s = selected;
        PacketReceiver r = receiver;
        if (early.isEmpty() || s == null || state != State.CONNECTED || r == null) {
            return;
        }
        Early e;
        while ((e = early.poll()) != null) {
            if (e.base == s.base && e.from.equals(s.remote.address())) {
                ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(e.data);
                try {
                    r.onPacket(b, 0, e.data.length, e.arrival);
                } finally {
                    b.release();
                }
            } else {
                dropped++;
            }
        }
    }

    private record Early(Base base, InetSocketAddress from, byte[] data, long arrival) {
    }

    /** RFC 8445 section 7.3: answer a check, resolve role conflicts, learn prflx, trigger, nominate. */
    private void onRequest(Base base, StunMessage m, InetSocketAddress from) {
        if (!m.hasFingerprint() || !m.verifyFingerprint()) {
            dropped++;
            return;
        }
        String user = m.username();
        if (user == null || !m.hasMessageIntegrity()) {
            respond(base, from, m, 400, "Bad Request", null);
            return;
        }
        int colon = user.indexOf(':');
        if (colon < 0 || !user.substring(0, colon).equals(localUfrag)
                || (remoteUfrag != null && !user.substring(colon + 1).equals(remoteUfrag))
                || !m.verifyIntegrity(localMac)) {
            respond(base, from, m, 401, "Unauthorized", null);
            return;
        }
        if (controlling && m.has(StunMessage.ICE_CONTROLLING)) {
            if (Long.compareUnsigned(tieBreaker, m.iceControlling()) >= 0) {
                respond(base, from, m, 487, "Role Conflict", localMac);
                return;
            }
            switchRole(false);
        } else if (!controlling && m.has(StunMessage.ICE_CONTROLLED)) {
            if (Long.compareUnsigned(tieBreaker, m.iceControlled()) >= 0) {
                switchRole(true);
            } else {
                respond(base, from, m, 487, "Role Conflict", localMac);
                return;
            }
        }
        respond(base, from, m, 0, null, localMac);
        if (state != State.RUNNING) {
            return;
        }
        IceCandidate remote = findRemote(from);
        if (remote == null && remoteCandidates.size() >= MAX_REMOTE_CANDIDATES) {
            return;
        }
        if (remote == null) {
            long priority = m.priority();
            remote = new IceCandidate(IceCandidate.foundation(IceCandidate.Type.PRFLX, from.getAddress(), null, "udp"),
                    COMPONENT, "udp", Math.max(priority, 0), from, IceCandidate.Type.PRFLX, null, 0);
            remoteCandidates.add(remote);
            LOG.debug("learnt peer-reflexive remote candidate {}", from);
        }
        Pair p = findPair(base, from);
        if (p == null) {
            p = newPair(base, remote);
            p.state = PairState.WAITING;
        }
        boolean useCandidate = !controlling && m.useCandidate();
        if (p.state == PairState.SUCCEEDED) {
            if (useCandidate) {
                select(p);
            }
            return;
        }
        if (useCandidate) {
            p.nominateOnSuccess = true;
        }
        if (p.state != PairState.IN_PROGRESS) {
            p.state = PairState.WAITING;
            if (!triggered.contains(p)) {
                triggered.add(p);
            }
        }
    }

    private void switchRole(boolean nowControlling) {
        LOG.debug("role conflict: switching to {}", nowControlling ? "controlling" : "controlled");
        controlling = nowControlling;
        nominating = null;
        reprioritise();
    }

    private Transaction findTransaction(StunMessage m) {
        for (Transaction tx : transactions) {
            if (m.transactionIdEquals(tx.id)) {
                return tx;
            }
        }
        return null;
    }

    private void onResponse(Base base, StunMessage m, InetSocketAddress from) {
        Transaction tx = findTransaction(m);
        if (tx == null || (m.hasFingerprint() && !m.verifyFingerprint())) {
            dropped++;
            return;
        }
        if (tx.kind == Kind.GATHER) {
            onGatherResponse(tx, base, m, from);
            return;
        }
        if (remoteMac == null || !m.verifyIntegrity(remoteMac)) {
            // a forged or stray response must not end the transaction
            dropped++;
            return;
        }
        transactions.remove(tx);
        long now = clock.nanoTime();
        boolean symmetric = from.equals(tx.to) && tx.base == base;
        if (tx.kind == Kind.CONSENT) {
            if (symmetric && m.messageClass() == StunMessage.SUCCESS) {
                lastConsentAt = now;
            }
            return;
        }
        if (state != State.RUNNING) {
            return;
        }
        Pair p = tx.pair;
        if (!symmetric) {
            p.state = PairState.FAILED;
            return;
        }
        if (m.messageClass() == StunMessage.ERROR) {
            if (m.errorCode() == 487) {
                if (controlling == tx.controlling) {
                    switchRole(!tx.controlling);
                }
                p.state = PairState.WAITING;
                triggered.add(p);
            } else {
                LOG.debug("check {} failed: {} {}", p, m.errorCode(), m.errorReason());
                p.state = PairState.FAILED;
                if (p == nominating) {
                    nominating = null;
                }
            }
            return;
        }
        p.state = PairState.SUCCEEDED;
        p.validLocal = localCandidateFor(base, m.xorMappedAddress());
        if (firstValidAt < 0) {
            firstValidAt = now;
        }
        String f = p.foundation();
        for (Pair q : pairs) {
            if (q.state == PairState.FROZEN && q.foundation().equals(f)) {
                q.state = PairState.WAITING;
            }
        }
        if ((tx.useCandidate && controlling && tx.controlling) || (!controlling && p.nominateOnSuccess)) {
            select(p);
        }
    }

    /** The local candidate a success response's mapped address names (RFC 8445 section 7.2.5.3.1). */
    private IceCandidate localCandidateFor(Base base, InetSocketAddress mapped) {
        if (mapped == null) {
            return reported(base);
        }
        for (IceCandidate c : signalled) {
            if (c.address().equals(mapped)) {
                return c;
            }
        }
        if (mapped.equals(base.address)) {
            return base.host;
        }
        for (IceCandidate c : peerReflexiveLocal) {
            if (c.address().equals(mapped)) {
                return c;
            }
        }
        IceCandidate prflx = new IceCandidate(
                IceCandidate.foundation(IceCandidate.Type.PRFLX, base.address.getAddress(), null, "udp"), COMPONENT,
                "udp", IceCandidate.priority(IceCandidate.Type.PRFLX, base.localPreference, COMPONENT), mapped,
                IceCandidate.Type.PRFLX, base.address, 0);
        peerReflexiveLocal.add(prflx);
        return prflx;
    }

    private IceCandidate reported(Base base) {
        return signalHost || base.srflx == null ? base.host : base.srflx;
    }

    private void select(Pair p) {
        if (state != State.RUNNING) {
            return;
        }
        long now = clock.nanoTime();
        selected = p;
        state = State.CONNECTED;
        triggered.clear();
        transactions.removeIf(tx -> tx.kind == Kind.CHECK);
        lastConsentAt = now;
        nextConsentAt = now + consentInterval();
        IceCandidate local = p.validLocal != null ? p.validLocal : reported(p.base);
        LOG.debug("ICE connected: {} -> {}", local, p.remote);
        notify(() -> listener.onConnected(local, p.remote));
        flushEarly();
        // connected, only consent checks (every few seconds) and their resends remain: tick slower
        if (tick != null) {
            tick.cancel(false);
            tick = loop.scheduleAtFixedRate(this::tick, CONNECTED_TICK_NANOS, CONNECTED_TICK_NANOS,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void onGatherResponse(Transaction tx, Base base, StunMessage m, InetSocketAddress from) {
        if (!from.equals(tx.to) || tx.base != base) {
            dropped++;
            return;
        }
        transactions.remove(tx);
        InetSocketAddress mapped = m.messageClass() == StunMessage.SUCCESS
                ? (m.xorMappedAddress() != null ? m.xorMappedAddress() : m.mappedAddress()) : null;
        if (mapped == null) {
            LOG.debug("STUN server {} answered {} {}", from, m.errorCode(), m.errorReason());
        } else if (state != State.CLOSED && !(signalHost && mapped.equals(base.address)) && !signalledAddress(mapped)) {
            IceCandidate srflx = new IceCandidate(
                    IceCandidate.foundation(IceCandidate.Type.SRFLX, base.address.getAddress(), tx.to.getAddress(), "udp"),
                    COMPONENT, "udp", IceCandidate.priority(IceCandidate.Type.SRFLX, base.localPreference, COMPONENT),
                    mapped, IceCandidate.Type.SRFLX, base.address, 0);
            if (base.srflx == null) {
                base.srflx = srflx;
            }
            signalled.add(srflx);
            notify(() -> listener.onLocalCandidate(srflx));
        }
        gatheringDone();
    }

    private boolean signalledAddress(InetSocketAddress a) {
        for (IceCandidate c : signalled) {
            if (c.address().equals(a)) {
                return true;
            }
        }
        return false;
    }
}
