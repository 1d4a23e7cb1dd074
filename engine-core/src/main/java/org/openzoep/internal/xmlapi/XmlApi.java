package org.openzoep.internal.xmlapi;

import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.concurrent.CompletionStage;
import org.openzoep.AccountFailure;
import org.openzoep.AccountSettings;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.CallState;
import org.openzoep.CallStats;
import org.openzoep.internal.call.CallRegistry;
import org.openzoep.xmpp.session.XmppException;
import org.openzoep.xmpp.session.XmppSession;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.xmpp.stanza.StreamError;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlLimits;
import org.openzoep.xmpp.xml.XmlStreamParser;
import org.openzoep.xmpp.xml.XmlViolation;
import org.openzoep.xmpp.xml.XmlWriter;

/**
 * The OpenZoep XML stream of one account: the application's side of the article's API.
 *
 * <p>The application writes a Jabber client stream into the engine; it is parsed by the same
 * streaming parser as the server's stream (same limits, same restricted XML). The engine answers
 * the engine-local parts itself (the {@code configuration} iq, the {@code jabber:iq:auth} method
 * request and login, logout) and passes every other stanza through to the server, and the
 * server's stanzas back. Errors are stanza errors or stream errors on this stream, documented in
 * {@code docs/api.md}. Stanzas written while the login is under way wait for it (the account holds
 * them, bounded); every stanza the engine cannot send is answered with a stanza error.
 *
 * <p>Thread: confined to the account's serial executor.
 */
public final class XmlApi implements XmlStreamParser.Handler {

    /** Namespace of the configuration iq's payload. */
    public static final String CONFIG_NS = "http://openzoep.org/protocol/configuration";
    /** Namespace of the logout iq's payload. */
    public static final String SESSION_NS = "http://openzoep.org/protocol/session";
    /** Namespace of OpenZoep's application-specific error conditions. */
    public static final String ERRORS_NS = "http://openzoep.org/protocol/errors";
    /** XEP-0078 non-SASL authentication, the shape the article's login uses. */
    public static final String AUTH_NS = "jabber:iq:auth";

    /** The account under the stream; every method runs on the account's serial executor. */
    public interface Host {
        boolean isOnline();

        /** The online session; throws {@link IllegalStateException} when offline. */
        XmppSession online();

        /** The bound JID, or null. */
        Jid jid();

        /** Adds the engine's XEP-0115 capabilities to available presence. */
        Stanza withCaps(Stanza s);

        CompletionStage<Jid> loginNow(Jid jid, String password);

        /**
         * Sends a stanza: at once when online, after the login under way (bounded, in order), else
         * fails with {@link AccountFailure.Reason#NOT_LOGGED_IN}. A refused stanza fails the stage
         * ({@link AccountFailure.Reason#QUEUE_FULL}, the login's failure, a closed session).
         */
        CompletionStage<Void> sendNow(Stanza s);

        /** An iq get or set with its reply, held and refused as {@link #sendNow} does. */
        CompletionStage<Stanza> requestNow(Stanza iq);

        CompletionStage<Void> logoutNow();

        AccountSettings currentSettings();

        void replaceSettings(AccountSettings s);

        /** The audio for calls the XML stream places or answers. */
        CallAudio defaultAudio();

        CallRegistry callRegistry();
    }

    private final Host account;
    private final Consumer<String> out;
    private final XmlStreamParser parser;
    private String domain;
    private boolean open;
    private boolean closed;

    public XmlApi(Host account, Consumer<String> out) {
        this.account = account;
        this.out = out;
        this.parser = new XmlStreamParser(XmlLimits.DEFAULT, this);
    }

    /** Parses bytes the application wrote. */
    public void feed(byte[] utf8) {
        if (!closed) {
            parser.feed(ByteBuffer.wrap(utf8));
        }
    }

    // ---- the application's stream ----

