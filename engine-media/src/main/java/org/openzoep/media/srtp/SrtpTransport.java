package org.openzoep.media.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.openzoep.media.rtcp.RtcpMux;
import org.openzoep.media.transport.MediaReceiver;
import org.openzoep.media.transport.MediaTransport;
import org.openzoep.media.transport.PacketTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DTLS-SRTP (RFC 5763, RFC 5764) over a raw path: runs the DTLS 1.2 handshake (use_srtp with
 * SRTP_AES128_CM_HMAC_SHA1_80, both certificates required and checked against the signalled
 * fingerprint), exports the SRTP master keys with "EXTRACTOR-dtls_srtp" (RFC 5764 section 4.2),
 * then protects and unprotects RTP and RTCP (rtcp-mux) with two {@link SrtpContext}s.
 *
 * <p>Inbound demultiplexing (RFC 7983 section 7): first byte 20..63 is DTLS, 128..191 is SRTP or
 * SRTCP (told apart by {@link RtcpMux#classify} on the header bytes, which are not encrypted);
 * anything else is dropped and counted. SRTP arriving before the keys is dropped and counted.
 *
 * <p>Thread: protect/unprotect on the path's event loop ({@link #send} from elsewhere hops onto
 * it); the handshake and any later DTLS records on the handshake executor. Buffers: {@link #send}
 * takes ownership and passes the protected buffer on to the path; the {@link MediaReceiver}
 * borrows a scratch buffer of this transport holding the plaintext, valid for its call only.
 */
public final class SrtpTransport implements MediaTransport {

    private static final Logger LOG = LoggerFactory.getLogger(SrtpTransport.class);

    private static final int REPLAY_WINDOW = 128;
    private static final int KEY = 16;
    private static final int SALT = 14;

    private static final int HANDSHAKING = 0;
    private static final int UP = 1;
    private static final int FAILED = 2;
    private static final int CLOSED = 3;

    private static final MediaReceiver NO_RECEIVER = new MediaReceiver() {
        @Override
        public void onRtp(ByteBuf buf, int offset, int length, long arrivalNanos) {
        }

        @Override
        public void onRtcp(ByteBuf buf, int offset, int length, long arrivalNanos) {
        }
    };

    private final PacketTransport path;
    private final EventLoop loop;
    private final DtlsRole role;
    private final Executor executor;
    private final DtlsDatagrams dtls;
    private final AtomicInteger state = new AtomicInteger(HANDSHAKING);
    private final CompletableFuture<SrtpTransport> handshake = new CompletableFuture<>();
    private final CompletableFuture<Void> peerClosed = new CompletableFuture<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Object dtlsLock = new Object();
    private volatile CompletableFuture<Void> closed;
    private volatile io.netty.util.concurrent.Future<?> timer;
    private volatile DTLSTransport dtlsTransport;
    private volatile MediaReceiver receiver = NO_RECEIVER;

    // event loop only
    private SrtpContext outbound;
    private SrtpContext inbound;
    private ByteBuf scratch = Unpooled.wrappedBuffer(new byte[DtlsDatagrams.RECEIVE_LIMIT]);

    // single writer each (event loop, or the executor for dtlsIgnored)
    private volatile long authFailures;
    private volatile long replayed;
    private volatile long droppedBeforeKeys;
    private volatile long otherDropped;
    private volatile long sendDropped;
    private volatile long packetsProtected;
    private volatile long packetsUnprotected;
    private volatile long dtlsIgnored;

    private SrtpTransport(PacketTransport path, DtlsRole role, Executor executor) {
        this.path = path;
        this.loop = path.eventLoop();
        this.role = role;
        this.executor = executor;
        this.dtls = new DtlsDatagrams(path);
    }

    /**
     * Starts the DTLS handshake on {@code path}, which from now on delivers its datagrams to this
     * transport.
     *
     * @param role {@link DtlsRole#CLIENT} for setup "active", {@link DtlsRole#SERVER} for "passive"
     * @param local our certificate (its fingerprint was signalled to the peer)
     * @param remoteHashFunction the peer's signalled hash function, e.g. "sha-256"
     * @param remoteFingerprint the peer's signalled fingerprint (hex pairs with colons, any case)
     * @param handshakeExecutor a shared bounded pool; the blocking handshake occupies one of its
     *     threads for up to {@code timeout}, later DTLS records briefly
     * @return completes (on no particular thread, often the event loop: do not block in a callback)
     *     when the keys are in place, or fails with {@link SrtpHandshakeException}. On failure the
     *     path is left open, receiving into nothing; closing it is the caller's. Cancelling the
     *     stage's {@code toCompletableFuture()} aborts the handshake (e.g. on hang-up): the
     *     executor thread is freed at once.
     */
    public static CompletionStage<SrtpTransport> handshake(PacketTransport path, DtlsRole role, DtlsCertificate local,
            String remoteHashFunction, String remoteFingerprint, Executor handshakeExecutor, Duration timeout) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remoteFingerprint, "remoteFingerprint");
        Objects.requireNonNull(handshakeExecutor, "handshakeExecutor");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        SrtpTransport t = new SrtpTransport(path, role, handshakeExecutor);
        if (!DtlsCertificate.knownHashFunction(remoteHashFunction)) {
            t.fail(SrtpHandshakeException.Reason.FINGERPRINT_MISMATCH,
                    "unsupported fingerprint hash function " + remoteHashFunction, null);
            return t.handshake;
        }
        path.receiver(t::onPacket);
        t.handshake.whenComplete((v, e) -> {
            if (t.handshake.isCancelled()) {
                t.fail(SrtpHandshakeException.Reason.CLOSED, "cancelled", null);
            }
        });
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        t.timer = t.loop.schedule(() -> t.fail(SrtpHandshakeException.Reason.TIMEOUT,
                "no DTLS handshake within " + timeout, null), timeout.toNanos(), TimeUnit.NANOSECONDS);
        DtlsPeerCheck check = new DtlsPeerCheck(new JcaTlsCryptoProvider().create(new SecureRandom()), local,
                remoteHashFunction, remoteFingerprint, timeoutMillis, t::onPeerCloseNotify);
        try {
            handshakeExecutor.execute(() -> t.runHandshake(check));
        } catch (RejectedExecutionException e) {
            t.fail(SrtpHandshakeException.Reason.OVERLOADED, "the handshake executor refused the handshake (full)", e);
        }
        return t.handshake;
    }

    /**
     * SDES-SRTP (RFC 4568): a transport keyed with master keys exchanged in the signalling, without
     * DTLS. Suite AES_CM_128_HMAC_SHA1_80 (the one {@link SrtpContext} implements); DTLS records
     * arriving on the path are dropped and counted.
     *
     * @param path from now on delivers its datagrams to this transport
     * @param outKeyAndSalt our master key (16 bytes) then master salt (14 bytes): what we protect
     *     with; borrowed (copied)
     * @param inKeyAndSalt the peer's, what we unprotect with; borrowed (copied)
     * @return completes on the path's event loop once the keys are in place
     * @throws IllegalArgumentException when a key is not 30 bytes
     */
    public static CompletionStage<SrtpTransport> keyed(PacketTransport path, byte[] outKeyAndSalt,
            byte[] inKeyAndSalt) {
        Objects.requireNonNull(path, "path");
        if (outKeyAndSalt.length != KEY + SALT || inKeyAndSalt.length != KEY + SALT) {
            throw new IllegalArgumentException("an SDES master key and salt are " + (KEY + SALT) + " bytes, not "
                    + outKeyAndSalt.length + " and " + inKeyAndSalt.length);
        }
        SrtpContext out = SrtpContext.create(Arrays.copyOfRange(outKeyAndSalt, 0, KEY),
                Arrays.copyOfRange(outKeyAndSalt, KEY, KEY + SALT), REPLAY_WINDOW);
        SrtpContext in = SrtpContext.create(Arrays.copyOfRange(inKeyAndSalt, 0, KEY),
                Arrays.copyOfRange(inKeyAndSalt, KEY, KEY + SALT), REPLAY_WINDOW);
        SrtpTransport t = new SrtpTransport(path, null, Runnable::run);
        path.receiver(t::onPacket);
        t.loop.execute(() -> {
            t.outbound = out;
            t.inbound = in;
            if (t.state.compareAndSet(HANDSHAKING, UP)) {
                t.handshake.complete(t);
            }
        });
        return t.handshake;
    }

    /** Handshake executor: the blocking BouncyCastle handshake, then the keys to the event loop. */
    private void runHandshake(DtlsPeerCheck check) {
        if (state.get() != HANDSHAKING) {
            return;
        }
        DTLSTransport transport = null;
        try {
            synchronized (dtlsLock) {
                if (role == DtlsRole.CLIENT) {
                    transport = new DTLSClientProtocol().connect(new DtlsSrtpClient(check), dtls);
                } else {
                    DTLSServerProtocol protocol = new DTLSServerProtocol();
                    protocol.setVerifyRequests(false);
                    transport = protocol.accept(new DtlsSrtpServer(check), dtls);
                }
            }
            // RFC 5764 section 4.2: client key, server key, client salt, server salt
            byte[] material = check.keyMaterial();
            if (material == null || material.length != 2 * (KEY + SALT)) {
                throw new IOException("no keying material exported");
            }
            byte[] clientKey = Arrays.copyOfRange(material, 0, KEY);
            byte[] serverKey = Arrays.copyOfRange(material, KEY, 2 * KEY);
            byte[] clientSalt = Arrays.copyOfRange(material, 2 * KEY, 2 * KEY + SALT);
            byte[] serverSalt = Arrays.copyOfRange(material, 2 * KEY + SALT, 2 * (KEY + SALT));
            boolean client = role == DtlsRole.CLIENT;
            SrtpContext out = SrtpContext.create(client ? clientKey : serverKey, client ? clientSalt : serverSalt,
                    REPLAY_WINDOW);
            SrtpContext in = SrtpContext.create(client ? serverKey : clientKey, client ? serverSalt : clientSalt,
                    REPLAY_WINDOW);
            Arrays.fill(material, (byte) 0);
            DTLSTransport done = transport;
            if (!onLoop(() -> keysReady(done, out, in))) {
                // the engine stopped while the handshake ran: nobody is left to take the keys
                closeQuietly(done);
                fail(SrtpHandshakeException.Reason.CLOSED, "the engine stopped", null);
            }
        } catch (IOException | RuntimeException e) {
            if (transport != null) {
                closeQuietly(transport);
            }
            fail(reasonFor(e, check), detailFor(e, check), e);
        }
    }

    private SrtpHandshakeException.Reason reasonFor(Exception e, DtlsPeerCheck check) {
        if (check.failure() != null) {
            return check.failure();
        }
        if (e instanceof TlsTimeoutException) {
            return SrtpHandshakeException.Reason.TIMEOUT;
        }
        // our own timeout, close or cancel got there first and fail() ignores this one; the rest
        // is a fatal alert, sent or received
        return SrtpHandshakeException.Reason.ALERT;
    }

    private static String detailFor(Exception e, DtlsPeerCheck check) {
        if (check.failureDetail() != null) {
            return check.failureDetail();
        }
        if (e instanceof TlsFatalAlertReceived) {
            return "the peer sent alert " + e.getMessage();
        }
        return String.valueOf(e.getMessage());
    }

    /** Event loop: the handshake finished. */
    private void keysReady(DTLSTransport transport, SrtpContext out, SrtpContext in) {
        if (!state.compareAndSet(HANDSHAKING, UP)) {
            // timed out or closed while the keys were on their way
            runOnExecutor(() -> closeQuietly(transport));
            return;
        }
        cancelTimer();
        dtlsTransport = transport;
        outbound = out;
        inbound = in;
        LOG.debug("DTLS-SRTP up as {} with {}", role, path.remoteAddress());
        handshake.complete(this);
        if (dtls.hasPending()) {
            scheduleDrain();
        }
    }

    /** Any thread: the handshake did not produce keys. Releases everything but the path. */
    private void fail(SrtpHandshakeException.Reason reason, String detail, Throwable cause) {
        if (!state.compareAndSet(HANDSHAKING, FAILED)) {
            return;
        }
        // (when cancelled, the stage is already complete and the completion below is a no-op)
        cancelTimer();
        dtls.close();
        LOG.debug("DTLS-SRTP handshake failed: {} {}", reason, detail, cause);
        path.receiver((buf, offset, length, arrivalNanos) -> { });
        // from a DTLS thread the loop may be gone (the engine stopped mid-handshake): then the
        // scratch is a plain heap array left to the collector
        onLoop(this::releaseScratch);
        handshake.completeExceptionally(new SrtpHandshakeException(reason, detail, cause));
    }

    /** Event loop: one datagram from the path (borrowed for the call). */
    private void onPacket(ByteBuf buf, int offset, int length, long arrivalNanos) {
        if (length < 1) {
            otherDropped++;
            return;
        }
        int first = buf.getUnsignedByte(offset);
        if (first >= 20 && first <= 63) {
            if (role == null || !dtls.offer(buf, offset, length)) {
                otherDropped++;
            } else if (state.get() == UP) {
                scheduleDrain();
            }
            return;
        }
        if (first < 128 || first > 191) {
            otherDropped++;
            return;
        }
        SrtpContext in = inbound;
        int st = state.get();
        if (in == null || st != UP) {
            if (st == HANDSHAKING) {
                droppedBeforeKeys++;
            } else {
                otherDropped++;
            }
            return;
        }
        if (length > scratch.capacity()) {
            otherDropped++;
            return;
        }
        ByteBuf s = scratch;
        s.setBytes(0, buf, offset, length);
        int kind = RtcpMux.classify(s, 0, length);
        int n;
        if (kind == RtcpMux.RTP) {
            n = in.unprotectRtp(s, 0, length);
        } else if (kind == RtcpMux.RTCP) {
            n = in.unprotectRtcp(s, 0, length);
        } else {
            otherDropped++;
            return;
        }
        if (n < 0) {
            countFailure(n);
            return;
        }
        packetsUnprotected++;
        if (kind == RtcpMux.RTP) {
            receiver.onRtp(s, 0, n, arrivalNanos);
        } else {
            receiver.onRtcp(s, 0, n, arrivalNanos);
        }
    }

    private void countFailure(int code) {
        if (code == SrtpContext.AUTH_FAILED) {
            authFailures++;
        } else if (code == SrtpContext.REPLAYED) {
            replayed++;
        } else {
            otherDropped++;
        }
    }

    /** The event loop of the path; the receiver is called there. */
    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    /**
     * Protects and sends one plaintext RTP or RTCP packet; dropped (released and counted in
     * {@link #sendDropped()}) before the keys, after close, or if it is neither.
     *
     * @param packet ownership taken
     */
    @Override
    public void send(ByteBuf packet) {
        if (loop.inEventLoop()) {
            send0(packet);
            return;
        }
        try {
            loop.execute(() -> send0(packet));
        } catch (RejectedExecutionException e) {
            packet.release();
            sendDropped++;
        }
    }

    private void send0(ByteBuf packet) {
        SrtpContext out = outbound;
        if (out == null || state.get() != UP) {
            packet.release();
            sendDropped++;
            return;
        }
        int kind = RtcpMux.classify(packet, packet.readerIndex(), packet.readableBytes());
        boolean ok = kind == RtcpMux.RTP ? out.protectRtp(packet)
                : kind == RtcpMux.RTCP && out.protectRtcp(packet);
        if (!ok) {
            packet.release();
            sendDropped++;
            return;
        }
        packetsProtected++;
        path.send(packet);
    }

    @Override
    public void receiver(MediaReceiver receiver) {
        this.receiver = receiver == null ? NO_RECEIVER : receiver;
    }

    /**
     * Completes when the peer closed DTLS (close_notify); media may still flow until
     * {@link #closeAsync()}.
     */
    public CompletionStage<Void> peerClosed() {
        return peerClosed.minimalCompletionStage();
    }

    private void onPeerCloseNotify() {
        peerClosed.complete(null);
    }

    /**
     * Sends close_notify if DTLS is up (on the handshake executor), then closes the path. A
     * handshake still running fails with {@link SrtpHandshakeException.Reason#CLOSED}. Never blocks.
     */
    @Override
    public CompletionStage<Void> closeAsync() {
        synchronized (this) {
            if (closed != null) {
                return closed;
            }
            closed = new CompletableFuture<>();
        }
        int prev = state.getAndSet(CLOSED);
        cancelTimer();
        CompletableFuture<Void> dtlsDone = new CompletableFuture<>();
        if (prev == HANDSHAKING) {
            dtls.close();
            handshake.completeExceptionally(new SrtpHandshakeException(SrtpHandshakeException.Reason.CLOSED,
                    "closed before the handshake finished"));
            dtlsDone.complete(null);
        } else if (prev == UP && dtlsTransport != null) {
            DTLSTransport d = dtlsTransport;
            if (!runOnExecutor(() -> {
                synchronized (dtlsLock) {
                    closeQuietly(d);
                }
                dtls.close();
                dtlsDone.complete(null);
            })) {
                dtls.close();
                dtlsDone.complete(null);
            }
        } else {
            dtls.close();
            dtlsDone.complete(null);
        }
        CompletableFuture<Void> result = closed;
        dtlsDone.thenCompose(v -> path.closeAsync()).whenComplete((v, e) -> {
            try {
                loop.execute(this::releaseScratch);
            } catch (RejectedExecutionException ignored) {
                // the loop is gone; the scratch is a plain heap array left to the collector
            }
            result.complete(null);
        });
        return result;
    }

    /** Handshake executor: lets BouncyCastle read DTLS records that came after the handshake. */
    private void scheduleDrain() {
        if (draining.compareAndSet(false, true) && !runOnExecutor(this::drain)) {
            draining.set(false);
        }
    }

    private void drain() {
        try {
            byte[] buf = new byte[DtlsDatagrams.RECEIVE_LIMIT];
            synchronized (dtlsLock) {
                DTLSTransport d = dtlsTransport;
                while (d != null && state.get() == UP && dtls.hasPending()) {
                    // a retransmitted final flight makes BouncyCastle resend ours; an alert ends
                    // up in notifyAlertReceived; application data is not ours to use
                    if (d.receive(buf, 0, buf.length, 1) >= 0) {
                        dtlsIgnored++;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("DTLS after the handshake: {}", e.toString());
            dtls.close();
            if (e instanceof TlsFatalAlertReceived) {
                peerClosed.complete(null);
            }
        } finally {
            draining.set(false);
        }
        if (dtls.hasPending() && state.get() == UP) {
            scheduleDrain();
        }
    }

    /** Runs {@code task} on the event loop; false (and nothing runs) once the loop is gone. */
    private boolean onLoop(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private boolean runOnExecutor(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void cancelTimer() {
        io.netty.util.concurrent.Future<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    private void releaseScratch() {
        outbound = null;
        inbound = null;
        if (scratch != null && scratch.refCnt() > 0) {
            scratch.release();
        }
    }

    private static void closeQuietly(DTLSTransport transport) {
        try {
            transport.close();
        } catch (IOException | RuntimeException e) {
            // closing: nothing more to do with a failing DTLS transport
        }
    }

    /** Inbound SRTP/SRTCP packets whose tag did not verify. */
    public long authFailures() {
        return authFailures;
    }

    /** Inbound SRTP/SRTCP packets rejected by the replay window. */
    public long replayed() {
        return replayed;
    }

    /** Inbound SRTP/SRTCP packets that arrived before the keys, dropped. */
    public long droppedBeforeKeys() {
        return droppedBeforeKeys;
    }

    /**
     * Inbound datagrams dropped for another reason: first byte neither DTLS nor SRTP (RFC 7983),
     * malformed SRTP, too long, DTLS with a full queue or after DTLS closed, anything after close.
     */
    public long otherDropped() {
        return otherDropped;
    }

    /** Outbound packets dropped: before the keys, after close, or neither RTP nor RTCP. */
    public long sendDropped() {
        return sendDropped;
    }

    public long packetsProtected() {
        return packetsProtected;
    }

    public long packetsUnprotected() {
        return packetsUnprotected;
    }

    /** DTLS application data received after the handshake, ignored. */
    public long dtlsIgnored() {
        return dtlsIgnored;
    }

    /** Our role in the handshake; null for a transport keyed by SDES ({@link #keyed}). */
    public DtlsRole role() {
        return role;
    }
}
