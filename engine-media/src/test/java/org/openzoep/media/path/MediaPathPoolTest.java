package org.openzoep.media.path;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openzoep.media.codec.AudioDecoder;
import org.openzoep.media.codec.AudioEncoder;
import org.openzoep.media.description.Answer;
import org.openzoep.media.description.DtlsSetup;
import org.openzoep.media.description.MediaDescription;
import org.openzoep.media.description.Negotiated;
import org.openzoep.media.description.NegotiationPolicy;
import org.openzoep.media.description.OfferAnswer;
import org.openzoep.media.description.Security;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.media.session.Conference;
import org.openzoep.media.session.MediaSession;
import org.openzoep.media.srtp.DtlsCertificate;
import org.openzoep.media.testsupport.Await;
import org.openzoep.media.transport.MediaReceiver;
import org.openzoep.media.transport.MediaTransport;

/**
 * The engine's DTLS pool as the paths meet it (issue 12, M5): the pool is bounded (threads made
 * per handshake in progress, a {@link SynchronousQueue}, refusal when full), and a full pool must
 * end a new handshake with a clear {@link MediaPath.PathFailure#OVERLOADED}, never delay or skip
 * the closing of other paths, and never make an event loop wait. Peers here are silent UDP
 * sockets: a handshake with one stays in progress (holding its pool thread) until it is closed.
 */
