package org.openzoep.internal.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openzoep.AccountSettings;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.CallState;
import org.openzoep.media.description.IceParameters;
import org.openzoep.media.description.MediaDescription;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.xmpp.session.XmppSession;
import org.openzoep.xmpp.stanza.Jid;

/**
 * Two calls whose legs signal each other through a pipe instead of Jingle: the leg, offer/answer,
 * the media path (ICE + DTLS-SRTP on loopback) and the conference on the media clock work with
 * any {@link Signaller}, as a SIP signaller will.
 */
class LegTest {
    static final Jid A = Jid.parse("a@example.org/1");
    static final Jid B = Jid.parse("b@example.org/1");

    EventLoopGroup group;
    CallResources res;
    Side a;
    Side b;

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        res = new CallResources(group, false, new CallResources.Settings(Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(10), List.of(InetAddress.getByName("127.0.0.1")), true, 1, 4, "legtest"));
    }

    @AfterEach
    void stop() {
        res.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        for (Side s : new Side[] {a, b}) {
            if (s != null) {
                s.serial.shutdownNow();
            }
        }
    }

    @Test
    void aCallOverAnyPipeRingsConnectsCarriesDtmfAndHangsUp() throws Exception {
        a = new Side(A, AccountSettings.defaults());
        b = new Side(B, AccountSettings.defaults());
        Call out = a.place(B);
        assertThat(b.next(CallEvent.Kind.INCOMING).state()).isEqualTo(CallState.RINGING);
        a.next(CallEvent.Kind.RINGING);
        Call in = b.registry.find("c1").orElseThrow();
        in.answer().toCompletableFuture().get(5, TimeUnit.SECONDS);
        a.next(CallEvent.Kind.JOINED);
        b.next(CallEvent.Kind.JOINED);
        assertThat(out.state()).isEqualTo(CallState.ACTIVE);
        assertThat(out.stats().codec()).isEqualTo("opus/48000/2");
        assertThat(out.stats().localCandidate()).isEqualTo("host");
        out.sendDtmf("5");
        assertThat(b.nextEvent(CallEvent.Kind.DTMF).digit()).isEqualTo('5');
        in.hold(true);
        a.next(CallEvent.Kind.REMOTE_HOLD);
        assertThat(out.remoteHeld()).isTrue();
        out.hangup();
        assertThat(a.nextEvent(CallEvent.Kind.ENDED).end().reason()).isEqualTo(CallEnd.Reason.HANGUP);
        assertThat(b.nextEvent(CallEvent.Kind.ENDED).end().reason()).isEqualTo(CallEnd.Reason.REMOTE_HANGUP);
        assertThat(a.registry.active()).isEmpty();
        assertThat(b.registry.active()).isEmpty();
    }

    @Test
    void noCommonCodecEndsBothSidesWithoutMedia() throws Exception {
        a = new Side(A, withCodecs("opus"));
        b = new Side(B, withCodecs("pcma"));
        a.place(B);
        b.next(CallEvent.Kind.INCOMING);
        b.registry.find("c1").orElseThrow().answer();
        CallEnd atB = b.nextEvent(CallEvent.Kind.ENDED).end();
        assertThat(atB.reason()).isEqualTo(CallEnd.Reason.NO_COMMON_CODEC);
        assertThat(atB.text()).contains("opus");
        assertThat(a.nextEvent(CallEvent.Kind.ENDED).end().reason()).isEqualTo(CallEnd.Reason.NO_COMMON_CODEC);
        assertThat(res.audioStats().calls()).as("nothing reached the clock").isZero();
    }

    /**
     * Issue 12, H1: the caller trickles 10,000 extra candidates on loopback (unreachable ports,
     * lower priority than its real ones) in transport-info-sized batches after its offer; the
     * callee's leg, path and checklist keep a bounded number (100 candidates, 100 pairs) and the
     * call still connects.
     */
    @Test
    void aPeerTricklingTenThousandCandidatesStillConnects() throws Exception {
        a = new Side(A, AccountSettings.defaults());
        b = new Side(B, AccountSettings.defaults());
        a.flood = 10_000;
        Call out = a.place(B);
        b.next(CallEvent.Kind.INCOMING);
        b.registry.find("c1").orElseThrow().answer().toCompletableFuture().get(5, TimeUnit.SECONDS);
        a.next(CallEvent.Kind.JOINED);
        b.next(CallEvent.Kind.JOINED);
        assertThat(out.state()).isEqualTo(CallState.ACTIVE);
        out.hangup();
        assertThat(b.nextEvent(CallEvent.Kind.ENDED).end().reason()).isEqualTo(CallEnd.Reason.REMOTE_HANGUP);
    }

    static AccountSettings withCodecs(String codec) {
        AccountSettings d = AccountSettings.defaults();
        return d.withMedia(d.audio(), List.of(new AccountSettings.Codec(codec, null, null, null, null, null)), List.of(),
                List.of(), null);
    }

    record Got(Call call, CallEvent event) {
    }

    /** One account's side: its serial executor, its registry and what its application hears. */
    final class Side implements CallHost, Signalling {
        final Jid jid;
        final AccountSettings settings;
        final ExecutorService serial = Executors.newSingleThreadExecutor();
        final CallRegistry registry;
        final BlockingQueue<Got> events = new LinkedBlockingQueue<>();
        /** Extra junk candidates this side trickles after its offer (a hostile peer). */
        int flood;

        Side(Jid jid, AccountSettings settings) {
            this.jid = jid;
            this.settings = settings;
            this.registry = new CallRegistry(this, res, (call, e) -> events.add(new Got(call, e)));
            registry.signalling(this);
        }

        Side other() {
            return this == a ? b : a;
        }

        Call place(Jid to) throws Exception {
            return registry.place("c1", to, CallAudio.silence()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }

        /** The call of the next event of this kind (earlier events of other kinds are passed over). */
        Call next(CallEvent.Kind kind) throws InterruptedException {
            return nextGot(kind).call();
        }

        CallEvent nextEvent(CallEvent.Kind kind) throws InterruptedException {
            return nextGot(kind).event();
        }

        private Got nextGot(CallEvent.Kind kind) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                Got g = events.poll(100, TimeUnit.MILLISECONDS);
                if (g != null && g.event().kind() == kind) {
                    return g;
                }
            }
            throw new AssertionError(jid + ": no " + kind + " within 15 s");
        }

        @Override
        public Signaller outgoing(String id, Jid to) {
            Pipe mine = new Pipe(this, to);
            Pipe theirs = new Pipe(other(), jid);
            mine.far = theirs;
            theirs.far = mine;
            return mine;
        }

        @Override
        public java.util.concurrent.Executor serial() {
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
            return CallAudio.silence();
        }

        @Override
        public CompletionStage<List<InetSocketAddress>> stunServers() {
            return CompletableFuture.completedFuture(List.of());
        }
    }

    /** A signaller whose far end is another pipe: each verb is the far listener's event, on the far side's serial. */
    static final class Pipe implements Signaller {
        final Side side;
        final Jid peer;
        Pipe far;
        Listener listener;

        Pipe(Side side, Jid peer) {
            this.side = side;
            this.peer = peer;
        }

        private void there(java.util.function.Consumer<Listener> event) {
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
            far.side.serial.execute(() -> far.side.registry.incoming("c1", far));
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
                List<IceCandidate> junk = new java.util.ArrayList<>();
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