    @Override
    public void streamOpened(XmlElement header, String contentNamespace) {
        String to = header.attr("to");
        Jid domainJid = Jid.parseOrNull(to);
        StringBuilder sb = new StringBuilder(256);
        XmlElement.Builder reply = XmlElement.builder("stream", XmlWriter.STREAM_NS)
                .attr("id", UUID.randomUUID().toString()).attr("version", "1.0");
        if (domainJid != null && domainJid.local() == null && domainJid.isBare()) {
            reply.attr("from", domainJid.domain());
        }
        XmlWriter.openStream(XmlWriter.sink(sb), reply.build(), Stanza.CLIENT_NS);
        out.accept(sb.toString());
        open = true;
        if (!Stanza.CLIENT_NS.equals(contentNamespace)) {
            streamError("invalid-namespace", "the stream's content namespace must be jabber:client");
        } else if (to == null) {
            streamError("improper-addressing", "the stream header needs to='your Jabber server domain'");
        } else if (domainJid == null || domainJid.local() != null || !domainJid.isBare()) {
            streamError("host-unknown", "'" + to + "' is not a server domain");
        } else {
            domain = domainJid.domain();
        }
    }

    @Override
    public void element(XmlElement e) {
        if (e.is("voice", Stanza.CLIENT_NS)) {
            onVoice(e);
            return;
        }
        if (!Stanza.isStanza(e)) {
            streamError("unsupported-stanza-type", "only message, presence and iq in jabber:client are allowed");
            return;
        }
        Stanza s = Stanza.of(e);
        if (s.kind() == Stanza.Kind.IQ) {
            onIq(s);
        } else {
            toServer(s);
        }
    }

    /**
     * Sends a message, presence or iq answer of the application (during a login, after it); a
     * stanza the engine cannot send is answered with an error, never dropped silently.
     */
    private void toServer(Stanza s) {
        account.sendNow(s.withAttr("from", null)).whenComplete((v, err) -> {
            if (err != null) {
                emit(refused(s, sendError(err)));
            }
        });
    }

    /** The stanza error for a send or request that failed in the engine (see docs/api.md). */
    static StanzaError sendError(Throwable err) {
        AccountFailure f = AccountFailure.of(err);
        if (f.reason() == AccountFailure.Reason.NOT_LOGGED_IN) {
            return notLoggedIn();
        }
        XmppException x = f.xmppCause();
        if (x != null && x.stanzaError() != null) {
            return x.stanzaError();
        }
        return StanzaError.of(f.errorType(), f.condition(), f.text())
                .withAppCondition(XmlElement.of(f.zoepCondition(), ERRORS_NS));
    }

    /** An error reply to the application's stanza, from the address it was sent to. */
    private static Stanza refused(Stanza s, StanzaError error) {
        Stanza reply = s.errorReply(error);
        String to = s.element().attr("to");
        return to == null ? reply : reply.withAttr("from", to);
    }

    @Override
    public void streamClosed() {
        account.logoutNow().whenComplete((v, e) -> endStream());
    }

    @Override
    public void failed(XmlViolation violation, String detail) {
        streamError(violation.condition(), detail);
    }

    // ---- iq from the application ----

    private void onIq(Stanza iq) {
        String type = iq.type();
        XmlElement payload = iq.payload();
        if (iq.id() == null || type == null) {
            emit(iq.errorReply(StanzaError.of("modify", "bad-request", "an iq needs an id and a type")));
            return;
        }
        boolean request = "get".equals(type) || "set".equals(type);
        if (request && payload != null && iq.element().attr("to") == null) {
            if (payload.is("configuration", CONFIG_NS)) {
                configure(iq, payload);
                return;
            }
            if (payload.is("query", AUTH_NS)) {
                auth(iq, payload);
                return;
            }
            if (payload.is("logout", SESSION_NS)) {
                account.logoutNow().whenComplete((v, e) -> emit(reply(iq)));
                return;
            }
        }
        if (!request) {
            toServer(iq); // answers to the server's requests
            return;
        }
        account.requestNow(iq.withAttr("from", null)).whenComplete((result, err) -> {
            if (err == null) {
                emit(result);
                return;
            }
            Stanza.Builder b = Stanza.iq("error").id(iq.id()).child(sendError(err).toElement(Stanza.CLIENT_NS));
            if (iq.element().attr("to") != null) {
                b.from(iq.element().attr("to"));
            }
            emit(b.build());
        });
    }

