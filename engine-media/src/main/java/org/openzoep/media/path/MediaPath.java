package org.openzoep.media.path;

import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.openzoep.media.MediaClock;
import org.openzoep.media.description.DtlsSetup;
import org.openzoep.media.description.IceParameters;
import org.openzoep.media.description.Negotiated;
import org.openzoep.media.description.OfferAnswer;
import org.openzoep.media.description.PayloadFormat;
import org.openzoep.media.description.SdesCrypto;
import org.openzoep.media.description.Security;
import org.openzoep.media.ice.IceAgent;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.media.session.Conference;
import org.openzoep.media.session.MediaSession;
import org.openzoep.media.srtp.SrtpHandshakeException;
import org.openzoep.media.srtp.SrtpTransport;
import org.openzoep.media.transport.MediaTransport;
import org.openzoep.media.transport.PacketTransport;
import org.openzoep.media.transport.PlainRtpTransport;
import org.openzoep.media.transport.UdpPacketTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call leg's media, built from a {@link Negotiated} description, knowing nothing of who
 * signalled it (Jingle, SIP). Three layers, each chosen by the negotiation:
 * <ol>
 *   <li>transport: an {@link IceAgent} (RFC 8445; host and server-reflexive candidates, trickled),
 *       or one plain UDP socket ({@link UdpPacketTransport}) to the peer's fixed address;
 *   <li>security: DTLS-SRTP ({@link SrtpTransport#handshake}, RFC 5763/5764, 10 s), SDES-SRTP
 *       ({@link SrtpTransport#keyed}, RFC 4568) or none ({@link PlainRtpTransport});
 *   <li>codecs: a {@link CodecFactory} chain in a {@link MediaSession}, added to the call's
 *       {@link Conference} (which the call owns and attaches to the {@code FrameClock}).
 * </ol>
 * {@link #start} may come before or after the transport connects (a fingerprint can arrive after
 * ICE has chosen a pair); security and codecs start once both are there.
 *
 * <p>Threads: the path's state lives on one event loop of the engine's group; the public methods
 * may be called from any thread (they hop there; {@link #open} enumerates interfaces on the
 * calling thread), and the {@link Listener} is called there. {@link #closeAsync} removes the
 * member from the conference and closes the codecs on {@link MediaResources#closeExecutor} (the
 * removal waits for a frame in progress), never on the event loop. The DTLS handshake takes a
 * thread of {@link MediaResources#dtlsExecutor}; when that pool is full the path fails with
 * {@link PathFailure#OVERLOADED}. Buffers: none cross this class; the layers below own theirs.
 */
public final class MediaPath {

    private static final Logger LOG = LoggerFactory.getLogger(MediaPath.class);
    private static final Duration DTLS_TIMEOUT = Duration.ofSeconds(10);
    /** Trickled candidates kept while the agent is being opened. */
    private static final int MAX_QUEUED_CANDIDATES = 64;
    /** What the path reports as candidate types without ICE. */
    private static final String UDP = "udp";

    /** The path's events; called on the path's event loop: the core hops to its serial executor. */
    public interface Listener {
        /** A local candidate to trickle (XEP-0176 transport-info, SDP a=candidate). */
        void onLocalCandidate(IceCandidate c);

        /** ICE chose a pair (or the plain UDP path is set): candidate types, "udp" without ICE. */
        void onConnected(String localType, String remoteType);

        /** Security keyed, codecs running, the member is in the conference. */
        void onMediaStarted();

        /** The path failed; it stays until {@link #closeAsync}. */
        void onFailed(PathFailure failure, String text);

        /** An RFC 4733 event from the peer (0-15: 0-9, *, #, A-D). */
        void onDtmf(int event);
    }

    /** Why a path failed. */
    public enum PathFailure {
        /** No ICE pair, or the transport could not be opened. */
        ICE_FAILED,
        /** The DTLS handshake failed: wrong fingerprint, timeout, alert, too many handshakes. */
        DTLS_FAILED,
        /** Media stopped on a connected path (ICE consent lost). */
        MEDIA_LOST,
        /** The codecs or the session could not start, or security could not be keyed. */
        MEDIA_FAILED,
        /**
         * The engine's DTLS handshake pool is full (as many handshakes in progress as it has
         * threads): this path cannot be secured now; a later call may be.
         */
        OVERLOADED
    }

    private enum State { NEW, OPEN, FAILED, CLOSED }

    private final MediaResources res;
    private final PathOptions options;
    private final Conference conference;
    private final Listener listener;
    private final EventLoop loop;
    private final CodecFactory codecs;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();

    // event loop
    private State state = State.NEW;
    private final List<IceCandidate> queued = new ArrayList<>();
    private IceParameters remoteIce;
    private boolean credentialsGiven;
    private Negotiated negotiated;
    private boolean connected;
    private boolean securing;
    private CompletableFuture<SrtpTransport> handshake;
    private MediaTransport secure;
    private CodecFactory.Chain chain;

    // any thread
    private volatile IceAgent agent;
    private volatile UdpPacketTransport udp;
    private volatile MediaSession session;
    private volatile SrtpTransport srtp;
    private volatile String localType;
    private volatile String remoteType;
    private volatile String codecName;
    private volatile PathStats finalStats;
    private byte[] sdesKey;
    private boolean openCalled;
    private CompletableFuture<Void> closed;

    private MediaPath(MediaResources res, PathOptions options, Conference conference, Listener listener) {
        this.res = Objects.requireNonNull(res, "res");
        this.options = Objects.requireNonNull(options, "options");
        this.conference = Objects.requireNonNull(conference, "conference");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.loop = res.group().next();
        this.codecs = new CodecFactory(options.codecs());
    }

    /** A path for one call leg; nothing is opened before {@link #open}. */
    public static MediaPath create(MediaResources res, PathOptions options, Conference conference, Listener l) {
        return new MediaPath(res, options, conference, l);
    }

    // ------------------------------------------------------------------ transport

    /**
     * Opens the transport: an ICE agent (host candidates now, server-reflexive ones trickled
     * through {@link Listener#onLocalCandidate}), or one plain UDP socket. Enumerates the host
     * addresses on the calling thread when none are configured: not on an event loop.
     *
     * @return completes when {@link #localIce} or {@link #localConnection} can be signalled; fails
     *     when no socket could be bound
     */
    public CompletionStage<Void> open() {
        synchronized (this) {
            if (openCalled || closed != null) {
                return opened;
            }
            openCalled = true;
        }
        try {
            if (options.ice()) {
                IceAgent.Builder b = IceAgent.builder(res.group()).channelType(res.channelType())
                        .controlling(options.controlling()).hostCandidates(res.hostCandidates())
                        .stunServers(options.stunServers()).listener(new IceEvents());
                if (!res.hostAddresses().isEmpty()) {
                    b.hostAddresses(res.hostAddresses());
                }
                b.start().whenComplete((a, err) -> onLoop(() -> transportOpen(a, null, err)));
            } else {
                List<InetAddress> hosts = res.hostAddresses().isEmpty() ? IceAgent.defaultHostAddresses()
                        : res.hostAddresses();
                UdpPacketTransport.bind(res.group(), res.channelType(), new InetSocketAddress(hosts.get(0), 0), null,
                        MediaClock.SYSTEM).whenComplete((u, err) -> onLoop(() -> transportOpen(null, u, err)));
            }
        } catch (RuntimeException e) {
            opened.completeExceptionally(e);
        }
        return opened;
    }

    private void transportOpen(IceAgent a, UdpPacketTransport u, Throwable err) {
        if (err != null) {
            opened.completeExceptionally(err);
            fail(PathFailure.ICE_FAILED, "cannot open a media socket: " + cause(err).getMessage());
            return;
        }
        if (state == State.CLOSED) {
            (a != null ? a.closeAsync() : u.closeAsync()).whenComplete((v, e) -> opened.complete(null));
            return;
        }
        agent = a;
        udp = u;
        state = State.OPEN;
        applyRemote();
        opened.complete(null);
        udpReady();
        maybeSecure();
    }

    /** Without ICE the path is connected as soon as the socket is bound and the remote known. */
    private void udpReady() {
        UdpPacketTransport u = udp;
        if (u != null && state == State.OPEN && negotiated != null && negotiated.remoteConnection() != null) {
            u.remoteAddress(negotiated.remoteConnection());
            connected(UDP, UDP);
        }
    }

    /** Our ICE ufrag, password and the candidates gathered so far; null without ICE or before {@link #open}. */
    public IceParameters localIce() {
        IceAgent a = agent;
        return a == null ? null : new IceParameters(a.localUfrag(), a.localPassword(), a.localCandidates());
    }

    /** The plain UDP socket's address; null with ICE or before {@link #open}. */
    public InetSocketAddress localConnection() {
        UdpPacketTransport u = udp;
        return u == null ? null : u.localAddress();
    }

    /** Our certificate's fingerprint with a setup attribute (actpass in an offer). */
    public Security.Dtls localDtls(DtlsSetup setup) {
        return new Security.Dtls(res.certificate().hashFunction(), res.certificate().fingerprint(), setup);
    }

    /**
     * Our SDES crypto line (RFC 4568, {@value OfferAnswer#SDES_SUITE}, tag 1): a random master key
     * and salt made once per path. An addition to the contract.
     */
    public synchronized Security.Sdes localSdes() {
        if (sdesKey == null) {
            sdesKey = new byte[30];
            new SecureRandom().nextBytes(sdesKey);
        }
        return new Security.Sdes(List.of(new SdesCrypto(1, OfferAnswer.SDES_SUITE,
                "inline:" + Base64.getEncoder().encodeToString(sdesKey), null)));
    }

    /** A trickled remote candidate; kept (at most 64) until the agent is open. Ignored without ICE. */
    public void remoteCandidate(IceCandidate c) {
        onLoop(() -> {
            IceAgent a = agent;
            if (a != null && state == State.OPEN) {
                a.addRemoteCandidate(c);
            } else if (queued.size() < MAX_QUEUED_CANDIDATES) {
                queued.add(c);
            }
        });
    }

    /**
     * The peer's ICE credentials and candidates before the negotiation is complete (e.g. a Jingle
     * transport-info ahead of session-accept): ICE can connect while the fingerprint is still to
     * come. {@link #start} gives them too. An addition to the contract.
     */
    public void remoteIce(IceParameters ice) {
        onLoop(() -> {
            if (remoteIce == null && ice != null) {
                remoteIce = ice;
                applyRemote();
            }
        });
    }

    private void applyRemote() {
        IceAgent a = agent;
        if (a == null || state != State.OPEN) {
            return;
        }
        if (remoteIce != null && !credentialsGiven) {
            credentialsGiven = true;
            a.remoteCredentials(remoteIce.ufrag(), remoteIce.pwd());
            for (IceCandidate c : remoteIce.candidates()) {
                a.addRemoteCandidate(c);
            }
        }
        for (IceCandidate c : queued) {
            a.addRemoteCandidate(c);
        }
        queued.clear();
    }

    private final class IceEvents implements IceAgent.Listener {
        @Override
        public void onLocalCandidate(IceCandidate c) {
            onLoop(() -> {
                if (state != State.CLOSED) {
                    tell(() -> listener.onLocalCandidate(c));
                }
            });
        }

        @Override
        public void onGatheringComplete() {
        }

        @Override
        public void onConnected(IceCandidate local, IceCandidate remote) {
            onLoop(() -> connected(local.type().wireName(), remote.type().wireName()));
        }

        @Override
        public void onFailed(String reason) {
            onLoop(() -> fail(PathFailure.ICE_FAILED, "no network path: " + reason));
        }

        @Override
        public void onConsentLost() {
            onLoop(() -> fail(PathFailure.MEDIA_LOST, "media stopped (ICE consent lost)"));
        }
    }

    private void connected(String local, String remote) {
        if (state != State.OPEN || connected) {
            return;
        }
        connected = true;
        localType = local;
        remoteType = remote;
        tell(() -> listener.onConnected(local, remote));
        maybeSecure();
    }

    // ------------------------------------------------------------------ negotiation

    /** Starts security and codecs once the transport is connected (either order). */
    public void start(Negotiated n) {
        Objects.requireNonNull(n, "negotiated");
        onLoop(() -> {
            if (state == State.CLOSED || state == State.FAILED) {
                return;
            }
            if (negotiated != null) {
                update0(n);
                return;
            }
            negotiated = n;
            if (options.ice() ? n.remoteIce() == null && remoteIce == null : n.remoteConnection() == null) {
                fail(PathFailure.ICE_FAILED, options.ice() ? "the peer has no ICE; this path was opened for ICE"
                        : "the peer gave no UDP address; this path was opened for plain UDP");
                return;
            }
            if (n.remoteIce() != null && remoteIce == null) {
                remoteIce = n.remoteIce();
            }
            applyRemote();
            udpReady();
            maybeSecure();
        });
    }

    /** A re-offer's result: another direction (hold, resume) or another codec. */
    public void update(Negotiated n) {
        Objects.requireNonNull(n, "negotiated");
        onLoop(() -> {
            if (state == State.CLOSED || state == State.FAILED) {
                return;
            }
            if (negotiated == null) {
                start(n);
                return;
            }
            update0(n);
        });
    }

    private void update0(Negotiated n) {
        Negotiated old = negotiated;
        negotiated = n;
        UdpPacketTransport u = udp;
        if (u != null && n.remoteConnection() != null) {
            u.remoteAddress(n.remoteConnection());
        }
        MediaSession m = session;
        if (m == null) {
            return; // media is starting: it reads the new agreement when it gets there
        }
        if (sameCodec(old, n)) {
            m.direction(n.direction().sends(), n.direction().receives());
            return;
        }
        // another codec: a new session on the same secure transport replaces the old one
        CodecFactory.Chain oldChain = chain;
        session = null;
        chain = null;
        offLoop(() -> {
            conference.remove(m);
            m.stopAsync().whenComplete((v, e) -> {
                offLoop(oldChain::close);
                onLoop(() -> {
                    if (state == State.OPEN) {
                        startMedia(secure);
                    }
                });
            });
        });
    }

    private static boolean sameCodec(Negotiated a, Negotiated b) {
        PayloadFormat ta = a.telephoneEvent();
        PayloadFormat tb = b.telephoneEvent();
        return a.codec().sameCodec(b.codec()) && a.codec().id() == b.codec().id()
                && a.receivePayloadType() == b.receivePayloadType()
                && (ta == null ? tb == null : tb != null && ta.id() == tb.id())
                && a.receiveTelephoneEventPayloadType() == b.receiveTelephoneEventPayloadType();
    }

    // ------------------------------------------------------------------ security

    private void maybeSecure() {
        if (state != State.OPEN || !connected || negotiated == null || securing) {
            return;
        }
        securing = true;
        PacketTransport p = agent != null ? agent : udp;
        Security remote = negotiated.remoteSecurity();
        if (remote instanceof Security.Dtls d) {
            if (negotiated.dtlsRole() == null || d.fingerprint() == null) {
                fail(PathFailure.DTLS_FAILED, "DTLS-SRTP without a negotiated role or fingerprint");
                return;
            }
            CompletionStage<SrtpTransport> h = SrtpTransport.handshake(p, negotiated.dtlsRole(), res.certificate(),
                    d.hashFunction(), d.fingerprint(), res.dtlsExecutor(), DTLS_TIMEOUT);
            handshake = h.toCompletableFuture();
            h.whenComplete((t, err) -> onLoop(() -> keyed(t, err)));
        } else if (remote instanceof Security.Sdes s) {
            byte[] theirs = s.crypto().isEmpty() ? null : decode(s.crypto().get(0).inlineKey());
            if (theirs == null || theirs.length != 30) {
                fail(PathFailure.MEDIA_FAILED, "SDES-SRTP: the peer's crypto line carries no 30-byte "
                        + OfferAnswer.SDES_SUITE + " master key and salt");
                return;
            }
            localSdes();
            byte[] ours;
            synchronized (this) {
                ours = sdesKey.clone();
            }
            SrtpTransport.keyed(p, ours, theirs).whenComplete((t, err) -> onLoop(() -> keyed(t, err)));
        } else {
            secure = new PlainRtpTransport(p);
            startMedia(secure);
        }
    }

    private static byte[] decode(String base64) {
        try {
            return base64 == null ? null : Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void keyed(SrtpTransport t, Throwable err) {
        handshake = null;
        if (state != State.OPEN) {
            if (t != null) {
                t.closeAsync();
            }
            return;
        }
        if (err != null) {
            Throwable c = cause(err);
            if (c instanceof SrtpHandshakeException h && h.reason() == SrtpHandshakeException.Reason.OVERLOADED) {
                fail(PathFailure.OVERLOADED, "too many DTLS handshakes in progress in this engine (at most "
                        + res.dtlsThreads() + "); try again later");
                return;
            }
            String why = c instanceof SrtpHandshakeException h ? h.getMessage() : String.valueOf(c.getMessage());
            fail(PathFailure.DTLS_FAILED, "DTLS-SRTP failed: " + why);
            return;
        }
        srtp = t;
        secure = t;
        startMedia(t);
    }

    // ------------------------------------------------------------------ codecs and session

    private void startMedia(MediaTransport t) {
        Negotiated n = negotiated;
        CodecFactory.Chain c;
        try {
            c = codecs.open(n.codec());
        } catch (RuntimeException e) {
            LOG.debug("codec {} not opened", n.codec(), e);
            fail(PathFailure.MEDIA_FAILED, "media could not start: " + e.getMessage());
            return;
        }
        chain = c;
        codecName = n.codecName();
        PayloadFormat te = n.telephoneEvent();
        int sendEvent = te != null ? te.id() : OfferAnswer.TELEPHONE_EVENT_48K.id();
        MediaSession.Builder b = MediaSession.builder(t, c.encoder(), c.decoder())
                .payloadType(n.codec().id())
                .receivePayloadType(n.receivePayloadType())
                .telephoneEventPayloadType(sendEvent)
                .receiveTelephoneEventPayloadType(te != null ? n.receiveTelephoneEventPayloadType() : sendEvent)
                .fec(c.fec())
                .dtmfListener((event, ticks) -> onLoop(() -> {
                    if (state == State.OPEN) {
                        tell(() -> listener.onDtmf(event));
                    }
                }));
        if (options.cname() != null) {
            b.cname(options.cname());
        }
        b.start().whenComplete((m, err) -> onLoop(() -> sessionStarted(m, c, err)));
    }

    private void sessionStarted(MediaSession m, CodecFactory.Chain c, Throwable err) {
        if (err != null) {
            fail(PathFailure.MEDIA_FAILED, "media could not start: " + cause(err).getMessage());
            return;
        }
        if (state != State.OPEN || chain != c) {
            // closed (or replaced) while starting: the close already ran without this session
            m.stopAsync().whenComplete((v, e) -> offLoop(c::close));
            return;
        }
        Negotiated n = negotiated;
        m.direction(n.direction().sends(), n.direction().receives());
        boolean added;
        try {
            added = conference.add(m);
        } catch (IllegalArgumentException e) {
            fail(PathFailure.MEDIA_FAILED, "media could not join the call: " + e.getMessage());
            return;
        }
        if (!added) {
            fail(PathFailure.MEDIA_FAILED, "the call's conference is full");
            return;
        }
        session = m;
        tell(listener::onMediaStarted);
    }

    /** Any thread: an RFC 4733 event in place of audio; ignored before media. */
    public void sendDtmf(int event, int durationMs) {
        MediaSession m = session;
        if (m != null) {
            m.sendDtmf(event, durationMs);
        }
    }

    /** Any thread: live figures while media flows; after {@link #closeAsync}, the last ones. */
    public PathStats stats() {
        MediaSession m = session;
        if (m == null) {
            PathStats f = finalStats;
            if (f != null) {
                return f;
            }
        }
        SrtpTransport t = srtp;
        return new PathStats(codecName, m == null ? null : m.stats(), t == null ? 0 : t.authFailures(),
                t == null ? 0 : t.replayed(), localType, remoteType);
    }

    /** The media session while media flows (for tests and tools), else null. */
    public MediaSession session() {
        return session;
    }

    /** The SRTP transport once keyed (its counters), else null. */
    public SrtpTransport srtp() {
        return srtp;
    }

    // ------------------------------------------------------------------ failure and close

    private void fail(PathFailure f, String text) {
        if (state == State.CLOSED || state == State.FAILED) {
            return;
        }
        LOG.debug("media path failed: {} {}", f, text);
        state = State.FAILED;
        tell(() -> listener.onFailed(f, text));
    }

    /**
     * Removes the member from the conference (waiting for a frame in progress, off the event
     * loop), closes the session, SRTP and the transport, then the codecs. Idempotent.
     *
     * @return completes when everything is closed
     */
    public CompletionStage<Void> closeAsync() {
        CompletableFuture<Void> done;
        synchronized (this) {
            if (closed != null) {
                return closed;
            }
            closed = done = new CompletableFuture<>();
        }
        finalStats = stats();
        if (!onLoop(this::close0)) {
            // the engine's event loops are gone, and every socket with them
            CodecFactory.Chain c = chain;
            if (c != null) {
                c.close();
            }
            done.complete(null);
        }
        return done;
    }

    private void close0() {
        State was = state;
        state = State.CLOSED;
        CompletableFuture<SrtpTransport> h = handshake;
        if (h != null) {
            h.cancel(false); // frees the handshake thread at once
        }
        MediaSession m = session;
        session = null;
        CodecFactory.Chain c = chain;
        chain = null;
        MediaTransport s = secure;
        PacketTransport p = agent != null ? agent : udp;
        boolean opening;
        synchronized (this) {
            opening = openCalled && !opened.isDone();
        }
        if (was == State.NEW && opening) {
            // the transport is still opening; transportOpen closes it when it arrives
            opened.whenComplete((v, e) -> closed.complete(null));
            return;
        }
        offLoop(() -> {
            if (m != null) {
                conference.remove(m);
            }
            CompletionStage<Void> down = m != null ? m.closeAsync() : s != null ? s.closeAsync()
                    : p != null ? p.closeAsync() : CompletableFuture.completedFuture(null);
            down.whenComplete((v, e) -> offLoop(() -> {
                if (c != null) {
                    c.close();
                }
                closed.complete(null);
            }));
        });
    }

    // ------------------------------------------------------------------ threads

    /** Runs on the path's event loop; false when the loop no longer takes work. */
    private boolean onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
            return true;
        }
        try {
            loop.execute(r);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Work that may wait (a frame in progress, a native close): on the close executor, which
     * takes work while the engine runs. Only once the engine has stopped it refuses; then the work
     * runs here (the clock is stopped by then, so no frame is in progress to wait for).
     */
    private void offLoop(Runnable r) {
        try {
            res.closeExecutor().execute(r);
        } catch (RejectedExecutionException e) {
            LOG.debug("close executor stopped; closing on {}", Thread.currentThread().getName());
            r.run();
        }
    }

    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.debug("media path listener failed", e);
        }
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
