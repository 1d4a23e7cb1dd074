package org.openzoep.xmpp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openzoep.xmpp.disco.EntityCaps;
import org.openzoep.xmpp.sasl.SaslException;
import org.openzoep.xmpp.sasl.SaslMechanism;
import org.openzoep.xmpp.sasl.SaslMechanisms;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.xmpp.stanza.StreamError;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlStreamParser;
import org.openzoep.xmpp.xml.XmlViolation;
import org.openzoep.xmpp.xml.XmlWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client stream state machine (RFC 6120 §4–§7): stream header, STARTTLS, SASL, bind, then
 * stanzas; iq correlation, keepalive pings, and the orderly or erroneous end of the stream.
 *
 * <p>Inbound bytes go straight into one {@link XmlStreamParser} (borrowed, then released here, as
 * the last inbound handler); outbound elements are serialized by {@link XmlWriter} into buffers
 * that Netty's write path takes over.
 *
 * <p>Thread: confined to the channel's event loop. SASL key derivation runs on the compute
 * executor and comes back through the event loop. Application callbacks and future completions go
 * to the session's serial executor.
 */
final class XmppStreamHandler extends ChannelInboundHandlerAdapter implements XmlStreamParser.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(XmppStreamHandler.class);

    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";
    static final String SESSION_NS = "urn:ietf:params:xml:ns:xmpp-session";
    static final String PING_NS = "urn:xmpp:ping";
    static final String DISCO_INFO_NS = "http://jabber.org/protocol/disco#info";
    static final String ROSTER_NS = "jabber:iq:roster";
    /** The one XEP-0030 identity this client has. */
    static final EntityCaps.Identity IDENTITY = new EntityCaps.Identity("client", "pc", null, "OpenZoep");
    /** The XEP-0115 node: the software's URI. */
    static final String CAPS_NODE = "https://openzoep.org";

    private enum State { CONNECTING, OPENING, STARTTLS, AUTHENTICATING, BINDING, ONLINE, CLOSING, CLOSED }

    private final XmppSessionConfig config;
    private final SslContext sslContext;
    private final Executor compute;
    private final SerialExecutor callbacks;
    private final XmppSessionListener listener;
    private final List<String> discoFeatures;
    private final XmlElement caps;
    private final CompletableFuture<XmppSession> login;
    private final XmlStreamParser parser;

    private XmppSession session;
    private ChannelHandlerContext ctx;
    private State state = State.CONNECTING;
    private boolean tls;
    private boolean authenticated;
    private SaslMechanism mechanism;
    private boolean sessionRequired;
    private String streamId;
    private Jid boundJid;
    private XmppException failure;
    private final Map<String, Pending> pending = new HashMap<>();
    private final List<CompletableFuture<Void>> closeWaiters = new ArrayList<>(1);
    private long nextId;
    private volatile long dropped;
    private volatile boolean closing;
    private ScheduledFuture<?> loginTimer;
    private boolean pingOutstanding;
    private boolean wentOnline;

    /** Reply handling of the engine's own requests, run on the event loop as the reply arrives. */
    private interface Internal {
        void done(Stanza reply, XmppException error);
    }

    private static final class Pending {
        final CompletableFuture<Stanza> future;
        final Internal internal;
        final Jid to;
        final ScheduledFuture<?> timer;

        Pending(CompletableFuture<Stanza> future, Internal internal, Jid to, ScheduledFuture<?> timer) {
            this.future = future;
            this.internal = internal;
            this.to = to;
            this.timer = timer;
        }

        void complete(Stanza reply, XmppException error, Executor callbacks) {
            if (internal != null) {
                internal.done(reply, error);
            } else if (error != null) {
                callbacks.execute(() -> future.completeExceptionally(error));
            } else {
                callbacks.execute(() -> future.complete(reply));
            }
        }
    }

    XmppStreamHandler(XmppSessionConfig config, SslContext sslContext, Executor compute, SerialExecutor callbacks,
            XmppSessionListener listener, List<String> discoFeatures, XmlElement caps,
            CompletableFuture<XmppSession> login) {
        this.config = config;
        this.sslContext = sslContext;
        this.compute = compute;
        this.callbacks = callbacks;
        this.listener = listener;
        this.discoFeatures = discoFeatures;
        this.caps = caps;
        this.login = login;
        this.parser = new XmlStreamParser(config.limits(), this);
        this.tls = config.tlsMode() == TlsMode.DIRECT_TLS;
    }

    /** The XEP-0115 caps element advertising {@link #IDENTITY} and the disco features. */
    static XmlElement capsElement(List<String> features) {
        return EntityCaps.element(CAPS_NODE, EntityCaps.verification(List.of(IDENTITY), features, List.of()));
    }

    XmlElement caps() {
        return caps;
    }

    Jid boundJid() {
        return boundJid;
    }

    String streamId() {
        return streamId;
    }

    long dropped() {
        return dropped;
    }

    boolean isClosing() {
        return closing;
    }

    // ---- channel events ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.session = new XmppSession(ctx.channel(), this);
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
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            parser.feed(buf);
        } finally {
            buf.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && state == State.ONLINE) {
            keepalive();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("session {}: exception", config.jid(), cause);
        if (certificateProblem(cause) != null) {
            abort(XmppException.of(XmppException.Kind.CERTIFICATE_REJECTED,
                    "server certificate refused: " + certificateProblem(cause).getMessage(), cause));
        } else if (sslProblem(cause) || state == State.STARTTLS || !handshaken()) {
            abort(XmppException.of(XmppException.Kind.TLS_FAILED, "TLS failed: " + cause.getMessage(), cause));
        } else {
            abort(XmppException.of(XmppException.Kind.CLOSED, "connection failed: " + cause.getMessage(), cause));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        State was = state;
        state = State.CLOSED;
        closing = true;
        if (loginTimer != null) {
            loginTimer.cancel(false);
        }
        XmppException cause = failure;
        if (cause == null && was != State.CLOSING) {
            cause = XmppException.of(XmppException.Kind.CLOSED, "connection closed by the server");
        }
        XmppException pendingCause = cause != null ? cause
                : XmppException.of(XmppException.Kind.CLOSED, "session closed");
        List<Pending> left = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : left) {
            p.timer.cancel(false);
            p.complete(null, pendingCause, callbacks);
        }
        if (!wentOnline) {
            XmppException c = pendingCause;
            callbacks.execute(() -> login.completeExceptionally(c));
        } else {
            XmppException c = cause;
            callbacks.execute(() -> listener.onClosed(session, c));
        }
        for (CompletableFuture<Void> w : closeWaiters) {
            callbacks.execute(() -> w.complete(null));
        }
        closeWaiters.clear();
        ctx.fireChannelInactive();
    }

    private void handshakeDone(Future<? super io.netty.channel.Channel> f) {
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
            if (c instanceof javax.net.ssl.SSLException) {
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

    // ---- parser events ----

    @Override
    public void streamOpened(XmlElement header, String contentNamespace) {
        if (!Stanza.CLIENT_NS.equals(contentNamespace)) {
            streamFailure(new StreamError("invalid-namespace", "content namespace must be jabber:client"));
            return;
        }
        streamId = header.attr("id");
        String version = header.attr("version");
        if (version == null || !version.startsWith("1.")) {
            streamFailure(new StreamError("unsupported-version", "stream version 1.0 is required"));
        }
    }

    @Override
    public void element(XmlElement e) {
        if (e.is("error", XmlWriter.STREAM_NS)) {
            StreamError err = StreamError.from(e);
            fail(XmppException.stream(err, false));
            writeRaw("</stream:stream>");
            ctx.close();
            return;
        }
        switch (state) {
            case OPENING -> onFeaturesOrFail(e);
            case STARTTLS -> onStartTls(e);
            case AUTHENTICATING -> onSasl(e);
            case BINDING, ONLINE, CLOSING -> onStanza(e);
            default -> dropped++;
        }
    }

    @Override
    public void streamClosed() {
        if (state != State.CLOSING) {
            if (failure == null) {
                fail(XmppException.of(XmppException.Kind.CLOSED, "server closed the stream"));
            }
            writeRaw("</stream:stream>");
        }
        ctx.close();
    }

    @Override
    public void failed(XmlViolation violation, String detail) {
        streamFailure(new StreamError(violation.condition(), detail));
    }

    // ---- negotiation ----

    private void openStream() {
        state = State.OPENING;
        XmlElement header = XmlElement.builder("stream", XmlWriter.STREAM_NS)
                .attr("to", config.jid().domain())
                .attr("from", config.jid().bare().toString())
                .attr("version", "1.0")
                .attr(XmlElement.XML_NS, "lang", "en")
                .build();
        ByteBuf out = ctx.alloc().buffer(256);
        XmlWriter.openStream(XmlWriter.sink(out), header, Stanza.CLIENT_NS);
        ctx.writeAndFlush(out);
    }

    private void onFeaturesOrFail(XmlElement e) {
        if (!e.is("features", XmlWriter.STREAM_NS)) {
            dropped++;
            return;
        }
        if (!tls) {
            if (e.child("starttls", TLS_NS) == null) {
                abort(XmppException.of(XmppException.Kind.TLS_REQUIRED,
                        "server " + config.jid().domain() + " does not offer STARTTLS; refusing to continue in clear"));
                return;
            }
            state = State.STARTTLS;
            write(XmlElement.of("starttls", TLS_NS), null);
            return;
        }
        if (!authenticated) {
            startSasl(e);
            return;
        }
        XmlElement sess = e.child("session", SESSION_NS);
        sessionRequired = sess != null && sess.child("optional", SESSION_NS) == null;
        if (e.child("bind", BIND_NS) == null) {
            abort(XmppException.of(XmppException.Kind.BIND_FAILED, "server offers no resource binding"));
            return;
        }
        state = State.BINDING;
        XmlElement.Builder bind = XmlElement.builder("bind", BIND_NS);
        if (config.resource() != null) {
            bind.textChild("resource", config.resource());
        }
        request(Stanza.iq("set").id(newId()).child(bind.build()).build(), null, this::bound);
    }

    private void onStartTls(XmlElement e) {
        if (e.is("proceed", TLS_NS)) {
            SslHandler ssl = sslContext.newHandler(ctx.alloc(), config.jid().domain(), port());
            ctx.pipeline().addFirst("tls", ssl);
            ssl.handshakeFuture().addListener(this::handshakeDone);
            parser.restart();
        } else if (e.is("failure", TLS_NS)) {
            abort(XmppException.of(XmppException.Kind.TLS_FAILED, "server refused STARTTLS"));
        } else {
            dropped++;
        }
    }

    private int port() {
        java.net.SocketAddress a = ctx.channel().remoteAddress();
        return a instanceof java.net.InetSocketAddress isa ? isa.getPort() : -1;
    }

    private void startSasl(XmlElement features) {
        XmlElement mechs = features.child("mechanisms", SASL_NS);
        List<String> offered = new ArrayList<>();
        if (mechs != null) {
            for (XmlElement m : mechs.elements()) {
                if (m.is("mechanism", SASL_NS)) {
                    offered.add(m.text().trim());
                }
            }
        }
        try {
            String name = SaslMechanisms.select(offered, tls, config.saslPreference());
            mechanism = SaslMechanisms.create(name, config.jid().local(), config.password());
            byte[] initial = mechanism.initialResponse();
            state = State.AUTHENTICATING;
            XmlElement.Builder auth = XmlElement.builder("auth", SASL_NS).attr("mechanism", name);
            auth.text(initial == null ? "" : initial.length == 0 ? "=" : Base64.getEncoder().encodeToString(initial));
            write(auth.build(), null);
        } catch (SaslException ex) {
            abort(XmppException.auth(ex.condition().wireName(), ex.getMessage() + " (offered: " + offered + ")"));
        }
    }

    private void onSasl(XmlElement e) {
        if (!e.namespace().equals(SASL_NS)) {
            dropped++;
            return;
        }
        switch (e.name()) {
            case "challenge" -> {
                byte[] challenge = decode(e.text());
                if (challenge == null) {
                    abort(XmppException.auth("malformed-challenge", "challenge is not base64"));
                    return;
                }
                SaslMechanism m = mechanism;
                // Key derivation is deliberate CPU work (PBKDF2): keep it off the event loop.
                compute.execute(() -> {
                    byte[] response;
                    try {
                        response = m.evaluateChallenge(challenge);
                    } catch (SaslException ex) {
                        ctx.executor().execute(() -> abort(XmppException.auth(ex.condition().wireName(), ex.getMessage())));
                        return;
                    }
                    ctx.executor().execute(() -> {
                        if (state == State.AUTHENTICATING) {
                            write(XmlElement.builder("response", SASL_NS)
                                    .text(response == null || response.length == 0 ? "" : Base64.getEncoder().encodeToString(response))
                                    .build(), null);
                        }
                    });
                });
            }
            case "success" -> {
                byte[] data = decode(e.text());
                try {
                    mechanism.verifySuccess(data == null ? new byte[0] : data);
                } catch (SaslException ex) {
                    abort(XmppException.auth(ex.condition().wireName(), ex.getMessage()));
                    return;
                }
                authenticated = true;
                mechanism = null;
                parser.restart();
                openStream();
            }
            case "failure" -> {
                String condition = "not-authorized";
                String text = null;
                for (XmlElement c : e.elements()) {
                    if (c.name().equals("text")) {
                        text = c.text();
                    } else {
                        condition = c.name();
                    }
                }
                abort(XmppException.auth(condition, text));
            }
            default -> dropped++;
        }
    }

    private static byte[] decode(String b64) {
        String t = b64.trim();
        if (t.isEmpty() || t.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private void bound(Stanza result, XmppException err) {
        if (state != State.BINDING) {
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
        boundJid = jid;
        if (sessionRequired) {
            request(Stanza.iq("set").id(newId()).child(XmlElement.of("session", SESSION_NS)).build(), null, (r, e2) -> {
                if (state != State.BINDING) {
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
        state = State.ONLINE;
        wentOnline = true;
        loginTimer.cancel(false);
        XmppSession s = session;
        callbacks.execute(() -> login.complete(s));
    }

    // ---- stanzas ----

    private void onStanza(XmlElement e) {
        if (!Stanza.isStanza(e)) {
            dropped++;
            return;
        }
        Stanza s = Stanza.of(e);
        if (s.kind() == Stanza.Kind.IQ) {
            String type = s.type();
            if ("result".equals(type) || "error".equals(type)) {
                onIqReply(s);
                return;
            }
            if (!"get".equals(type) && !"set".equals(type) || s.id() == null) {
                dropped++;
                return;
            }
            if (state != State.ONLINE) {
                return;
            }
            XmlElement payload = s.payload();
            if (payload != null && "get".equals(type) && payload.is("ping", PING_NS)) {
                write(s.result().element(), null);
                return;
            }
            if (payload != null && "get".equals(type) && payload.is("query", DISCO_INFO_NS)) {
                write(discoInfo(s, discoFeatures, caps).element(), null);
                return;
            }
            if (payload != null && "set".equals(type) && payload.is("query", ROSTER_NS)) {
                Jid from = s.from();
                if (e.attr("from") != null && (from == null || !from.equals(boundJid.bare()))) {
                    dropped++; // RFC 6121 §2.1.6: a push from anyone else is ignored
                    return;
                }
                write(s.result().element(), null);
            } else {
                callbacks.execute(() -> listener.onIqRequest(session, s));
                return;
            }
        }
        if (state == State.ONLINE) {
            callbacks.execute(() -> listener.onStanza(session, s));
        }
    }

    /**
     * The answer to a disco#info get: our identity and features, for no node or for the
     * XEP-0115 {@code node#ver} of our caps (echoing the node); item-not-found for any other node.
     */
    static Stanza discoInfo(Stanza request, List<String> features, XmlElement caps) {
        XmlElement payload = request.payload();
        String node = payload.attr("node");
        if (node != null && !node.equals(caps.attr("node") + "#" + caps.attr("ver"))) {
            return request.errorReply(StanzaError.of("cancel", "item-not-found", null));
        }
        XmlElement.Builder q = XmlElement.builder("query", DISCO_INFO_NS).attr("node", node);
        q.child(IDENTITY.toXml());
        for (String f : features) {
            q.child(XmlElement.builder("feature", DISCO_INFO_NS).attr("var", f).build());
        }
        Stanza.Builder b = Stanza.iq("result").id(request.id()).child(q.build());
        if (request.element().attr("from") != null) {
            b.to(request.element().attr("from"));
        }
        return b.build();
    }

    private void onIqReply(Stanza s) {
        Pending p = s.id() == null ? null : pending.get(s.id());
        if (p == null || !replyFromExpected(p.to, s.element().attr("from"))) {
            dropped++;
            LOG.debug("session {}: dropped iq reply id={} from={}", boundJid, s.id(), s.element().attr("from"));
            return;
        }
        pending.remove(s.id());
        p.timer.cancel(false);
        p.complete(s.isError() ? null : s, s.isError() ? XmppException.stanza(s.error()) : null, callbacks);
    }

    /** RFC 6120 §10.1.4 / §8.1.2.1: the reply must come from whom we asked. */
    private boolean replyFromExpected(Jid to, String fromAttr) {
        Jid account = config.jid().bare();
        Jid from = fromAttr == null ? null : Jid.parseOrNull(fromAttr);
        if (fromAttr != null && from == null) {
            return false;
        }
        if (to == null || to.equals(account)) {
            // asked our own account (or the server on its behalf): the server answers for it
            return from == null || from.equals(account) || from.equals(boundJid)
                    || to == null && from.equals(Jid.of(null, account.domain(), null));
        }
        return to.equals(from);
    }

    // ---- operations from XmppSession (on the event loop) ----

    void sendStanza(Stanza stanza, CompletableFuture<Void> done) {
        if (state != State.ONLINE) {
            XmppException ex = XmppException.of(XmppException.Kind.CLOSED, "session is not online");
            callbacks.execute(() -> done.completeExceptionally(ex));
            return;
        }
        write(stanza.element(), done);
    }

    void request(Stanza iq, CompletableFuture<Stanza> f) {
        if (state != State.ONLINE) {
            XmppException ex = XmppException.of(XmppException.Kind.CLOSED, "session is not online");
            callbacks.execute(() -> f.completeExceptionally(ex));
            return;
        }
        request(iq, f, null);
    }

    private void request(Stanza iq, CompletableFuture<Stanza> f, Internal internal) {
        String id = iq.id();
        if (id == null || pending.containsKey(id)) {
            id = newId();
            iq = iq.withAttr("id", id);
        }
        String key = id;
        ScheduledFuture<?> timer = ctx.executor().schedule(() -> {
            Pending p = pending.remove(key);
            if (p != null) {
                p.complete(null, XmppException.of(XmppException.Kind.TIMEOUT, "no reply to iq " + key + " within "
                        + config.iqTimeout()), callbacks);
            }
        }, config.iqTimeout().toMillis(), TimeUnit.MILLISECONDS);
        pending.put(id, new Pending(f, internal, iq.to(), timer));
        write(iq.element(), null);
    }

    void closeGracefully(CompletableFuture<Void> done) {
        if (state == State.CLOSED) {
            callbacks.execute(() -> done.complete(null));
            return;
        }
        closeWaiters.add(done);
        if (state == State.CLOSING) {
            return;
        }
        boolean streamOpen = state != State.CONNECTING;
        state = State.CLOSING;
        closing = true;
        if (streamOpen && ctx.channel().isActive()) {
            writeRaw("</stream:stream>");
            ctx.executor().schedule(() -> {
                ctx.close();
            }, 3, TimeUnit.SECONDS);
        } else {
            ctx.close();
        }
    }

    private void keepalive() {
        if (pingOutstanding) {
            return;
        }
        pingOutstanding = true;
        request(Stanza.iq("get").to(Jid.of(null, config.jid().domain(), null)).id(newId())
                .child(XmlElement.of("ping", PING_NS)).build(), null, (r, err) -> {
                    pingOutstanding = false;
                    if (err != null && err.kind() == XmppException.Kind.TIMEOUT) {
                        abort(XmppException.of(XmppException.Kind.TIMEOUT, "server did not answer a keepalive ping"));
                    }
                });
    }

    // ---- output and failure ----

    private void write(XmlElement element, CompletableFuture<Void> done) {
        ByteBuf out = ctx.alloc().buffer(256);
        try {
            XmlWriter.write(out, element, Stanza.CLIENT_NS);
        } catch (RuntimeException ex) {
            out.release();
            throw ex;
        }
        if (done == null) {
            ctx.writeAndFlush(out, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(out).addListener(w -> {
                if (w.isSuccess()) {
                    callbacks.execute(() -> done.complete(null));
                } else {
                    XmppException ex = XmppException.of(XmppException.Kind.CLOSED, "write failed: " + w.cause(), w.cause());
                    callbacks.execute(() -> done.completeExceptionally(ex));
                }
            });
        }
    }

    private void writeRaw(String s) {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(ctx.alloc().buffer(s.length()).writeBytes(s.getBytes(StandardCharsets.US_ASCII)),
                    ctx.voidPromise());
        }
    }

    /** Ends the stream with a stream error of ours (RFC 6120 §4.9.1.1). */
    private void streamFailure(StreamError err) {
        if (state == State.CLOSED) {
            return;
        }
        fail(XmppException.stream(err, true));
        if (ctx.channel().isActive()) {
            ByteBuf out = ctx.alloc().buffer(128);
            XmlWriter.write(out, err.toElement(), Stanza.CLIENT_NS);
            out.writeBytes("</stream:stream>".getBytes(StandardCharsets.US_ASCII));
            ctx.writeAndFlush(out).addListener(w -> lingeringClose());
        }
        state = State.CLOSING;
        closing = true;
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

    /** Gives up: records why, closes the stream if one is open, and closes the connection. */
    private void abort(XmppException cause) {
        if (state == State.CLOSED) {
            return;
        }
        fail(cause);
        boolean streamOpen = state != State.CONNECTING && state != State.STARTTLS;
        state = State.CLOSING;
        closing = true;
        if (streamOpen) {
            writeRaw("</stream:stream>");
        }
        ctx.close();
    }

    private void fail(XmppException cause) {
        if (failure == null) {
            failure = cause;
            LOG.debug("session {}: {}", config.jid(), cause.getMessage());
        }
    }

    private String newId() {
        return "oz" + Long.toString(nextId++, 36);
    }
}
