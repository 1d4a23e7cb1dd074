package org.openzoep.internal.call;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openzoep.AccountSettings;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.media.description.IceParameters;
import org.openzoep.media.description.MediaDescription;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.xmpp.session.XmppSession;
import org.openzoep.xmpp.stanza.Jid;

/**
 * One account's side of a call whose legs signal each other through a {@link Pipe} instead of
 * Jingle: its serial executor, its call registry and what its application hears. Two sides are
 * joined with {@link #pair}. Used by tests that run real legs and media paths without a server.
 *
 * <p>Thread: the test's; the registry runs on {@link #serial}. Close with {@link #close()}.
 */
final class PipeSide implements CallHost, Signalling, AutoCloseable {
    record Got(Call call, CallEvent event) {
    }

    final Jid jid;
    final AccountSettings settings;
    final CallAudio audio;
    final ExecutorService serial = Executors.newSingleThreadExecutor();
    final CallRegistry registry;
    final BlockingQueue<Got> events = new LinkedBlockingQueue<>();
    /** Extra junk candidates this side trickles after its offer (a hostile peer). */
    int flood;
    private PipeSide other;

    PipeSide(Jid jid, CallResources res, AccountSettings settings, CallAudio audio) {
        this.jid = jid;
        this.settings = settings;
        this.audio = audio;
        this.registry = new CallRegistry(this, res, (call, e) -> events.add(new Got(call, e)));
        registry.signalling(this);
    }

    /** Makes {@code a} and {@code b} each other's far end. */
    static void pair(PipeSide a, PipeSide b) {
        a.other = b;
        b.other = a;
    }

    Call place(String id, Jid to) throws Exception {
        return registry.place(id, to, audio).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** The call of the next event of this kind (earlier events of other kinds are passed over). */
    Call next(CallEvent.Kind kind) throws InterruptedException {
        return nextGot(kind).call();
    }

    CallEvent nextEvent(CallEvent.Kind kind) throws InterruptedException {
        return nextGot(kind).event();
    }

    private Got nextGot(CallEvent.Kind kind) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<CallEvent> passed = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Got g = events.poll(100, TimeUnit.MILLISECONDS);
            if (g != null && g.event().kind() == kind) {
                return g;
            }
            if (g != null) {
                passed.add(g.event());
            }
        }
        throw new AssertionError(jid + ": no " + kind + " within 30 s; passed over " + passed);
    }

    @Override
    public void close() {
        serial.shutdownNow();
    }

    @Override
    public Signaller outgoing(String id, Jid to) {
        Pipe mine = new Pipe(this, to, id);
        Pipe theirs = new Pipe(other, jid, id);
        mine.far = theirs;
        theirs.far = mine;
        return mine;
    }

    @Override
    public Executor serial() {
        return serial;
    }

    @Override
    public boolean isOnline() {
        return true;
    }

    @Override
    public XmppSession online() {
        throw new IllegalStateException("no XMPP here");
    }

    @Override
    public Jid jid() {
        return jid;
    }

    @Override
    public AccountSettings currentSettings() {
        return settings;
    }

    @Override
    public CallAudio defaultAudio() {
        return audio;
    }

    @Override
    public CompletionStage<List<InetSocketAddress>> stunServers() {
        return CompletableFuture.completedFuture(List.of());
    }

    /** A signaller whose far end is another pipe: each verb is the far listener's event, on the far side's serial. */
    static final class Pipe implements Signaller {
        final PipeSide side;
        final Jid peer;
        final String id;
        Pipe far;
        Listener listener;

        Pipe(PipeSide side, Jid peer, String id) {
            this.side = side;
            this.peer = peer;
            this.id = id;
        }

        private void there(Consumer<Listener> event) {
            far.side.serial.execute(() -> {
                if (far.listener != null) {
                    event.accept(far.listener);
                }
            });
        }

        @Override
        public void listen(Listener l) {
            listener = l;
        }

        @Override
        public Jid peer() {
            return peer;
        }

        @Override
        public void ring() {
            far.side.serial.execute(() -> far.side.registry.incoming(id, far));
        }

        @Override
        public void alerting() {
            there(Listener::onRinging);
        }

        @Override
        public void accept() {
            there(l -> l.onProceed(side.jid));
        }

        @Override
        public void offer(MediaDescription offer) {
            there(l -> l.onOffer(offer));
            for (int batch = 0; batch < side.flood; batch += 100) {
                List<IceCandidate> junk = new ArrayList<>();
                for (int i = batch; i < Math.min(side.flood, batch + 100); i++) {
                    junk.add(new IceCandidate("junk" + i, 1, "udp", 1_000 + i, new InetSocketAddress(
                            InetAddress.getLoopbackAddress(), 1 + i % 1000), IceCandidate.Type.HOST, null, 0));
                }
                there(l -> l.onRemoteIce(new IceParameters(null, null, junk)));
            }
        }

        @Override
        public void answer(MediaDescription answer) {
            there(l -> l.onAnswer(answer));
        }

        @Override
        public void candidate(IceParameters localIce, IceCandidate candidate) {
            there(l -> l.onRemoteIce(new IceParameters(null, null, List.of(candidate))));
        }

        @Override
        public void info(Info info) {
            there(l -> l.onInfo(info));
        }

        @Override
        public void hangup(CallEnd end, Cause cause) {
            CallEnd theirs = new CallEnd(end.reason() == CallEnd.Reason.HANGUP ? CallEnd.Reason.REMOTE_HANGUP
                    : end.reason(), end.text());
            there(l -> l.onEnded(theirs));
        }

        @Override
        public void close() {
        }
    }
}
