package org.openzoep.internal.call;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.Calls;
import org.openzoep.xmpp.disco.ExternalServices;
import org.openzoep.xmpp.jingle.Jingle;
import org.openzoep.xmpp.jingle.JingleException;
import org.openzoep.xmpp.jingle.JingleMessage;
import org.openzoep.xmpp.jingle.JingleNamespaces;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * The calls of one account: routes Jingle Message Initiation messages (XEP-0353) and Jingle iqs
 * (XEP-0166) to their {@link CallSession}, makes incoming calls, and answers Jingle requests for
 * unknown sessions with {@code item-not-found} + {@code unknown-session}.
 *
 * <p>Thread: confined to the account's serial executor, except the {@link Calls} methods, which
 * may be called from any thread ({@link #find} and {@link #active} read the map that only serial
 * writes).
 */
public final class CallRegistry implements Calls {

    /** Who hears about calls: the typed listener and, when open, the XML stream. */
    public interface Events {
        void onCall(Call call, CallEvent event);
    }

    private final CallHost account;
    private final CallResources resources;
    private final Events events;
    private final Map<String, CallSession> calls = new ConcurrentHashMap<>();
    private Object discoveredFor;
    private CompletableFuture<List<ExternalServices.Service>> discovered;

    public CallRegistry(CallHost account, CallResources resources, Events events) {
        this.account = account;
        this.resources = resources;
        this.events = events;
    }

    CallHost account() {
        return account;
    }

    CallResources resources() {
        return resources;
    }

    void emit(CallSession s, CallEvent e) {
        events.onCall(s, e);
    }

    void forget(CallSession s) {
        calls.remove(s.id(), s);
    }

    /**
     * The STUN services the server announces (XEP-0215), asked once per login; an error, no
     * answer within 3 s, or a server without the feature gives an empty list. Runs on serial.
     */
    CompletionStage<List<ExternalServices.Service>> externalServices() {
        if (!account.isOnline()) {
            return CompletableFuture.completedFuture(List.of());
        }
        Object session = account.online();
        if (discoveredFor != session) {
            discoveredFor = session;
            Jid me = account.jid();
            discovered = account.online().request(ExternalServices.request(Jid.parse(me.domain()),
                    "extdisco-" + UUID.randomUUID())).toCompletableFuture()
                    .thenApply(ExternalServices::parse)
                    .exceptionally(e -> List.of())
                    .completeOnTimeout(List.of(), 3, TimeUnit.SECONDS);
        }
        return discovered;
    }

    @Override
    public Optional<Call> find(String id) {
        return Optional.ofNullable(calls.get(id));
    }

    @Override
    public List<Call> active() {
        return List.copyOf(calls.values());
    }

    @Override
    public CompletionStage<Call> place(String id, Jid to, CallAudio audio) {
        java.util.Objects.requireNonNull(audio, "audio");
        CompletableFuture<Call> f = new CompletableFuture<>();
        account.serial().execute(() -> f.complete(placeNow(id, to, audio)));
        return f;
    }

    /**
     * Places a call. Fails at once (as the returned session's end) when the id is taken, the
     * address is bad or the account is offline.
     *
     * @param id the call id, or null to make one
     */
    public CallSession placeNow(String id, Jid to, CallAudio audio) {
        String callId = id != null ? id : "phonecall_" + UUID.randomUUID();
        CallSession s = new CallSession(this, callId, to, false, audio);
        if (calls.containsKey(callId)) {
            s.failEarly(new CallEnd(CallEnd.Reason.BAD_REQUEST, "a call with id '" + callId + "' exists"));
            return s;
        }
        if (to == null || to.local() == null || to.equals(account.jid()) || (account.jid() != null
                && to.isBare() && to.equals(account.jid().bare()))) {
            s.failEarly(new CallEnd(CallEnd.Reason.BAD_REQUEST, "cannot call '" + to + "'"));
            return s;
        }
        if (!account.isOnline()) {
            s.failEarly(new CallEnd(CallEnd.Reason.BAD_REQUEST, "log in before calling"));
            return s;
        }
        calls.put(callId, s);
        s.startOutgoing();
        return s;
    }

    /** A message from the server: consumed (true) when it is call signalling. */
    public boolean onMessage(Stanza m) {
        if (m.isError()) {
            CallSession s = m.id() == null ? null : calls.get(m.id());
            if (s != null && m.from() != null && m.from().bare().equals(s.peer().bare())) {
                s.onProposeError(m.error());
                return true;
            }
            return false;
        }
        Optional<JingleMessage> jm;
        try {
            jm = JingleMessage.from(m);
        } catch (JingleException e) {
            return true; // malformed call signalling: nothing to answer for a message
        }
        if (jm.isEmpty()) {
            return false;
        }
        JingleMessage msg = jm.get();
        Jid from = m.from();
        Jid me = account.jid();
        if (from == null || me == null || from.isBare()) {
            return true;
        }
        if (from.bare().equals(me.bare())) {
            // our own other devices: one of them answered or declined a call that rings here too
            if (!from.equals(me)) {
                CallSession s = calls.get(msg.id());
                if (s != null && s.incoming()) {
                    s.onOtherDevice(msg);
                }
            }
            return true;
        }
        CallSession s = calls.get(msg.id());
        if (msg.kind() == JingleMessage.Kind.PROPOSE) {
            if (s == null && m.extension("delay", "urn:xmpp:delay") == null) {
                if (!msg.proposes("audio")) {
                    // video-only and other applications: say so, and do not ring
                    account.online().send(JingleMessage.of(JingleMessage.Kind.REJECT, msg.id(),
                            new org.openzoep.xmpp.jingle.Reason(
                                    org.openzoep.xmpp.jingle.Reason.Condition.UNSUPPORTED_APPLICATIONS,
                                    "only audio calls are supported")).toMessage(from));
                    return true;
                }
                CallSession in = new CallSession(this, msg.id(), from, true, account.defaultAudio());
                calls.put(msg.id(), in);
                in.startIncoming();
            }
            return true;
        }
        if (s != null && s.peer().bare().equals(from.bare())) {
            s.onJingleMessage(from, msg);
        }
        return true;
    }

    /** An iq request from the server: consumed (true) when it carries a Jingle element. */
    public boolean onIq(Stanza iq) {
        XmlElement j = iq.payload();
        if (j == null || !j.is("jingle", JingleNamespaces.JINGLE)) {
            return false;
        }
        if (!"set".equals(iq.type())) {
            account.online().send(iq.errorReply(StanzaError.of("cancel", "bad-request", "jingle is set only")));
            return true;
        }
        Jingle jingle;
        try {
            jingle = Jingle.parse(j);
        } catch (JingleException e) {
            account.online().send(iq.errorReply(e.error()));
            return true;
        }
        CallSession s = calls.get(jingle.sid());
        if (s == null && jingle.action() == org.openzoep.xmpp.jingle.Action.SESSION_INITIATE && iq.from() != null
                && !iq.from().isBare()) {
            // a Jingle call without message initiation (plain XEP-0166): it rings like a proposal
            CallSession in = new CallSession(this, jingle.sid(), iq.from(), true, account.defaultAudio());
            calls.put(jingle.sid(), in);
            in.startIncomingJingle(iq, jingle);
            return true;
        }
        if (s == null || iq.from() == null || !s.acceptsFrom(iq.from())) {
            account.online().send(iq.errorReply(StanzaError.of("cancel", "item-not-found", "unknown Jingle session")
                    .withAppCondition(XmlElement.of("unknown-session", JingleNamespaces.ERRORS))));
            return true;
        }
        s.onJingle(iq, jingle);
        return true;
    }

    /** The account went offline: every call ends. */
    public void offline() {
        endAll(new CallEnd(CallEnd.Reason.FAILED, "the account went offline"), false);
    }

    /** Ends every call; {@code notifyPeer} tells the peers. */
    public void endAll(CallEnd end, boolean notifyPeer) {
        for (CallSession s : new ArrayList<>(calls.values())) {
            s.end(end, notifyPeer);
        }
    }
}
