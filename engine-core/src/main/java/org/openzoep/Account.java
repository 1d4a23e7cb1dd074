package org.openzoep;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.openzoep.internal.CallManager;
import org.openzoep.internal.XmlApi;
import org.openzoep.xmpp.session.SerialExecutor;
import org.openzoep.xmpp.session.XmppException;
import org.openzoep.xmpp.session.XmppSession;
import org.openzoep.xmpp.session.XmppSessionConfig;
import org.openzoep.xmpp.session.XmppSessionListener;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;

/**
 * One registered account ({@code api_register_account}). Drive it with the OpenZoep XML stream
 * ({@link #write}) or with the typed methods; both reach the same session.
 *
 * <p>Thread: every method may be called from any thread and returns at once. The account's own
 * work runs on its serial slice of the engine's API executor, so its state is confined there and
 * its listener sees events in order.
 */
public final class Account {
    private final ZoepEngine engine;
    private final AccountListener listener;
    final SerialExecutor serial;

    // Confined to serial:
    private AccountSettings settings = AccountSettings.defaults();
    private CallAudio callAudio;
    private XmppSession session;
    private CompletableFuture<Jid> loggingIn;
    private XmlApi xmlApi;
    private boolean unregistered;
    private final CallManager calls;

    Account(ZoepEngine engine, AccountListener listener) {
        this.engine = engine;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.serial = new SerialExecutor(engine.apiExecutor());
        this.calls = new CallManager(this, engine.callResources(), this::callEvent);
    }

    private void callEvent(Call call, CallEvent event) {
        if (xmlApi != null) {
            xmlApi.callEvent(call, event);
        }
        listener.onCall(this, call, event);
    }

    // ---- the OpenZoep XML stream ----

    /**
     * Writes part of the application's XML stream into the engine, in any chunking. The stream
     * starts with the stream header; the engine answers through {@link AccountListener#onXml}.
     */
    public void write(CharSequence xml) {
        byte[] b = xml.toString().getBytes(StandardCharsets.UTF_8);
        write(b, 0, b.length);
    }

    /** Writes UTF-8 bytes of the application's XML stream; the array is copied. */
    public void write(byte[] utf8, int offset, int length) {
        byte[] copy = java.util.Arrays.copyOfRange(utf8, offset, offset + length);
        serial.execute(() -> {
            if (unregistered) {
                return;
            }
            if (xmlApi == null) {
                xmlApi = new XmlApi(this, listener::onXml);
            }
            xmlApi.feed(copy);
        });
    }

    // ---- typed API ----