    private void configure(Stanza iq, XmlElement payload) {
        if (!"set".equals(iq.type())) {
            emit(Stanza.iq("result").id(iq.id()).child(ConfigurationXml.toElement(account.currentSettings())).build());
            return;
        }
        try {
            account.replaceSettings(ConfigurationXml.apply(account.currentSettings(), payload));
            emit(reply(iq));
        } catch (IllegalArgumentException ex) {
            emit(iq.errorReply(StanzaError.of("modify", "bad-request", ex.getMessage())));
        }
    }

    /** XEP-0078 in the article's shape; underneath it is TLS + SASL SCRAM + bind. */
    private void auth(Stanza iq, XmlElement query) {
        if ("get".equals(iq.type())) {
            XmlElement.Builder q = XmlElement.builder("query", AUTH_NS);
            String user = query.childText("username");
            q.textChild("username", user == null ? "" : user);
            q.child(XmlElement.of("password", AUTH_NS));
            q.child(XmlElement.of("resource", AUTH_NS));
            emit(Stanza.iq("result").id(iq.id()).child(q.build()).build());
            return;
        }
        if (domain == null) {
            emit(iq.errorReply(StanzaError.of("modify", "bad-request", "open the stream with to='your server domain' first")));
            return;
        }
        String user = query.childText("username");
        String password = query.childText("password");
        String resource = query.childText("resource");
        if (user == null || user.isBlank() || password == null) {
            emit(iq.errorReply(StanzaError.of("modify", "not-acceptable", "username and password are required")));
            return;
        }
        Jid jid;
        try {
            jid = Jid.of(user.trim(), domain, resource == null || resource.isBlank() ? null : resource.trim());
        } catch (IllegalArgumentException ex) {
            emit(iq.errorReply(StanzaError.of("modify", "jid-malformed", ex.getMessage())));
            return;
        }
        account.loginNow(jid, password).whenComplete((bound, err) -> {
            if (err == null) {
                emit(reply(iq));
            } else {
                emit(iq.errorReply(loginError(err)));
            }
        });
    }

    /** How a failed login reads on the XML stream (see docs/api.md): the typed failure's conditions. */
    static StanzaError loginError(Throwable err) {
        AccountFailure f = AccountFailure.of(err);
        return StanzaError.of(f.errorType(), f.condition(), f.text())
                .withAppCondition(XmlElement.of(f.zoepCondition(), ERRORS_NS));
    }

    // ---- from the server ----

    /**
     * A stanza from the server for the application. Only the engine emits {@code <voice/>}: a
     * {@code voice} element in {@code jabber:client} inside a stanza from the server (a peer's
     * forged call event, at any depth) is removed; the rest of the stanza passes (docs/api.md).
     */
    public void fromServer(Stanza s) {
        if (open && !closed) {
            XmlElement clean = withoutVoice(s.element());
            emit(clean == s.element() ? s : Stanza.of(clean));
        }
    }

    /** {@code e} without {@code voice} elements in {@code jabber:client} at any depth; {@code e} itself if it has none. */
    static XmlElement withoutVoice(XmlElement e) {
        Object[] kept = null;
        for (int i = 0; i < e.childCount(); i++) {
            Object c = e.child(i);
            Object now = c;
            if (c instanceof XmlElement ce) {
                now = ce.is("voice", Stanza.CLIENT_NS) ? null : withoutVoice(ce);
            }
            if (now != c && kept == null) {
                kept = new Object[e.childCount()];
                for (int j = 0; j < i; j++) {
                    kept[j] = e.child(j);
                }
            }
            if (kept != null) {
                kept[i] = now;
            }
        }
        if (kept == null) {
            return e;
        }
        XmlElement.Builder b = XmlElement.builder(e.name(), e.namespace());
        for (int i = 0; i < e.attrCount(); i++) {
            b.attr(e.attrNamespace(i), e.attrName(i), e.attrValue(i));
        }
        for (Object c : kept) {
            if (c instanceof XmlElement ce) {
                b.child(ce);
            } else if (c instanceof String t) {
                b.text(t);
            }
        }
        return b.build();
    }

    /** The server session ended; the application's stream ends with it unless it was a logout. */
    public void sessionClosed(XmppException cause) {
        if (cause != null && open && !closed) {
            StreamError se = cause.streamError() != null && cause.streamError().condition() != null
                    ? cause.streamError()
                    : new StreamError(cause.kind() == XmppException.Kind.TIMEOUT ? "connection-timeout" : "remote-connection-failed",
                            cause.getMessage());
            streamError(se.condition(), se.text());
        }
    }

