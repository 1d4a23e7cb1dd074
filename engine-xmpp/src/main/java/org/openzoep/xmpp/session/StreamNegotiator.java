package org.openzoep.xmpp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.openzoep.xmpp.sasl.SaslMechanism;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.tls.ChannelBindings;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlWriter;

/**
 * Client stream negotiation (RFC 6120 §4.3), as the {@link NegotiationState} machine: our stream
 * header once the connection (and Direct TLS) is up, then the server's features: STARTTLS (§5;
 * refusing to go on in clear), SASL (§6, through {@link SaslExchange}), resource binding and,
 * where the server still requires it, the session iq (§7, RFC 3921 §3), then online. Each TLS or
 * SASL success restarts the stream (§4.3.3) in the {@link XmppFrameDecoder}. XEP-0198 stream
 * management (a later issue) fits where marked in {@link #onFeatures}. A step that fails, or no
 * login within the login timeout, ends the stream through {@link StreamLifecycleHandler#abort}
 * with a typed {@link XmppException}; the login future completes when online.
 *
 * <p>Inbound it consumes the negotiation elements and, from binding on, passes each stanza on as
 * a {@link Stanza}; any other element is dropped and counted.
 *
 * <p>Between {@code <starttls/>} and {@code <proceed/>} a {@link StartTlsGuard} makes sure that
 * nothing follows {@code <proceed/>} in clear (STARTTLS command injection). SASL gets the TLS
 * connection's {@link ChannelBindings} for SCRAM {@code -PLUS}.
 *
 * <p>Limits: one login timer, one SASL exchange at a time. Thread: the channel's event loop; SASL
 * key derivation runs on the compute executor in slices of {@value #ITERATIONS_PER_SLICE}
 * iterations, each slice a new task, so that one account's large iteration count never holds a
 * shared thread for long (other accounts' tasks run between its slices); it stops when the
 * channel closes, and the response comes back through the event loop. The login completes on
 * the session's serial executor. Buffers: none; it writes {@link XmlElement}s and
 * {@link StreamFrame.Open} for the {@link StanzaEncoder}.
 */
final class StreamNegotiator extends ChannelInboundHandlerAdapter {
    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";
    static final String SESSION_NS = "urn:ietf:params:xml:ns:xmpp-session";
    /** PBKDF2 iterations per compute task: a few milliseconds of CPU. */
    static final int ITERATIONS_PER_SLICE = 4096;

    private final SessionContext session;
    private final XmppSessionConfig config;
    private final SslContext sslContext;
    private final Executor compute;
    private final CompletableFuture<XmppSession> login;
    private final XmppFrameDecoder decoder;
    private final IqCorrelator iqs;
    private final StreamLifecycleHandler lifecycle;

    private ChannelHandlerContext ctx;
    private boolean tls;
    private boolean authenticated;
    /** {@code <proceed/>} arrived; see {@link StartTlsGuard}. */
    private boolean proceeded;
    private SaslExchange sasl;
    private boolean sessionRequired;
    private ScheduledFuture<?> loginTimer;

    StreamNegotiator(SessionContext session, SslContext sslContext, Executor compute,
            CompletableFuture<XmppSession> login, XmppFrameDecoder decoder, IqCorrelator iqs,
            StreamLifecycleHandler lifecycle) {
        this.session = session;
        this.config = session.config;
        this.sslContext = sslContext;
        this.compute = compute;
        this.login = login;
        this.decoder = decoder;
        this.iqs = iqs;
        this.lifecycle = lifecycle;
        this.tls = config.tlsMode() == TlsMode.DIRECT_TLS;
    }