class MediaPathPoolTest {
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    EventLoopGroup group;
    DtlsCertificate cert;
    ThreadPoolExecutor dtls;
    ExecutorService closer;
    DatagramSocket silent;
    final List<MediaPath> paths = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("pooltest-io", true),
                NioIoHandler.newFactory());
        cert = DtlsCertificate.generate();
        silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        closer = Executors.newFixedThreadPool(2, new DefaultThreadFactory("pooltest-close", true));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (MediaPath p : paths) {
            p.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (dtls != null) {
            dtls.shutdownNow();
        }
        closer.shutdownNow();
        silent.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The engine's pool: 0..size threads, a SynchronousQueue, the default abort policy. */
    ThreadPoolExecutor pool(int size) {
        dtls = new ThreadPoolExecutor(0, size, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new DefaultThreadFactory("pooltest-dtls", true));
        return dtls;
    }

    MediaResources resources(ThreadPoolExecutor pool) throws Exception {
        return new MediaResources(group, NioDatagramChannel.class, cert, pool, closer, pool.getMaximumPoolSize(),
                List.of(InetAddress.getByName("127.0.0.1")), true);
    }

    /** Records a path's failure. */
    static final class Events implements MediaPath.Listener {
        final CompletableFuture<String> failed = new CompletableFuture<>();
        final CompletableFuture<Void> media = new CompletableFuture<>();

        @Override
        public void onLocalCandidate(IceCandidate c) {
        }

        @Override
        public void onConnected(String localType, String remoteType) {
        }

        @Override
        public void onMediaStarted() {
            media.complete(null);
        }

        @Override
        public void onFailed(MediaPath.PathFailure failure, String text) {
            failed.complete(failure + ": " + text);
        }

        @Override
        public void onDtmf(int event) {
        }
    }

    /**
     * A plain-UDP path answering a DTLS offer from the silent socket: it is the DTLS client
     * (active), so its handshake sends ClientHellos from its pool thread and waits there.
     */
    MediaPath handshakingWithSilence(MediaResources res, Events events) throws Exception {
        MediaPath p = MediaPath.create(res, new PathOptions(false, List.of(), null, "pool@test", false),
                new Conference(2, 960), events);
        paths.add(p);
        p.open().toCompletableFuture().get(10, TimeUnit.SECONDS);
        NegotiationPolicy policy = NegotiationPolicy.secure("pcmu");
        MediaDescription offer = OfferAnswer.offer("voice", policy, null,
                (InetSocketAddress) silent.getLocalSocketAddress(),
                new Security.Dtls("sha-256", cert.fingerprint(), DtlsSetup.ACTPASS));
        Answer answer = OfferAnswer.answer(offer, policy, null, p.localConnection(), p.localDtls(null));
        p.start(answer.negotiated());
        return p;
    }

    @Test
    void aPoolOfOneRefusesTheSecondConcurrentHandshakeWithOverloaded() throws Exception {
        ThreadPoolExecutor pool = pool(1);
        MediaResources res = resources(pool);
        Events first = new Events();
        Events second = new Events();
        MediaPath one = handshakingWithSilence(res, first);
        Await.until("the first handshake holds the pool's thread", TIMEOUT, () -> pool.getActiveCount() == 1);
        handshakingWithSilence(res, second);
        String why = second.failed.get(10, TimeUnit.SECONDS);
        assertThat(why).startsWith("OVERLOADED").contains("at most 1");
        assertThat(first.failed).as("the first handshake goes on").isNotDone();
        one.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Await.until("the pool's thread freed by the close", TIMEOUT, () -> pool.getActiveCount() == 0);
    }

    @Test
    void sixtyFiveHandshakesOnAPoolOfSixtyFour() throws Exception {
        ThreadPoolExecutor pool = pool(64);
        MediaResources res = resources(pool);
        List<Events> events = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            Events e = new Events();
            events.add(e);
            handshakingWithSilence(res, e);
        }
        Await.until("64 handshakes in progress", TIMEOUT, () -> pool.getActiveCount() == 64);
        Events last = new Events();
        handshakingWithSilence(res, last);
        assertThat(last.failed.get(10, TimeUnit.SECONDS)).startsWith("OVERLOADED").contains("at most 64");
        assertThat(events).allSatisfy(e -> assertThat(e.failed).isNotDone());
        for (MediaPath p : paths) {
            p.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Await.until("every pool thread freed", TIMEOUT, () -> pool.getActiveCount() == 0);
    }

    /**
     * A path with media is closed while the DTLS pool is full and the call's audio thread is in
     * the middle of a frame: removing the member waits for that frame, and that wait must not be
     * on an event loop (every loop of the group keeps running tasks meanwhile).
     */
    @Test
    void closingWhileThePoolIsFullNeverWaitsOnAnEventLoop() throws Exception {
        ThreadPoolExecutor pool = pool(1);
        MediaResources res = resources(pool);
        // a call with plain RTP (no pool needed) between two paths
        Conference conference = new Conference(2, 960);
        Events ea = new Events();
        MediaPath a = MediaPath.create(res, new PathOptions(true, List.of(), null, "a@test", false), conference, ea);
        MediaPath b = MediaPath.create(res, new PathOptions(false, List.of(), null, "b@test", false),
                new Conference(2, 960), new Events());
        paths.add(a);
        paths.add(b);
        a.open().toCompletableFuture().get(10, TimeUnit.SECONDS);
        b.open().toCompletableFuture().get(10, TimeUnit.SECONDS);
        NegotiationPolicy plain = new NegotiationPolicy(List.of("pcmu"), true, false);
        MediaDescription offer = OfferAnswer.offer("voice", plain, null, a.localConnection(), new Security.Plain());
        Answer answer = OfferAnswer.answer(offer, plain, null, b.localConnection(), new Security.Plain());
        b.start(answer.negotiated());
        a.start(OfferAnswer.complete(offer, answer.description(), plain));
        ea.media.get(10, TimeUnit.SECONDS);
        // the pool is full: one handshake with a silent peer
        handshakingWithSilence(res, new Events());
        Await.until("the handshake holds the pool's thread", TIMEOUT, () -> pool.getActiveCount() == 1);
        // a frame in progress: the other member's encoder holds it until released
        BlockingEncoder held = new BlockingEncoder();
        MediaSession other = MediaSession.builder(new NullTransport(group.next()), held, new SilentDecoder()).start()
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(conference.add(other)).isTrue();
        Thread audio = new Thread(() -> conference.process(new short[960], 0, new short[960], 0), "pooltest-audio");
        audio.start();
        assertThat(held.entered.await(5, TimeUnit.SECONDS)).isTrue();
        try {
            CompletableFuture<Void> closed = a.closeAsync().toCompletableFuture();
            for (io.netty.util.concurrent.EventExecutor loop : group) {
                assertThat(((EventLoop) loop).submit(() -> { }).await(300, TimeUnit.MILLISECONDS))
                        .as("event loop %s runs tasks while the close waits for the frame", loop).isTrue();
            }
            held.release.countDown();
            closed.get(10, TimeUnit.SECONDS);
            assertThat(conference.size()).isEqualTo(1);
        } finally {
            held.release.countDown();
            audio.join(5000);
            conference.remove(other);
            other.closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The engine stops (event loops gone, then the pool shut down) while a handshake is in
     * progress: nothing is printed, in particular no {@code RejectedExecutionException: event
     * executor terminated} from the DTLS thread.
     */
    @Test
    void stoppingDuringAHandshakePrintsNothing() throws Exception {
        ThreadPoolExecutor pool = pool(4);
        MediaResources res = resources(pool);
        handshakingWithSilence(res, new Events());
        // the handshake runs: its first ClientHello reached the silent peer
        silent.setSoTimeout(10_000);
        silent.receive(new DatagramPacket(new byte[2048], 2048));
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("the DTLS thread ended").isTrue();
            closer.shutdown();
            closer.awaitTermination(5, TimeUnit.SECONDS);
        } finally {
            System.setErr(err);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(printed).as("printed while stopping").doesNotContain("RejectedExecutionException")
                .doesNotContain("Exception in thread");
    }

    /** An encoder that, once, holds the frame it is asked to encode until released. */
    static final class BlockingEncoder implements AudioEncoder {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public int sampleRate() {
            return 48000;
        }

        @Override
        public int rtpClockRate() {
            return 48000;
        }

        @Override
        public int frameSamples() {
            return 960;
        }

        @Override
        public int encode(short[] pcm, int pcmOffset, byte[] out, int outOffset, int maxBytes) {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out[outOffset] = 0;
            return 1;
        }

        @Override
        public void close() {
        }
    }

    static final class SilentDecoder implements AudioDecoder {
        @Override
        public int sampleRate() {
            return 48000;
        }

        @Override
        public int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset, int maxSamples) {
            return conceal(pcm, pcmOffset, 960);
        }

        @Override
        public int conceal(short[] pcm, int pcmOffset, int frameSamples) {
            java.util.Arrays.fill(pcm, pcmOffset, pcmOffset + frameSamples, (short) 0);
            return frameSamples;
        }

        @Override
        public void close() {
        }
    }

    /** A transport that drops what it is given. */
    static final class NullTransport implements MediaTransport {
        private final EventLoop loop;

        NullTransport(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public void send(ByteBuf packet) {
            packet.release();
        }

        @Override
        public void receiver(MediaReceiver receiver) {
        }

        @Override
        public CompletionStage<Void> closeAsync() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