    /** Unregistering ends the stream. */
    public void close() {
        if (open && !closed) {
            endStream();
        }
        closed = true;
    }

    // ---- voice ----

    /** The application's {@code <voice/>}: join (call), joined (answer), leave, mute, hold, dtmf. */
    private void onVoice(XmlElement v) {
        String id = v.attr("id");
        String type = v.attr("type");
        if (id == null || id.isBlank() || type == null) {
            voiceError(id, null, CallEnd.Reason.BAD_REQUEST, "a voice element needs an id and a type");
            return;
        }
        if (!account.isOnline()) {
            voiceError(id, null, CallEnd.Reason.BAD_REQUEST, "log in first (jabber:iq:auth set)");
            return;
        }
        Call call = account.callRegistry().find(id).orElse(null);
        switch (type) {
            case "join" -> {
                String to = v.attr("to");
                if (to != null && to.startsWith("unknown/#")) {
                    voiceError(id, to, CallEnd.Reason.FAILED, account.currentSettings().pstn() == null
                            ? "no PSTN provider is configured for calls to phone numbers"
                            : "calls to phone numbers through a provider are not available in this version");
                    return;
                }
                Jid jid = Jid.parseOrNull(to);
                if (jid == null) {
                    voiceError(id, to, CallEnd.Reason.BAD_REQUEST, "'" + to + "' is not a Jabber ID");
                    return;
                }
                account.callRegistry().placeNow(id, jid, account.defaultAudio());
            }
            case "joined" -> {
                if (call == null || !call.incoming() || call.state() != CallState.RINGING) {
                    voiceError(id, v.attr("to"), CallEnd.Reason.BAD_REQUEST, "no incoming call '" + id + "' is ringing");
                    return;
                }
                call.answer();
            }
            case "leave" -> {
                if (call == null) {
                    voiceError(id, v.attr("to"), CallEnd.Reason.BAD_REQUEST, "no call '" + id + "'");
                    return;
                }
                call.hangup();
            }
            case "stats" -> {
                if (call == null) {
                    voiceError(id, v.attr("to"), CallEnd.Reason.BAD_REQUEST, "no call '" + id + "'");
                    return;
                }
                emitXml(statsElement(call));
            }
            case "mute", "unmute", "hold", "resume", "dtmf" -> {
                if (call == null) {
                    voiceError(id, v.attr("to"), CallEnd.Reason.BAD_REQUEST, "no call '" + id + "'");
                    return;
                }
                switch (type) {
                    case "mute" -> call.mute(true);
                    case "unmute" -> call.mute(false);
                    case "hold" -> call.hold(true);
                    case "resume" -> call.hold(false);
                    default -> {
                        String digits = v.childText("digits");
                        if (digits == null || digits.isBlank()) {
                            voiceError(id, v.attr("to"), CallEnd.Reason.BAD_REQUEST, "dtmf needs <digits>");
                            return;
                        }
                        call.sendDtmf(digits.trim());
                    }
                }
            }
            default -> voiceError(id, v.attr("to"), CallEnd.Reason.BAD_REQUEST, "unknown voice type '" + type + "'");
        }
    }

