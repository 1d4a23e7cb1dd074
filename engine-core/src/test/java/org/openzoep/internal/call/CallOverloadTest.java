package org.openzoep.internal.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openzoep.AccountSettings;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.media.description.IceParameters;
import org.openzoep.media.description.MediaDescription;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.media.testsupport.Await;
import org.openzoep.xmpp.session.XmppSession;
import org.openzoep.xmpp.stanza.Jid;

/**
 * Issue 12, M5, at the engine's call layer: two engines' own {@link CallResources}, each with a
 * DTLS pool of one thread, real legs, media paths (ICE + DTLS-SRTP on loopback), conferences on the
 * media clock and WAV recordings, signalled through a pipe. While the pool's one thread is busy
 * (a handshake in progress elsewhere, stood in for by a task that waits), a new call ends as
 * {@code overloaded} ({@code service-unavailable}), and a call that ends meanwhile still closes
 * everything: its recording gets its final lengths.
 */
class CallOverloadTest {
    static final Jid A = Jid.parse("a@example.org/1");
    static final Jid B = Jid.parse("b@example.org/1");

    @TempDir
    Path dir;
    EventLoopGroup group;
    CallResources resA;
    CallResources resB;
    Side a;
    Side b;
    final CountDownLatch poolBusy = new CountDownLatch(1);
    final CountDownLatch freePool = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        resA = resources("overload-a");
        resB = resources("overload-b");
    }

    CallResources resources(String name) throws Exception {
        return new CallResources(group, false, new CallResources.Settings(Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(20), List.of(InetAddress.getByName("127.0.0.1")), true, 1, 1, name));
    }

    @AfterEach
    void stop() {
        freePool.countDown();
        resA.close();
        resB.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        for (Side s : new Side[] {a, b}) {
            if (s != null) {
                s.serial.shutdownNow();
            }
        }
    }

    /**
     * Takes the DTLS pool's one thread, as a handshake with a peer that does not answer would
     * (retried while the thread finishes the last call's DTLS records).
     */
    void fillThePool(CallResources res) throws InterruptedException {
        Runnable hold = () -> {
            poolBusy.countDown();
            try {
                freePool.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Await.until("the pool's thread taken", Duration.ofSeconds(5), () -> {
            try {
                res.media().dtlsExecutor().execute(hold);
                return true;
            } catch (java.util.concurrent.RejectedExecutionException busy) {
                return false;
            }
        });
        assertThat(poolBusy.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFullPoolEndsANewCallAsOverloadedAndAnEndingCallStillClosesItsRecording() throws Exception {
        Path recording = dir.resolve("b-heard.wav");
        a = new Side(A, resA, CallAudio.silence());
        b = new Side(B, resB, CallAudio.files(null, recording));
        // call 1 connects while the pool is free, and records at B
        Call out = a.place("c1", B);
        b.next(CallEvent.Kind.INCOMING);
        b.registry.find("c1").orElseThrow().answer().toCompletableFuture().get(5, TimeUnit.SECONDS);
        a.next(CallEvent.Kind.JOINED);
        b.next(CallEvent.Kind.JOINED);
        Await.until("B records", Duration.ofSeconds(10), () -> recording.toFile().length() > 44 + 9600);

        // B's pool is full: call 2 cannot be secured there now
        fillThePool(resB);
        a.place("c2", B);
        b.next(CallEvent.Kind.INCOMING);
        b.registry.find("c2").orElseThrow().answer();
        CallEnd atA = a.nextEvent(CallEvent.Kind.ENDED).end();
        CallEnd atB = b.nextEvent(CallEvent.Kind.ENDED).end();
        assertThat(List.of(atA.reason(), atB.reason())).as("A: %s; B: %s", atA, atB).contains(CallEnd.Reason.OVERLOADED);
        CallEnd overloaded = atA.reason() == CallEnd.Reason.OVERLOADED ? atA : atB;
        assertThat(overloaded.isError()).isTrue();
        assertThat(overloaded.condition()).isEqualTo("service-unavailable");
        assertThat(overloaded.text()).contains("at most 1");

        // call 1 ends while B's pool is still full: everything is closed all the same
        out.hangup();
        assertThat(a.nextEvent(CallEvent.Kind.ENDED).end().reason()).isEqualTo(CallEnd.Reason.HANGUP);
        assertThat(b.nextEvent(CallEvent.Kind.ENDED).end().reason()).isEqualTo(CallEnd.Reason.REMOTE_HANGUP);
        Await.until("B's recording has its final lengths", Duration.ofSeconds(10), () -> finished(recording));
        assertThat(resB.audioStats().calls()).as("no call left on B's clock").isZero();
    }

    /** The RIFF length is the file's length - 8 and the data length the rest after the header. */
    static boolean finished(Path wav) {
        byte[] b;
        try {
            b = Files.readAllBytes(wav);
        } catch (java.io.IOException e) {
            return false;
        }
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        return b.length > 44 && h.getInt(4) == b.length - 8 && h.getInt(40) == b.length - 44;
    }

    record Got(Call call, CallEvent event) {
    }

    /** One account's side: its serial executor, its registry and what its application hears. */
    final class Side implements CallHost, Signalling {
        final Jid jid;
        final CallAudio audio;
        final ExecutorService serial = Executors.newSingleThreadExecutor();
        final CallRegistry registry;
        final BlockingQueue<Got> events = new LinkedBlockingQueue<>();

        Side(Jid jid, CallResources res, CallAudio audio) {
            this.jid = jid;
            this.audio = audio;
            this.registry = new CallRegistry(this, res, (call, e) -> events.add(new Got(call, e)));
            registry.signalling(this);
        }

        Side other() {
            return this == a ? b : a;
        }

        Call place(String id, Jid to) throws Exception {
            return registry.place(id, to, audio).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }

        Call next(CallEvent.Kind kind) throws InterruptedException {
            return nextGot(kind).call();
        }

        CallEvent nextEvent(CallEvent.Kind kind) throws InterruptedException {
            return nextGot(kind).event();
        }

        private Got nextGot(CallEvent.Kind kind) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<CallEvent> passed = new java.util.ArrayList<>();
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
        public Signaller outgoing(String id, Jid to) {
            Pipe mine = new Pipe(this, to, id);
            Pipe theirs = new Pipe(other(), jid, id);
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
            return AccountSettings.defaults();
        }

        @Override
        public CallAudio defaultAudio() {
            return audio;
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
        final String id;
        Pipe far;
        Listener listener;

        Pipe(Side side, Jid peer, String id) {
            this.side = side;
            this.peer = peer;
            this.id = id;
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
