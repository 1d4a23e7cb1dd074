package org.openzoep.internal.account;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.openzoep.Account;
import org.openzoep.AccountFailure;
import org.openzoep.AccountListener;
import org.openzoep.AccountSettings;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.Calls;
import org.openzoep.internal.call.CallHost;
import org.openzoep.internal.call.CallRegistry;
import org.openzoep.internal.call.CallResources;
import org.openzoep.internal.jingle.JingleRouter;
import org.openzoep.internal.xmlapi.XmlApi;
import org.openzoep.xmpp.session.SerialExecutor;
import org.openzoep.xmpp.session.XmppClient;
import org.openzoep.xmpp.session.XmppException;
import org.openzoep.xmpp.session.XmppSession;
import org.openzoep.xmpp.session.XmppSessionConfig;
import org.openzoep.xmpp.session.XmppSessionListener;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * One registered account: its settings, its XMPP session, its XML stream API and its calls.
 *
 * <p>Thread: the {@link Account} methods may be called from any thread and hop onto the account's
 * serial slice of the engine's API executor; the {@link XmlApi.Host} and {@link CallHost} methods
 * run on that serial executor only, where all of the account's state is confined.
 */
public final class DefaultAccount implements Account, XmlApi.Host, CallHost {
    private final XmppClient xmpp;
    private final AccountListener listener;
    private final SerialExecutor serial;
    private final CallRegistry calls;
    private final JingleRouter jingle;
    private final StunDiscovery stun;

    // Confined to serial:
    private AccountSettings settings = AccountSettings.defaults();
    private CallAudio callAudio;
    private volatile XmppSession session;
    private CompletableFuture<Jid> loggingIn;
    private XmlApi xmlApi;
    private boolean unregistered;
    /** Stanzas sent while the login is under way, in order; at most {@link #MAX_HELD_DURING_LOGIN}. */
    private final ArrayDeque<Held> heldDuringLogin = new ArrayDeque<>();

    /** How many stanzas written during a login wait for it; one more is refused with QUEUE_FULL. */
    public static final int MAX_HELD_DURING_LOGIN = 256;

    /** A stanza waiting for the login: {@code request} for an iq get/set, else {@code sent}. */
    private record Held(Stanza stanza, CompletableFuture<Void> sent, CompletableFuture<Stanza> request) {
    }

    public DefaultAccount(XmppClient xmpp, Executor api, CallResources resources, AccountListener listener) {
        this.xmpp = xmpp;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.serial = new SerialExecutor(api);
        this.calls = new CallRegistry(this, resources, this::callEvent);
        this.jingle = new JingleRouter(this, calls);
        this.calls.signalling(jingle);
        this.stun = new StunDiscovery(this);
    }

    private void callEvent(Call call, CallEvent event) {
        if (xmlApi != null) {
            xmlApi.callEvent(call, event);
        }
        listener.onCall(this, call, event);
    }

    // ---- the OpenZoep XML stream ----