    /** A call event for the application's stream, as a {@code <voice/>} element. */
    public void callEvent(Call call, CallEvent event) {
        if (!open || closed) {
            return;
        }
        Jid me = account.jid();
        String peer = call.peer() == null ? null : call.peer().toString();
        String self = me == null ? null : me.toString();
        XmlElement.Builder v = XmlElement.builder("voice", Stanza.CLIENT_NS);
        switch (event.kind()) {
            case INCOMING -> v.attr("from", peer).attr("id", call.id()).attr("to", self).attr("type", "join");
            case RINGING -> v.attr("from", peer).attr("id", call.id()).attr("to", self).attr("type", "ringing");
            case JOINED -> v.attr("from", peer).attr("id", call.id()).attr("to", self).attr("type", "joined");
            case REMOTE_HOLD -> v.attr("from", peer).attr("id", call.id()).attr("to", self)
                    .attr("type", call.remoteHeld() ? "hold" : "resume");
            case REMOTE_MUTE -> v.attr("from", peer).attr("id", call.id()).attr("to", self)
                    .attr("type", call.remoteMuted() ? "mute" : "unmute");
            case DTMF -> v.attr("from", peer).attr("id", call.id()).attr("to", self).attr("type", "dtmf")
                    .textChild("digits", String.valueOf(event.digit()));
            case ENDED -> {
                CallEnd end = event.end();
                if (end.isError()) {
                    voiceError(call.id(), peer, end.reason(), end.text());
                    return;
                }
                boolean local = end.reason() == CallEnd.Reason.HANGUP;
                v.attr("from", local ? self : peer).attr("id", call.id()).attr("to", local ? peer : self)
                        .attr("type", "left")
                        .textChild("reason", end.reason().wireName());
                if (end.text() != null) {
                    v.textChild("text", end.text());
                }
            }
        }
        emitXml(v.build());
    }

    /** The call's quality now, as {@code <voice type='stats'>} with one child per figure. */
    private XmlElement statsElement(Call call) {
        CallStats st = call.stats();
        Jid me = account.jid();
        XmlElement.Builder v = XmlElement.builder("voice", Stanza.CLIENT_NS).attr("from", String.valueOf(call.peer()))
                .attr("id", call.id()).attr("to", me == null ? null : me.toString()).attr("type", "stats")
                .textChild("state", call.state().name().toLowerCase(java.util.Locale.ROOT));
        if (st.codec() != null) {
            v.textChild("codec", st.codec());
        }
        v.textChild("packets-received", Long.toString(st.packetsReceived()))
                .textChild("packets-lost", Long.toString(st.packetsLost()))
                .textChild("loss-percent", String.format(java.util.Locale.ROOT, "%.2f", st.lossPercent()))
                .textChild("jitter-ms", String.format(java.util.Locale.ROOT, "%.1f", st.jitterMs()))
                .textChild("mos", String.format(java.util.Locale.ROOT, "%.2f", st.mos()));
        if (st.rttMs() >= 0) {
            v.textChild("rtt-ms", String.format(java.util.Locale.ROOT, "%.1f", st.rttMs()));
        }
        return v.build();
    }

    private void voiceError(String id, String peer, CallEnd.Reason reason, String text) {
        Jid me = account.jid();
        XmlElement.Builder v = XmlElement.builder("voice", Stanza.CLIENT_NS);
        if (peer != null) {
            v.attr("from", peer);
        }
        if (id != null) {
            v.attr("id", id);
        }
        if (me != null) {
            v.attr("to", me.toString());
        }
        v.attr("type", "error");
        v.child(StanzaError.of(reason.errorType(), reason.condition(), text)
                .withAppCondition(XmlElement.of(reason.wireName(), ERRORS_NS)).toElement(Stanza.CLIENT_NS));
        emitXml(v.build());
    }

    private void emitXml(XmlElement e) {
        if (closed) {
            return;
        }
        StringBuilder sb = new StringBuilder(128);
        XmlWriter.write(XmlWriter.sink(sb), e, Stanza.CLIENT_NS);
        out.accept(sb.toString());
    }

    // ---- output ----

    private static Stanza reply(Stanza iq) {
        return Stanza.iq("result").id(iq.id()).build();
    }

    private static StanzaError notLoggedIn() {
        return StanzaError.of("auth", "not-authorized", "log in first (jabber:iq:auth set)");
    }

    private void emit(Stanza s) {
        if (closed) {
            return;
        }
        StringBuilder sb = new StringBuilder(128);
        XmlWriter.write(XmlWriter.sink(sb), s.element(), Stanza.CLIENT_NS);
        out.accept(sb.toString());
    }

    private void streamError(String condition, String text) {
        if (closed) {
            return;
        }
        StringBuilder sb = new StringBuilder(128);
        XmlWriter.write(XmlWriter.sink(sb), new StreamError(condition, text).toElement(), Stanza.CLIENT_NS);
        out.accept(sb.toString());
        account.logoutNow();
        endStream();
    }

    private void endStream() {
        if (!closed) {
            closed = true;
            out.accept("</stream:stream>");
        }
    }
}
