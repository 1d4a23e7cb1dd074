package org.openzoep.internal.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
import org.openzoep.media.testsupport.Await;
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
    PipeSide a;
    PipeSide b;
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
        for (PipeSide s : new PipeSide[] {a, b}) {
            if (s != null) {
                s.close();
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
        a = new PipeSide(A, resA, AccountSettings.defaults(), CallAudio.silence());
        b = new PipeSide(B, resB, AccountSettings.defaults(), CallAudio.files(null, recording));
        PipeSide.pair(a, b);
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
}
