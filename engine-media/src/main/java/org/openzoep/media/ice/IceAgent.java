package org.openzoep.media.ice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.openzoep.media.MediaClock;
import org.openzoep.media.stun.StunMessage;
import org.openzoep.media.transport.PacketReceiver;
import org.openzoep.media.transport.PacketTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ICE-UDP agent (RFC 8445) for one media stream with one component (rtcp-mux). It joins the
 * parts of the {@code ice} package: the {@link CandidateGatherer} (host and server-reflexive
 * candidates), the {@link CheckList} (pairs, states, triggered checks, pacing at Ta), the
 * {@link StunClient} (transactions and retransmission), {@link Nomination} (role and regular
 * nomination) and {@link ConsentFreshness} (RFC 7675). Once a pair is nominated the agent is the
 * {@link PacketTransport} of that selected pair.
 *
 * <p>The agent itself: answers checks (RFC 8445 section 7.3) with short-term credentials
 * (USERNAME "local:remote", MESSAGE-INTEGRITY and FINGERPRINT on everything, 400/401/487 errors),
 * sends the checks the checklist picks and reads their responses, accepting only responses from
 * where the request went (7.2.5.2.1), and demultiplexes STUN from media (RFC 7983).
 *
 * <p>Limits: no TURN, no ICE restart, one component, and a valid pair is the checked pair itself
 * (its local side reported as the candidate that matches the mapped address) rather than a
 * separate entry in a valid list.
 *
 * <p>Thread: confined to one event loop of the group ({@link #eventLoop()}); one periodic tick
 * on that loop (every pacing interval while checking, every 100 ms once connected) drives pacing,
 * retransmissions and timeouts by reading the {@link MediaClock}. Public methods may be called
 * from any thread and hand off to the loop; listener callbacks run on the loop and must only hand
 * off. Buffers: {@link #send} takes ownership; the {@link PacketReceiver} borrows each datagram
 * for the call, after which the agent releases it. The media path allocates nothing per packet.
 */
public final class IceAgent implements PacketTransport {

    private static final Logger LOG = LoggerFactory.getLogger(IceAgent.class);

    static final int COMPONENT = 1;
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /** Tick period once connected: consent checks and their retransmissions need no finer grain. */
    private static final long CONNECTED_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

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
            Class<? extends DatagramChannel> type = channelType != null ? channelType
                    : IceSockets.defaultChannelType(group);
            CompletableFuture<IceAgent> result = new CompletableFuture<>();
            IceSockets.bind(agent.loop, addresses, type, agent.path::onDatagram)
                    .whenComplete((bases, err) -> agent.bound(bases, err, result));
            return result;
        }
    }

    /** Up, non-loopback, non-virtual interfaces' IPv4 and non-link-local IPv6 addresses; else loopback. */
    public static List<InetAddress> defaultHostAddresses() {
        return IceSockets.defaultHostAddresses();
    }

    // ---------------------------------------------------------------- state (event loop only)

    private final EventLoop loop;
    private final MediaClock clock;
    private final SafeListener listener;
    private final long paceNanos;
    private final SecureRandom random = new SecureRandom();
    private final String localUfrag;
    private final String localPassword;
    private final Nomination nomination;
    private final CheckList checkList;
    private final StunClient stun;
    private final CandidateGatherer gatherer;
    private final ConsentFreshness consent;
    private final ConnectivityChecks checks;
    private final SelectedPath path;
    private volatile List<InetSocketAddress> socketAddresses = List.of();
    private final List<Base> bases = new ArrayList<>();
    private boolean remoteComplete;
    private ScheduledFuture<?> tick;

    private IceAgent(Builder b) {
        this.loop = b.group.next();
        this.clock = b.clock;
        this.listener = new SafeListener(b.listener);
        this.paceNanos = b.pacing.toNanos();
        this.localUfrag = randomIceChars(8);
        this.localPassword = randomIceChars(24);
        this.nomination = new Nomination(b.controlling, random.nextLong());
        this.checkList = new CheckList(clock, paceNanos, b.checkTimeout.toNanos(), b.controlling);
        this.stun = new StunClient(Base::transmit, random);
        this.consent = new ConsentFreshness(b.consentTimeout.toNanos(), random);
        this.gatherer = new CandidateGatherer(b.hostCandidates,
                List.of(new ServerReflexiveSource(b.stunServers, stun)), listener);
        this.checks = new ConnectivityChecks(localUfrag, StunMessage.hmac(StunMessage.shortTermKey(localPassword)),
                checkList, nomination, stun, gatherer, consent, () -> state() == IceState.RUNNING, this::select);
        this.path = new SelectedPath(clock, checkList, this::onStun);
    }

    private String randomIceChars(int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return s.toString();
    }

    /** On the loop: the sockets are bound (or not); the caller gets the agent, then gathering starts. */
    private void bound(List<Base> bound, Throwable err, CompletableFuture<IceAgent> result) {
        if (err != null) {
            path.state(IceState.CLOSED);
            result.completeExceptionally(err);
            return;
        }
        bases.addAll(bound);
        socketAddresses = bases.stream().map(base -> base.address).toList();
        long tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(paceNanos, TimeUnit.MILLISECONDS.toNanos(20)));
        tick = loop.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        // the host candidates are in localCandidates() by the time the caller has the agent
        gatherer.bound(bases);
        result.complete(this);
        gatherer.start(clock.nanoTime());
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
        return nomination.controlling();
    }

    /** The remote ufrag and password; any thread. Checks start once these and a remote candidate are known. */
    public void remoteCredentials(String ufrag, String password) {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(password, "password");
        loop.execute(() -> checks.remoteCredentials(ufrag, password));
    }

    /** A trickled remote candidate (XEP-0176 transport-info); any thread. Non-UDP and unresolved ones are ignored. */
    public void addRemoteCandidate(IceCandidate c) {
        Objects.requireNonNull(c, "candidate");
        loop.execute(() -> {
            if (state() != IceState.CLOSED) {
                checkList.addRemote(c, bases, state() == IceState.RUNNING);
            }
        });
    }

    /** No more remote candidates will come; any thread. */
    public void remoteCandidatesComplete() {
        loop.execute(() -> remoteComplete = true);
    }

    /** The local candidates signalled so far (snapshot). */
    public List<IceCandidate> localCandidates() {
        return List.copyOf(gatherer.signalled());
    }

    /** The addresses of the agent's sockets (the bases of its candidates), in host-address order. */
    public List<InetSocketAddress> socketAddresses() {
        return socketAddresses;
    }

    /** Connectivity and consent checks sent (first transmissions). */
    public long checksSent() {
        return checks.checksSent();
    }

    /** Inbound datagrams dropped: malformed, unmatched, unauthenticated STUN, or media not from the selected remote. */
    public long droppedDatagrams() {
        return path.dropped();
    }

    /** Outbound datagrams released unsent: before connected, after consent loss or close. */
    public long unsentDatagrams() {
        return path.unsent();
    }

    /** Whether a pair is selected and consent holds. */
    public boolean isConnected() {
        return state() == IceState.CONNECTED;
    }

    /** The local address of the selected pair's socket, or null. */
    public InetSocketAddress localAddress() {
        CandidatePair s = path.selected();
        return s == null ? null : s.base.address;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    /** The selected pair's remote address, or null before connected. */
    @Override
    public InetSocketAddress remoteAddress() {
        CandidatePair s = path.selected();
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
        path.send(packet);
    }

    @Override
    public void receiver(PacketReceiver r) {
        path.receiver(r);
        if (!loop.isShuttingDown()) {
            loop.execute(path::flushEarly);
        }
    }

    /** Stops all timers and closes all sockets; no listener call follows. Completes when closed. */
    @Override
    public CompletionStage<Void> closeAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (loop.isShuttingDown()) {
            // the group is going away and closes the sockets with it
            path.state(IceState.CLOSED);
            done.complete(null);
            return done;
        }
        loop.execute(() -> {
            path.state(IceState.CLOSED);
            if (tick != null) {
                tick.cancel(false);
            }
            gatherer.close();
            stun.cancelAll();
            checkList.clearTriggered();
            IceSockets.close(bases).thenRun(() -> done.complete(null));
        });
        return done;
    }

    @Override
    public String toString() {
        return "IceAgent[" + localUfrag + (controlling() ? ", controlling, " : ", controlled, ") + state()
                + (path.selected() != null ? ", " + path.selected() : "") + "]";
    }

    // ---------------------------------------------------------------- timer and events

    private IceState state() {
        return path.state();
    }

    private void tick() {
        try {
            if (state() == IceState.CLOSED) {
                return;
            }
            long now = clock.nanoTime();
            stun.tick(now);
            if (state() == IceState.RUNNING) {
                runChecks(now);
            } else if (state() == IceState.CONNECTED) {
                keepConsent(now);
            }
        } catch (RuntimeException e) {
            LOG.debug("ICE tick failed", e);
        }
    }

    private void runChecks(long now) {
        if (!checks.ready()) {
            return;
        }
        if (checkList.timedOut(now)) {
            fail("no candidate pair succeeded within " + Duration.ofNanos(checkList.checkTimeoutNanos()));
            return;
        }
        if (remoteComplete && gatherer.complete() && checkList.allFailed()) {
            fail("all " + checkList.pairs().size() + " candidate pairs failed");
            return;
        }
        nomination.tick(now, checkList);
        CandidatePair p = checkList.next(now, nomination.nominating());
        if (p != null) {
            checks.check(p, now);
        }
    }

    private void keepConsent(long now) {
        switch (consent.tick(now)) {
            case LOST -> {
                path.state(IceState.CONSENT_LOST);
                checks.cancelConsentChecks();
                LOG.debug("consent lost on {}", path.selected());
                listener.onConsentLost();
            }
            case CHECK -> checks.consentCheck(path.selected(), now, consent.retransmission());
            case NOTHING -> {
            }
        }
    }

    private void fail(String reason) {
        path.state(IceState.FAILED);
        checkList.clearTriggered();
        checks.cancelChecks();
        LOG.debug("ICE failed: {}", reason);
        listener.onFailed(reason);
    }

    private void select(CandidatePair p) {
        if (state() != IceState.RUNNING) {
            return;
        }
        long now = clock.nanoTime();
        path.select(p);
        checkList.clearTriggered();
        checks.cancelChecks();
        consent.start(now);
        IceCandidate local = p.validLocal != null ? p.validLocal : gatherer.reported(p.base);
        LOG.debug("ICE connected: {} -> {}", local, p.remote);
        listener.onConnected(local, p.remote);
        path.flushEarly();
        // connected, only consent checks (every few seconds) and their resends remain: tick slower
        if (tick != null) {
            tick.cancel(false);
            tick = loop.scheduleAtFixedRate(this::tick, CONNECTED_TICK_NANOS, CONNECTED_TICK_NANOS,
                    TimeUnit.NANOSECONDS);
        }
    }

    /** An inbound STUN message (RFC 7983 demultiplexing put it here); false when dropped. */
    private boolean onStun(Base base, StunMessage m, InetSocketAddress from) {
        if (m.method() != StunMessage.BINDING) {
            return false;
        }
        return switch (m.messageClass()) {
            case StunMessage.REQUEST -> checks.onRequest(base, m, from);
            case StunMessage.SUCCESS, StunMessage.ERROR -> stun.onResponse(m, base, from, clock.nanoTime());
            default -> true; // Binding indications are keepalives: nothing to do
        };
    }
}