    @Override
    public void write(CharSequence xml) {
        byte[] b = xml.toString().getBytes(StandardCharsets.UTF_8);
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] utf8, int offset, int length) {
        byte[] copy = Arrays.copyOfRange(utf8, offset, offset + length);
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

    @Override
    public CompletionStage<Void> configure(AccountSettings settings) {
        Objects.requireNonNull(settings, "settings");
        try {
            CallAudio.parse(settings.audio().capture(), settings.audio().playback()); // a device/file mix
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new AccountFailure(AccountFailure.Reason.BAD_REQUEST, e.getMessage()));
        }
        return onSerial(() -> {
            replaceSettings(settings);
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletionStage<AccountSettings> settings() {
        return onSerial(() -> CompletableFuture.completedFuture(settings));
    }

    @Override
    public CompletionStage<Jid> login(Jid jid, String password) {
        return onSerial(() -> loginNow(jid, password));
    }

    @Override
    public CompletionStage<Void> send(Stanza stanza) {
        return onSerial(() -> sendNow(stanza));
    }

    @Override
    public CompletionStage<Void> sendMessage(Jid to, String body) {
        return send(Stanza.message().to(to).type("chat").body(body).build());
    }

    @Override
    public CompletionStage<Void> sendPresence(String status) {
        Stanza.Builder b = Stanza.presence();
        if (status != null) {
            b.child(XmlElement.builder("status", Stanza.CLIENT_NS).text(status).build());
        }
        return send(b.build());
    }

    @Override
    public CompletionStage<Stanza> request(Stanza iq) {
        return onSerial(() -> requestNow(iq));
    }

    @Override
    public CompletionStage<Void> logout() {
        return onSerial(this::logoutNow);
    }

    @Override
    public Calls calls() {
        return calls;
    }

    @Override
    public CompletionStage<Void> defaultAudio(CallAudio audio) {
        Objects.requireNonNull(audio, "audio");
        return onSerial(() -> {
            this.callAudio = audio;
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public Jid jid() {
        XmppSession s = session;
        return s == null ? null : s.jid();
    }

    // ---- the host of the XML API and of the calls, on serial ----

    @Override
    public Executor serial() {
        return serial;
    }

    @Override
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
                .trustStorePem(s.trustStore())
                .plainAllowed(s.sasl().plainAllowed())
                .channelBindingRequired(s.sasl().channelBindingRequired())
                .maxScramIterations(s.sasl().maxScramIterations());
        s.host().ifPresent(cfg::host);
        cfg.port(s.serverPort());
        CompletableFuture<Jid> result = new CompletableFuture<>();
        loggingIn = result;
        xmpp.connect(cfg.build(), new SessionEvents(), serial).whenComplete((sess, err) -> {
            loggingIn = null;
            if (err != null) {
                result.completeExceptionally(unwrap(err));
                failHeld(unwrap(err));
                return;
            }
            if (unregistered) {
                sess.close();
                XmppException closed = XmppException.of(XmppException.Kind.CLOSED, "account unregistered");
                result.completeExceptionally(closed);
                failHeld(closed);
                return;
            }
            session = sess;
            // what was sent during the login goes first, before anything the listeners send
            while (!heldDuringLogin.isEmpty()) {
                Held h = heldDuringLogin.poll();
                try {
                    if (h.request != null) {
                        forward(sess.request(h.stanza), h.request);
                    } else {
                        forward(sess.send(withCaps(h.stanza)), h.sent);
                    }
                } catch (RuntimeException e) { // e.g. request() of an iq that is no get or set
                    (h.request != null ? h.request : h.sent).completeExceptionally(AccountFailure.of(e));
                }
            }
            listener.onStateChanged(this, true, null);
            result.complete(sess.jid());
        });
        return result;
    }

    /**
     * Sends {@code stanza} (with caps on available presence): at once when online; during a login,
     * after it (in order, at most {@link #MAX_HELD_DURING_LOGIN} waiting, else
     * {@link AccountFailure.Reason#QUEUE_FULL}), failing with the login's own failure if the login
     * fails; otherwise {@link AccountFailure.Reason#NOT_LOGGED_IN}.
     */
    @Override
    public CompletionStage<Void> sendNow(Stanza stanza) {
        if (session != null) {
            return session.send(withCaps(stanza));
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        hold(new Held(stanza, f, null), f);
        return f;
    }

    /** An iq get or set, like {@link #sendNow}: at once, after the login under way, or refused. */
    @Override
    public CompletionStage<Stanza> requestNow(Stanza iq) {
        if (session != null) {
            return session.request(iq);
        }
        CompletableFuture<Stanza> f = new CompletableFuture<>();
        hold(new Held(iq, null, f), f);
        return f;
    }

    private void hold(Held h, CompletableFuture<?> f) {
        if (loggingIn == null) {
            f.completeExceptionally(new AccountFailure(AccountFailure.Reason.NOT_LOGGED_IN, "not logged in"));
        } else if (heldDuringLogin.size() >= MAX_HELD_DURING_LOGIN) {
            f.completeExceptionally(new AccountFailure(AccountFailure.Reason.QUEUE_FULL, "not sent: "
                    + MAX_HELD_DURING_LOGIN + " stanzas already wait for the login to complete"));
        } else {
            heldDuringLogin.add(h);
        }
    }

    /** Fails what waited for a login that failed, each with the login's failure; nothing was sent. */
    private void failHeld(Throwable loginFailure) {
        AccountFailure login = AccountFailure.of(loginFailure);
        while (!heldDuringLogin.isEmpty()) {
            Held h = heldDuringLogin.poll();
            AccountFailure f = new AccountFailure(login.reason(), "not sent: the login failed (" + login.text() + ")");
            (h.request != null ? h.request : h.sent).completeExceptionally(f);
        }
    }

    private static <T> void forward(CompletionStage<T> from, CompletableFuture<T> to) {
        from.whenComplete((v, e) -> {
            if (e != null) {
                to.completeExceptionally(e);
            } else {
                to.complete(v);
            }
        });
    }

    @Override
    public CompletionStage<Void> logoutNow() {
        XmppSession s = session;
        if (s == null) {
            return CompletableFuture.completedFuture(null);
        }
        s.send(Stanza.presence().type("unavailable").build());
        return s.close();
    }

    @Override
    public XmppSession online() {
        if (session == null) {
            throw new IllegalStateException("not logged in");
        }
        return session;
    }

    @Override
    public boolean isOnline() {
        return session != null;
    }

    @Override
    public AccountSettings currentSettings() {
        return settings;
    }

    @Override
    public void replaceSettings(AccountSettings s) {
        settings = s;
        callAudio = null;
    }

    @Override
    public CallAudio defaultAudio() {
        if (callAudio == null) {
            callAudio = CallAudio.parse(settings.audio().capture(), settings.audio().playback());
        }
        return callAudio;
    }

    @Override
    public CompletionStage<java.util.List<java.net.InetSocketAddress>> stunServers() {
        return stun.servers();
    }

    @Override
    public CallRegistry callRegistry() {
        return calls;
    }

    /**
     * Available presence goes out with the engine's entity capabilities (XEP-0115), so that
     * calling clients see the Jingle, RTP, ICE-UDP and DTLS features without asking.
     */
    @Override
    public Stanza withCaps(Stanza s) {
        if (s.kind() != Stanza.Kind.PRESENCE || s.type() != null || s.element().attr("to") != null
                || session == null || s.element().child("c", "http://jabber.org/protocol/caps") != null) {
            return s;
        }
        XmlElement.Builder b = s.element().toBuilder();
        b.child(session.capsElement());
        return Stanza.of(b.build());
    }

    /** Ends the calls and the XML stream and logs out; completes when the session is closed. */
    public CompletableFuture<Void> unregister() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        serial.execute(() -> {
            unregistered = true;
            calls.endAll(new CallEnd(CallEnd.Reason.HANGUP, "the account was unregistered"), true);
            if (xmlApi != null) {
                xmlApi.close();
            }
            logoutNow().whenComplete((v, e) -> done.complete(null));
        });
        return done;
    }

    /** Runs {@code op} on serial; its failure reaches the caller as an {@link AccountFailure}. */
    private <T> CompletionStage<T> onSerial(Supplier<CompletionStage<T>> op) {
        CompletableFuture<T> f = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                op.get().whenComplete((v, e) -> {
                    if (e != null) {
                        f.completeExceptionally(AccountFailure.of(e));
                    } else {
                        f.complete(v);
                    }
                });
            } catch (IllegalStateException e) {
                f.completeExceptionally(new AccountFailure(AccountFailure.Reason.NOT_LOGGED_IN, e.getMessage()));
            } catch (RuntimeException e) {
                f.completeExceptionally(AccountFailure.of(e));
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
            if (stanza.kind() == Stanza.Kind.MESSAGE && jingle.onMessage(stanza)) {
                return;
            }
            if (xmlApi != null) {
                xmlApi.fromServer(stanza);
            }
            listener.onStanza(DefaultAccount.this, stanza);
        }

        @Override
        public void onIqRequest(XmppSession s, Stanza iq) {
            if (jingle.onIq(iq)) {
                return;
            }
            if (xmlApi != null) {
                xmlApi.fromServer(iq); // the application answers on its stream
            } else {
                listener.onStanza(DefaultAccount.this, iq);
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
            listener.onStateChanged(DefaultAccount.this, false, cause);
        }
    }
}
