package org.openzoep.xmpp.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StreamError;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of stream negotiation and of the stream's end, as the {@link NegotiationState}
 * machine: our stream header, the server's header checks (RFC 6120 §4.7), features, STARTTLS (§5;
 * refusing to go on in clear), SASL (§6, through {@link SaslExchange}), resource binding and the
 * legacy session iq (§7, RFC 3921 §3), then online. XEP-0198 stream management (a later issue)
 * fits where marked in {@link #onFeatures}. Stream errors the server sends end the session with a
 * typed {@link XmppException}; XML the decoder refuses, or a bad header, is answered with our own
 * stream error (§4.9.1.1) and a lingering close. Login succeeds or fails through the login future,
 * within the login timeout; later ends reach {@link XmppSessionListener#onClosed}.
 *
 * <p>Inbound it consumes stream frames and negotiation elements and, once binding starts, passes
 * each stanza on as a {@link Stanza} (other elements are dropped and counted). Elements of the
 * server's stream error, whatever the state, end the stream.
 *
 * <p>Limits: one login timer, one SASL exchange at a time. Thread: the channel's event loop; SASL
 * key derivation runs on the compute executor and comes back through the event loop; login and
 * close completions go to the session's serial executor. Buffers: none; it writes
 * {@link XmlElement}s and {@link StreamFrame}s for the {@link StanzaEncoder}.
 */
final class StreamNegotiator extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamNegotiator.class);

    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";
    static final String SESSION_NS = "urn:ietf:params:xml:ns:xmpp-session";

    private final SessionContext session;
    private final XmppSessionConfig config;
    private final SslContext sslContext;
    private final Executor compute;
    private final CompletableFuture<XmppSession> login;
    private final XmppFrameDecoder decoder;
    private final IqCorrelator iqs;
    private final List<CompletableFuture<Void>> closeWaiters = new ArrayList<>(1);

    private ChannelHandlerContext ctx;
    private NegotiationState state = NegotiationState.CONNECTING;
    private boolean tls;
    private boolean authenticated;
    private SaslExchange sasl;
    private boolean sessionRequired;
    private XmppException failure;
    private ScheduledFuture<?> loginTimer;
    private boolean wentOnline;

    StreamNegotiator(SessionContext session, SslContext sslContext, Executor compute,
            CompletableFuture<XmppSession> login, XmppFrameDecoder decoder, IqCorrelator iqs) {
        this.session = session;
        this.config = session.config;
        this.sslContext = sslContext;
        this.compute = compute;
        this.login = login;
        this.decoder = decoder;
        this.iqs = iqs;
        this.tls = config.tlsMode() == TlsMode.DIRECT_TLS;
    }

    NegotiationState state() {
        return state;
    }

    private void state(NegotiationState next) {
        state = next;
        session.online(next == NegotiationState.ONLINE);
        if (next.compareTo(NegotiationState.CLOSING) >= 0) {
            session.closing(true);
        }
    }

    // ---- channel events ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        loginTimer = ctx.executor().schedule(() -> {
            if (!wentOnline) {
                abort(XmppException.of(XmppException.Kind.TIMEOUT, "no login within " + config.loginTimeout()));
            }
        }, config.loginTimeout().toMillis(), TimeUnit.MILLISECONDS);
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null) {
            ssl.handshakeFuture().addListener(this::handshakeDone);
        } else {
            openStream();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof StreamFrame.Open open) {
            streamOpened(open);
        } else if (msg instanceof StreamFrame.Close) {
            streamClosed();
        } else if (msg instanceof StreamFrame.Violation v) {
            streamFailure(new StreamError(v.violation().condition(), v.detail()));
        } else if (msg instanceof XmlElement e) {
            element(e);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * The stages after this one learn of the end first (pending iqs fail with the end cause), then
     * the login future or {@link XmppSessionListener#onClosed}, then {@link XmppSession#close}'s waiters.
     */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        NegotiationState was = state;
        state(NegotiationState.CLOSED);
        if (loginTimer != null) {
            loginTimer.cancel(false);
        }
        XmppException cause = failure;
        if (cause == null && was != NegotiationState.CLOSING) {
            cause = XmppException.of(XmppException.Kind.CLOSED, "connection closed by the server");
        }
        XmppException pendingCause = cause != null ? cause
                : XmppException.of(XmppException.Kind.CLOSED, "session closed");
        session.endCause(pendingCause);
        ctx.fireChannelInactive();
        if (!wentOnline) {
            session.callbacks.execute(() -> login.completeExceptionally(pendingCause));
        } else {
            XmppException c = cause;
            XmppSession s = session.session();
            session.callbacks.execute(() -> session.listener.onClosed(s, c));
        }
        for (CompletableFuture<Void> w : closeWaiters) {
            session.callbacks.execute(() -> w.complete(null));
        }
        closeWaiters.clear();
    }

    /** An exception anywhere in the pipeline (delivered by {@link ApplicationHandler}): ends the stream. */
    void failed(Throwable cause) {
        LOG.debug("session {}: exception", config.jid(), cause);
        CertificateException bad = certificateProblem(cause);
        if (bad != null) {
            abort(XmppException.of(XmppException.Kind.CERTIFICATE_REJECTED,
                    "server certificate refused: " + bad.getMessage(), cause));
        } else if (sslProblem(cause) || state == NegotiationState.STARTTLS || !handshaken()) {
            abort(XmppException.of(XmppException.Kind.TLS_FAILED, "TLS failed: " + cause.getMessage(), cause));
        } else {
            abort(XmppException.of(XmppException.Kind.CLOSED, "connection failed: " + cause.getMessage(), cause));
        }
    }

    private void handshakeDone(Future<? super Channel> f) {
        if (f.isSuccess()) {
            tls = true;
            openStream();
        }
        // failures arrive through exceptionCaught with the handshake's cause
    }

    private boolean handshaken() {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        return ssl == null || ssl.handshakeFuture().isSuccess();
    }

    private static boolean sslProblem(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static CertificateException certificateProblem(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CertificateException ce) {
                return ce;
            }
        }
        return null;
    }

    // ---- inbound stream ----

    private void streamOpened(StreamFrame.Open open) {
        if (!Stanza.CLIENT_NS.equals(open.contentNamespace())) {
            streamFailure(new StreamError("invalid-namespace", "content namespace must be jabber:client"));
            return;
        }
        session.streamId(open.header().attr("id"));
        String version = open.header().attr("version");
        if (version == null || !version.startsWith("1.")) {
            streamFailure(new StreamError("unsupported-version", "stream version 1.0 is required"));
        }
    }

    private void element(XmlElement e) {
        if (e.is("error", XmlWriter.STREAM_NS)) {
            fail(XmppException.stream(StreamError.from(e), false));
            writeClose();
            ctx.close();
            return;
        }
        switch (state) {
            case OPENING -> onFeatures(e);
            case STARTTLS -> onStartTls(e);
            case AUTHENTICATING -> onSasl(e);
            case BINDING, ONLINE, CLOSING -> {
                if (Stanza.isStanza(e)) {
                    ctx.fireChannelRead(Stanza.of(e));
                } else {
                    session.drop();
                }
            }
            default -> session.drop();
        }
    }

    private void streamClosed() {
        if (state != NegotiationState.CLOSING) {
            if (failure == null) {
                fail(XmppException.of(XmppException.Kind.CLOSED, "server closed the stream"));
            }
            writeClose();
        }
        ctx.close();
    }

    // ---- negotiation ----

    private void openStream() {
        state(NegotiationState.OPENING);
        XmlElement header = XmlElement.builder("stream", XmlWriter.STREAM_NS)
                .attr("to", config.jid().domain())
                .attr("from", config.jid().bare().toString())
                .attr("version", "1.0")
                .attr(XmlElement.XML_NS, "lang", "en")
                .build();
        ctx.writeAndFlush(new StreamFrame.Open(header, Stanza.CLIENT_NS));
    }

    private void onFeatures(XmlElement e) {
        if (!e.is("features", XmlWriter.STREAM_NS)) {
            session.drop();
            return;
        }
        if (!tls) {
            if (e.child("starttls", TLS_NS) == null) {
                abort(XmppException.of(XmppException.Kind.TLS_REQUIRED,
                        "server " + config.jid().domain() + " does not offer STARTTLS; refusing to continue in clear"));
                return;
            }
            state(NegotiationState.STARTTLS);
            write(XmlElement.of("starttls", TLS_NS));
            return;
        }
        if (!authenticated) {
            startSasl(e);
            return;
        }
        // XEP-0198 (a later issue): note <sm xmlns='urn:xmpp:sm:3'/> here, to enable or resume
        // after binding.
        XmlElement sess = e.child("session", SESSION_NS);
        sessionRequired = sess != null && sess.child("optional", SESSION_NS) == null;
        if (e.child("bind", BIND_NS) == null) {
            abort(XmppException.of(XmppException.Kind.BIND_FAILED, "server offers no resource binding"));
            return;
        }
        state(NegotiationState.BINDING);
        XmlElement.Builder bind = XmlElement.builder("bind", BIND_NS);
        if (config.resource() != null) {
            bind.textChild("resource", config.resource());
        }
        iqs.request(Stanza.iq(IqType.SET.wireName()).child(bind.build()).build(), this::bound);
    }

    private void onStartTls(XmlElement e) {
        if (e.is("proceed", TLS_NS)) {
            SslHandler ssl = sslContext.newHandler(ctx.alloc(), config.jid().domain(), port());
            ctx.pipeline().addFirst("tls", ssl);
            ssl.handshakeFuture().addListener(this::handshakeDone);
            decoder.restart();
        } else if (e.is("failure", TLS_NS)) {
            abort(XmppException.of(XmppException.Kind.TLS_FAILED, "server refused STARTTLS"));
        } else {
            session.drop();
        }
    }

    private int port() {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress isa ? isa.getPort() : -1;
    }

    private void startSasl(XmlElement features) {
        XmlElement auth;
        try {
            sasl = SaslExchange.start(features, tls, config);
            auth = sasl.auth();
        } catch (XmppException ex) {
            abort(ex);
            return;
        }
        state(NegotiationState.AUTHENTICATING);
        write(auth);
    }

    private void onSasl(XmlElement e) {
        switch (SaslExchange.step(e)) {
            case CHALLENGE -> {
                byte[] challenge;
                try {
                    challenge = SaslExchange.challenge(e);
                } catch (XmppException ex) {
                    abort(ex);
                    return;
                }
                SaslExchange exchange = sasl;
                // Key derivation is deliberate CPU work (PBKDF2): keep it off the event loop.
                compute.execute(() -> {
                    XmlElement response;
                    try {
                        response = exchange.respond(challenge);
                    } catch (XmppException ex) {
                        ctx.executor().execute(() -> abort(ex));
                        return;
                    }
                    ctx.executor().execute(() -> {
                        if (state == NegotiationState.AUTHENTICATING) {
                            write(response);
                        }
                    });
                });
            }
            case SUCCESS -> {
                try {
                    sasl.verifySuccess(e);
                } catch (XmppException ex) {
                    abort(ex);
                    return;
                }
                authenticated = true;
                sasl = null;
                decoder.restart();
                openStream();
            }
            case FAILURE -> abort(SaslExchange.failure(e));
            default -> session.drop();
        }
    }

    private void bound(Stanza result, XmppException err) {
        if (state != NegotiationState.BINDING) {
            return;
        }
        if (err != null) {
            abort(XmppException.of(XmppException.Kind.BIND_FAILED, "resource binding failed: " + err.getMessage(), err));
            return;
        }
        XmlElement bind = result.extension("bind", BIND_NS);
        Jid jid = bind == null ? null : Jid.parseOrNull(bind.childText("jid"));
        if (jid == null || jid.isBare() || !jid.bare().equals(config.jid().bare())) {
            abort(XmppException.of(XmppException.Kind.BIND_FAILED, "server bound an unexpected JID: " + jid));
            return;
        }
        session.boundJid(jid);
        if (sessionRequired) {
            iqs.request(Stanza.iq(IqType.SET.wireName()).child(XmlElement.of("session", SESSION_NS)).build(), (r, e2) -> {
                if (state != NegotiationState.BINDING) {
                    return;
                }
                if (e2 != null) {
                    abort(XmppException.of(XmppException.Kind.BIND_FAILED, "session establishment failed", e2));
                } else {
                    online();
                }
            });
        } else {
            online();
        }
    }

    private void online() {
        state(NegotiationState.ONLINE);
        wentOnline = true;
        loginTimer.cancel(false);
        XmppSession s = session.session();
        session.callbacks.execute(() -> login.complete(s));
    }

    // ---- the end of the stream ----

    /** {@link XmppSession#close}: our {@code </stream:stream>}, then the connection within 3 s. */
    void closeGracefully(CompletableFuture<Void> done) {
        if (state == NegotiationState.CLOSED) {
            session.callbacks.execute(() -> done.complete(null));
            return;
        }
        closeWaiters.add(done);
        if (state == NegotiationState.CLOSING) {
            return;
        }
        boolean streamOpen = state != NegotiationState.CONNECTING;
        state(NegotiationState.CLOSING);
        if (streamOpen && ctx.channel().isActive()) {
            writeClose();
            ctx.executor().schedule(() -> {
                ctx.close();
            }, 3, TimeUnit.SECONDS);
        } else {
            ctx.close();
        }
    }

    /** Gives up: records why, closes the stream if one is open, and closes the connection. */
    void abort(XmppException cause) {
        if (state == NegotiationState.CLOSED) {
            return;
        }
        fail(cause);
        // After <starttls/> the server answers <failure/> by closing the stream itself (RFC 6120 §5.4.2.2).
        boolean streamOpen = state != NegotiationState.CONNECTING && state != NegotiationState.STARTTLS;
        state(NegotiationState.CLOSING);
        if (streamOpen) {
            writeClose();
        }
        ctx.close();
    }

    /** Ends the stream with a stream error of ours (RFC 6120 §4.9.1.1). */
    private void streamFailure(StreamError err) {
        if (state == NegotiationState.CLOSED) {
            return;
        }
        fail(XmppException.stream(err, true));
        if (ctx.channel().isActive()) {
            ctx.write(err.toElement());
            ctx.writeAndFlush(StreamFrame.CLOSE).addListener(w -> lingeringClose());
        }
        state(NegotiationState.CLOSING);
    }

    /**
     * Closes our direction first (TLS close_notify, then a TCP half-close) and keeps discarding
     * input for a moment before the full close: closing a socket with unread input sends a reset
     * that can destroy our last words (the stream error) before the peer has read them.
     */
    private void lingeringClose() {
        if (!ctx.channel().isActive()) {
            return;
        }
        ctx.executor().schedule(() -> {
            ctx.close();
        }, 2, TimeUnit.SECONDS);
        Runnable halfClose = () -> {
            if (ctx.channel() instanceof io.netty.channel.socket.DuplexChannel d && d.isActive()) {
                d.shutdownOutput();
            } else {
                ctx.close();
            }
        };
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null) {
            ssl.closeOutbound().addListener(f -> halfClose.run());
        } else {
            halfClose.run();
        }
    }

    private void fail(XmppException cause) {
        if (failure == null) {
            failure = cause;
            LOG.debug("session {}: {}", config.jid(), cause.getMessage());
        }
    }

    private void write(XmlElement element) {
        ctx.writeAndFlush(element, ctx.voidPromise());
    }

    /** Our {@code </stream:stream>}, through the encoder, if there is still a connection to write it on. */
    private void writeClose() {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(StreamFrame.CLOSE, ctx.voidPromise());
        }
    }
}