    /** Replaces the account's settings (the typed {@code configuration} iq); applies to the next login. */
    public CompletionStage<Void> configure(AccountSettings settings) {
        Objects.requireNonNull(settings, "settings");
        try {
            CallAudio.parse(settings.audio().capture(), settings.audio().playback()); // a device/file mix
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return onSerial(() -> {
            this.settings = settings;
            this.callAudio = null;
            return CompletableFuture.completedFuture(null);
        });
    }

    /** The account's settings. */
    public CompletionStage<AccountSettings> settings() {
        return onSerial(() -> CompletableFuture.completedFuture(settings));
    }

    /**
     * Logs in as {@code jid} (bare, or full to ask for that resource): TCP, TLS, SASL SCRAM, bind.
     * Completes with the bound full JID, or fails with an {@link XmppException}.
     */
    public CompletionStage<Jid> login(Jid jid, String password) {
        return onSerial(() -> loginNow(jid, password));
    }

    /** Sends a stanza once online; completes when written. */
    public CompletionStage<Void> send(Stanza stanza) {
        return onSerial(() -> online().send(withCaps(stanza)));
    }

    /**
     * Available presence goes out with the engine's entity capabilities (XEP-0115), so that
     * calling clients see the Jingle, RTP, ICE-UDP and DTLS features without asking. Runs on serial.
     */
    public Stanza withCaps(Stanza s) {
        if (s.kind() != Stanza.Kind.PRESENCE || s.type() != null || s.element().attr("to") != null
                || session == null || s.element().child("c", "http://jabber.org/protocol/caps") != null) {
            return s;
        }
        org.openzoep.xmpp.xml.XmlElement.Builder b = s.element().toBuilder();
        b.child(session.capsElement());
        return Stanza.of(b.build());
    }

    /** Sends a chat message. */
    public CompletionStage<Void> sendMessage(Jid to, String body) {
        return send(Stanza.message().to(to).type("chat").body(body).build());
    }

    /** Sends available presence with an optional status text. */
    public CompletionStage<Void> sendPresence(String status) {
        Stanza.Builder b = Stanza.presence();
        if (status != null) {
            b.child(org.openzoep.xmpp.xml.XmlElement.builder("status", Stanza.CLIENT_NS).text(status).build());
        }
        return send(b.build());
    }

    /** Sends an iq get/set and completes with the result (see {@link XmppSession#request}). */
    public CompletionStage<Stanza> request(Stanza iq) {
        return onSerial(() -> online().request(iq));
    }

    /** Logs out: unavailable presence, then the stream closes gracefully. */
    public CompletionStage<Void> logout() {
        return onSerial(this::logoutNow);
    }

    /**
     * Calls {@code to} ({@code <voice type='join'/>}): a bare JID rings every online device of the
     * callee, a full JID one device. Audio comes from and goes to {@code audio}. The call's events
     * reach {@link AccountListener#onCall}; a call that cannot start ends at once with a
     * {@link CallEnd} saying why.
     */
    public CompletionStage<Call> call(Jid to, CallAudio audio) {
        return call(null, to, audio);
    }

    /** As {@link #call(Jid, CallAudio)} with the application's call id (the XML API's {@code voice/@id}). */
    public CompletionStage<Call> call(String id, Jid to, CallAudio audio) {
        Objects.requireNonNull(audio, "audio");
        CompletableFuture<Call> f = new CompletableFuture<>();
        serial.execute(() -> f.complete(calls.place(id, to, audio).call()));
        return f;
    }

    /**
     * The audio the account's calls use unless told otherwise: the configuration's
     * {@code <audio capture playback/>}, or the typed {@link #defaultAudio(CallAudio)}.
     */
    public CompletionStage<Void> defaultAudio(CallAudio audio) {
        return onSerial(() -> {
            this.callAudio = Objects.requireNonNull(audio);
            return CompletableFuture.completedFuture(null);
        });
    }

    /** The bound JID while online, else null. Safe from any thread. */
    public Jid jid() {
        XmppSession s = session;
        return s == null ? null : s.jid();
    }

    // ---- internals, on serial ----

    /** Runs on serial (called by XmlApi and the typed methods). */
    public CompletionStage<Jid> loginNow(Jid jid, String password) {
        if (unregistered) {
            return CompletableFuture.failedFuture(XmppException.of(XmppException.Kind.CLOSED, "account unregistered"));
        }
        if (session != null || loggingIn != null) {
            return CompletableFuture.failedFuture(XmppException.of(XmppException.Kind.PROTOCOL, "already logged in"));
        }
        AccountSettings s = settings;
        XmppSessionConfig.Builder cfg = XmppSessionConfig.builder(jid, password)
                .resource(jid.resource() != null ? jid.resource() : s.resource())
                .tlsMode(s.tlsMode())
                .trustStorePem(s.trustStore());
        s.host().ifPresent(cfg::host);
        cfg.port(s.serverPort());
        CompletableFuture<Jid> result = new CompletableFuture<>();
        loggingIn = result;
        engine.xmpp().connect(cfg.build(), new SessionEvents(), serial).whenComplete((sess, err) -> {
            loggingIn = null;
            if (err != null) {
                result.completeExceptionally(unwrap(err));
                return;
            }
            if (unregistered) {
                sess.close();
                result.completeExceptionally(XmppException.of(XmppException.Kind.CLOSED, "account unregistered"));
                return;
            }
            session = sess;
            listener.onStateChanged(this, true, null);
            result.complete(sess.jid());
        });
        return result;
    }

    /** Runs on serial. */
    public CompletionStage<Void> logoutNow() {
        XmppSession s = session;
        if (s == null) {
            return CompletableFuture.completedFuture(null);
        }
        s.send(Stanza.presence().type("unavailable").build());
        return s.close();
    }

    /** The online session, or a failed stage's cause. Runs on serial. */
    public XmppSession online() {
        if (session == null) {
            throw new IllegalStateException("not logged in");
        }
        return session;
    }

    /** Runs on serial. */
    public boolean isOnline() {
        return session != null;
    }

    /** Runs on serial: the settings the configuration iq edits. */
    public AccountSettings currentSettings() {
        return settings;
    }

    /** Runs on serial. */
    public void replaceSettings(AccountSettings s) {
        settings = s;
        callAudio = null;
    }

    /** Runs on serial: the audio for calls without their own (incoming calls, the XML API). */
    public CallAudio defaultAudio() {
        if (callAudio == null) {
            callAudio = CallAudio.parse(settings.audio().capture(), settings.audio().playback());
        }
        return callAudio;
    }

    /** Runs on serial: the account's calls. */
    public CallManager calls() {
        return calls;
    }

    /** The account's serial executor: where its state lives and its events come from. */
    public java.util.concurrent.Executor serialExecutor() {
        return serial;
    }

    /** Ends the XML stream and logs out; completes when the session is closed. */
    CompletableFuture<Void> unregister() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        serial.execute(() -> {
            unregistered = true;
            for (org.openzoep.internal.CallSession c : calls.active()) {
                c.end(new CallEnd(CallEnd.Reason.HANGUP, "the account was unregistered"), true);
            }
            if (xmlApi != null) {
                xmlApi.close();
            }
            logoutNow().whenComplete((v, e) -> done.complete(null));
        });
        return done;
    }

    private <T> CompletionStage<T> onSerial(java.util.function.Supplier<CompletionStage<T>> op) {
        CompletableFuture<T> f = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                op.get().whenComplete((v, e) -> {
                    if (e != null) {
                        f.completeExceptionally(unwrap(e));
                    } else {
                        f.complete(v);
                    }
                });
            } catch (RuntimeException e) {
                f.completeExceptionally(e instanceof IllegalStateException
                        ? XmppException.of(XmppException.Kind.CLOSED, e.getMessage()) : e);
            }
        });
        return f;
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Session events, on serial. */
    private final class SessionEvents implements XmppSessionListener {
        @Override
        public void onStanza(XmppSession s, Stanza stanza) {
            if (stanza.kind() == Stanza.Kind.MESSAGE && calls.onMessage(stanza)) {
                return;
            }
            if (xmlApi != null) {
                xmlApi.fromServer(stanza);
            }
            listener.onStanza(Account.this, stanza);
        }

        @Override
        public void onIqRequest(XmppSession s, Stanza iq) {
            if (calls.onIq(iq)) {
                return;
            }
            if (xmlApi != null) {
                xmlApi.fromServer(iq); // the application answers on its stream
            } else {
                listener.onStanza(Account.this, iq);
            }
        }

        @Override
        public void onClosed(XmppSession s, XmppException cause) {
            if (session == s) {
                session = null;
            }
            calls.offline();
            if (xmlApi != null) {
                xmlApi.sessionClosed(cause);
            }
            listener.onStateChanged(Account.this, false, cause);
        }
    }
}
