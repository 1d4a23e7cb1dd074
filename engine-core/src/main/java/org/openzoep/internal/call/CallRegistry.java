package org.openzoep.internal.call;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.Calls;
import org.openzoep.xmpp.stanza.Jid;

/**
 * The calls of one account by id: places outgoing calls (a {@link DefaultCall} with one leg whose
 * signaller comes from the account's {@link Signalling}), takes incoming ones from a signalling
 * ({@link #incoming}), and tells the application what happens to them.
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

    private final CallHost host;
    private final CallResources resources;
    private final Events events;
    /**
     * Copy on write: serial replaces it, any thread reads it. An account has few calls at a time,
     * and an idle one then holds no map of its own.
     */
    private volatile Map<String, DefaultCall> calls = Map.of();
    private Signalling signalling;

    public CallRegistry(CallHost host, CallResources resources, Events events) {
        this.host = host;
        this.resources = resources;
        this.events = events;
    }

    /** The signalling outgoing calls use; set once, before the first call. */
    public void signalling(Signalling s) {
        this.signalling = Objects.requireNonNull(s);
    }

    void emit(DefaultCall c, CallEvent e) {
        events.onCall(c, e);
    }

    void forget(DefaultCall c) {
        if (calls.get(c.id()) == c) {
            Map<String, DefaultCall> next = new HashMap<>(calls);
            next.remove(c.id());
            calls = Map.copyOf(next);
        }
    }

    @Override
    public Optional<Call> find(String id) {
        return Optional.ofNullable(calls.get(id));
    }

    /** True when a call with this id has not ended. */
    public boolean exists(String id) {
        return calls.containsKey(id);
    }

    @Override
    public List<Call> active() {
        return List.copyOf(calls.values());
    }

    @Override
    public CompletionStage<Call> place(String id, Jid to, CallAudio audio) {
        Objects.requireNonNull(audio, "audio");
        CompletableFuture<Call> f = new CompletableFuture<>();
        host.serial().execute(() -> f.complete(placeNow(id, to, audio)));
        return f;
    }

    /**
     * Places a call. Fails at once (as the returned call's end) when the id is taken, the address
     * is bad or the account is offline. Runs on serial.
     *
     * @param id the call id, or null to make one
     */
    public Call placeNow(String id, Jid to, CallAudio audio) {
        String callId = id != null ? id : "phonecall_" + UUID.randomUUID();
        DefaultCall call = new DefaultCall(this, resources, host.serial(), callId, false, audio);
        Jid me = host.jid();
        CallEnd refused = null;
        if (calls.containsKey(callId)) {
            refused = new CallEnd(CallEnd.Reason.BAD_REQUEST, "a call with id '" + callId + "' exists");
        } else if (to == null || to.local() == null || to.equals(me) || (me != null && to.isBare()
                && to.equals(me.bare()))) {
            refused = new CallEnd(CallEnd.Reason.BAD_REQUEST, "cannot call '" + to + "'");
        } else if (!host.isOnline()) {
            refused = new CallEnd(CallEnd.Reason.BAD_REQUEST, "log in before calling");
        }
        if (refused != null) {
            call.add(new Leg(call, new RefusedSignaller(to), false, host, resources));
            call.failEarly(refused);
            return call;
        }
        Leg leg = new Leg(call, signalling.outgoing(callId, to), false, host, resources);
        call.add(leg);
        add(callId, call);
        leg.startOutgoing();
        return call;
    }

    /**
     * A new incoming call whose first leg is {@code signaller}'s: it rings here and the
     * application hears {@code INCOMING}. Runs on serial.
     */
    public void incoming(String id, Signaller signaller) {
        DefaultCall call = new DefaultCall(this, resources, host.serial(), id, true, host.defaultAudio());
        Leg leg = new Leg(call, signaller, true, host, resources);
        call.add(leg);
        add(id, call);
        leg.startIncoming();
        emit(call, CallEvent.of(CallEvent.Kind.INCOMING));
    }

    /** The account went offline: every call ends. */
    public void offline() {
        endAll(new CallEnd(CallEnd.Reason.FAILED, "the account went offline"), false);
    }

    /** Ends every call; {@code notifyPeer} tells the peers. */
    public void endAll(CallEnd end, boolean notifyPeer) {
        for (DefaultCall c : new ArrayList<>(calls.values())) {
            c.end(end, notifyPeer);
        }
    }

    /** The signaller of a call that never started: it names the address and sends nothing. */
    private record RefusedSignaller(Jid peer) implements Signaller {
        @Override
        public void listen(Listener listener) {
        }

        @Override
        public void ring() {
        }

        @Override
        public void alerting() {
        }

        @Override
        public void accept() {
        }

        @Override
        public void offer(org.openzoep.media.description.MediaDescription offer) {
        }

        @Override
        public void answer(org.openzoep.media.description.MediaDescription answer) {
        }

        @Override
        public void candidate(org.openzoep.media.description.IceParameters localIce,
                org.openzoep.media.ice.IceCandidate candidate) {
        }

        @Override
        public void info(Info info) {
        }

        @Override
        public void hangup(CallEnd end, Cause cause) {
        }

        @Override
        public void close() {
        }
    }

    private void add(String id, DefaultCall call) {
        Map<String, DefaultCall> next = new HashMap<>(calls);
        next.put(id, call);
        calls = Map.copyOf(next);
    }
}