    // ---- channel events ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        loginTimer = ctx.executor().schedule(() -> {
            if (!session.wentOnline()) {
                lifecycle.abort(XmppException.of(XmppException.Kind.TIMEOUT, "no login within " + config.loginTimeout()));
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
        if (!(msg instanceof XmlElement e)) {
            ctx.fireChannelRead(msg);
            return;
        }
        switch (session.state()) {
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

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (loginTimer != null) {
            loginTimer.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private void handshakeDone(Future<? super Channel> f) {
        if (f.isSuccess()) {
            tls = true;
            openStream();
        }
        // a failed handshake arrives as an exception, through ApplicationHandler to StreamLifecycleHandler.failed
    }

    // ---- negotiation ----

    private void openStream() {
        session.state(NegotiationState.OPENING);
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
                lifecycle.abort(XmppException.of(XmppException.Kind.TLS_REQUIRED,
                        "server " + config.jid().domain() + " does not offer STARTTLS; refusing to continue in clear"));
                return;
            }
            session.state(NegotiationState.STARTTLS);
            guardStartTls();
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
            lifecycle.abort(XmppException.of(XmppException.Kind.BIND_FAILED, "server offers no resource binding"));
            return;
        }
        session.state(NegotiationState.BINDING);
        XmlElement.Builder bind = XmlElement.builder("bind", BIND_NS);
        if (config.resource() != null) {
            bind.textChild("resource", config.resource());
        }
        iqs.request(Stanza.iq(IqType.SET.wireName()).child(bind.build()).build(), this::bound);
    }

    private void onStartTls(XmlElement e) {
        if (e.is("proceed", TLS_NS)) {
            // TLS starts once the guard has seen that nothing followed <proceed/> in clear.
            proceeded = true;
            decoder.restart();
        } else if (e.is("failure", TLS_NS)) {
            lifecycle.abort(XmppException.of(XmppException.Kind.TLS_FAILED, "server refused STARTTLS"));
        } else {
            session.drop();
        }
    }

    /**
     * Puts a {@link StartTlsGuard} before the decoder: from {@code <starttls/>} to
     * {@code <proceed/>} the server's clear bytes reach the decoder one at a time, so that the
     * guard knows exactly which bytes came after {@code <proceed/>}.
     */
    private void guardStartTls() {
        ChannelHandlerContext decoderCtx = ctx.pipeline().context(decoder);
        StartTlsGuard guard = new StartTlsGuard();
        if (decoderCtx != null) {
            ctx.pipeline().addBefore(decoderCtx.name(), "starttls-guard", guard);
        } else {
            ctx.pipeline().addFirst("starttls-guard", guard);
        }
    }

    /** Called by the guard once {@code <proceed/>} was parsed: {@code extra} clear bytes followed it. */
    private void proceedEnded(int extra) {
        if (extra > 0) {
            // RFC 6120 §5.4.3.3: the TLS negotiation begins right after <proceed/>; anything else
            // sent in clear there was injected (the STARTTLS command-injection class, CVE-2011-0411).
            lifecycle.abort(XmppException.of(XmppException.Kind.TLS_FAILED, "the server sent " + extra
                    + " byte(s) in clear after <proceed/> before TLS started; refusing them"));
            return;
        }
        SslHandler ssl = sslContext.newHandler(ctx.alloc(), config.jid().domain(), port());
        ctx.pipeline().addFirst("tls", ssl);
        ssl.handshakeFuture().addListener(this::handshakeDone);
    }

    /**
     * L2: between {@code <starttls/>} and {@code <proceed/>}, passes the clear bytes to the
     * decoder one by one and counts what follows {@code <proceed/>} in the same read; then leaves
     * the pipeline. A few dozen bytes once per connection, so the per-byte cost does not matter.
     * Thread: the event loop. Buffers: takes ownership of each inbound {@code ByteBuf}; each
     * one-byte slice passed on is retained for the decoder, which releases it.
     */
    private final class StartTlsGuard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext gctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                gctx.fireChannelRead(msg);
                return;
            }
            try {
                while (buf.isReadable() && !proceeded && session.state() == NegotiationState.STARTTLS) {
                    gctx.fireChannelRead(buf.readRetainedSlice(1));
                }
                if (proceeded) {
                    gctx.pipeline().remove(this);
                    proceedEnded(buf.readableBytes());
                }
            } finally {
                buf.release();
            }
        }
    }

    private int port() {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress isa ? isa.getPort() : -1;
    }

    private void startSasl(XmlElement features) {
        XmlElement auth;
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        ChannelBindings bindings = ssl == null ? ChannelBindings.NONE : ChannelBindings.of(ssl.engine());
        try {
            sasl = SaslExchange.start(features, tls, bindings, config);
            auth = sasl.auth();
        } catch (XmppException ex) {
            lifecycle.abort(ex);
            return;
        }
        session.state(NegotiationState.AUTHENTICATING);
        write(auth);
    }

    private void onSasl(XmlElement e) {
        switch (SaslExchange.step(e)) {
            case CHALLENGE -> {
                byte[] challenge;
                try {
                    challenge = SaslExchange.challenge(e);
                } catch (XmppException ex) {
                    lifecycle.abort(ex);
                    return;
                }
                SaslMechanism.Answer answer;
                try {
                    answer = sasl.answer(challenge); // the checks: cheap
                } catch (XmppException ex) {
                    lifecycle.abort(ex);
                    return;
                }
                // Key derivation is deliberate CPU work (PBKDF2): off the event loop, in slices.
                computeSlice(new Runnable() {
                    @Override
                    public void run() {
                        if (!ctx.channel().isActive()) {
                            answer.cancel(); // the login is over: stop burning CPU
                            return;
                        }
                        if (!answer.advance(ITERATIONS_PER_SLICE)) {
                            computeSlice(this, answer);
                            return;
                        }
                        XmlElement response = SaslExchange.response(answer);
                        ctx.executor().execute(() -> {
                            if (session.state() == NegotiationState.AUTHENTICATING) {
                                write(response);
                            }
                        });
                    }
                }, answer);
            }
            case SUCCESS -> {
                try {
                    sasl.verifySuccess(e);
                } catch (XmppException ex) {
                    lifecycle.abort(ex);
                    return;
                }
                authenticated = true;
                sasl = null;
                decoder.restart();
                openStream();
            }
            case FAILURE -> lifecycle.abort(SaslExchange.failure(e));
            default -> session.drop();
        }
    }

    /** Queues one slice of key derivation; a closed executor ends the login. */
    private void computeSlice(Runnable slice, SaslMechanism.Answer answer) {
        try {
            compute.execute(slice);
        } catch (RejectedExecutionException ex) {
            answer.cancel();
            ctx.executor().execute(() -> lifecycle.abort(XmppException.of(XmppException.Kind.CLOSED,
                    "the compute executor refused the SASL key derivation: " + ex.getMessage(), ex)));
        }
    }

    private void bound(Stanza result, XmppException err) {
        if (session.state() != NegotiationState.BINDING) {
            return;
        }
        if (err != null) {
            lifecycle.abort(XmppException.of(XmppException.Kind.BIND_FAILED, "resource binding failed: " + err.getMessage(), err));
            return;
        }
        XmlElement bind = result.extension("bind", BIND_NS);
        Jid jid = bind == null ? null : Jid.parseOrNull(bind.childText("jid"));
        if (jid == null || jid.isBare() || !jid.bare().equals(config.jid().bare())) {
            lifecycle.abort(XmppException.of(XmppException.Kind.BIND_FAILED, "server bound an unexpected JID: " + jid));
            return;
        }
        session.boundJid(jid);
        if (sessionRequired) {
            iqs.request(Stanza.iq(IqType.SET.wireName()).child(XmlElement.of("session", SESSION_NS)).build(), (r, e2) -> {
                if (session.state() != NegotiationState.BINDING) {
                    return;
                }
                if (e2 != null) {
                    lifecycle.abort(XmppException.of(XmppException.Kind.BIND_FAILED, "session establishment failed", e2));
                } else {
                    online();
                }
            });
        } else {
            online();
        }
    }

    private void online() {
        session.state(NegotiationState.ONLINE);
        loginTimer.cancel(false);
        // negotiation is over: the shared gate takes this stage's place for the rest of the stream
        ctx.pipeline().replace(this, "stanzas", StanzaGate.INSTANCE);
        XmppSession s = session.session();
        session.callbacks.execute(() -> login.complete(s));
    }

    private void write(XmlElement element) {
        ctx.writeAndFlush(element, ctx.voidPromise());
    }

}
