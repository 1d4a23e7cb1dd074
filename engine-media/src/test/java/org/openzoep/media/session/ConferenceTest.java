package org.openzoep.media.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openzoep.media.codec.ResampledDecoder;
import org.openzoep.media.codec.ResampledEncoder;
import org.openzoep.media.codec.g711.G711;
import org.openzoep.media.codec.g711.G711Decoder;
import org.openzoep.media.codec.g711.G711Encoder;
import org.openzoep.media.rtcp.RtcpMux;
import org.openzoep.media.testsupport.AudioFixtures;
import org.openzoep.media.testsupport.Await;
import org.openzoep.media.transport.MediaReceiver;
import org.openzoep.media.transport.MediaTransport;

/**
 * Two parties, each with a {@link Conference} of one member (the other party's stream), joined by
 * an in-memory packet path: each hears the other (N-1), mute silences only what the muted party
 * sends, hold silences both directions, and a removed member is neither heard nor sent to. The
 * streams are G.711 behind the 48 kHz path ({@link ResampledEncoder}/{@link ResampledDecoder}).
 */
class ConferenceTest {
    static final int FRAME = 960;

    /** Delivers what one side sends to the other side's receiver, on one event loop. */
    static final class Pipe implements MediaTransport {
        final EventLoop loop;
        Pipe peer;
        volatile MediaReceiver receiver;

        Pipe(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public void send(ByteBuf packet) {
            try {
                MediaReceiver r = peer.receiver;
                int off = packet.readerIndex();
                int len = packet.readableBytes();
                if (r != null && RtcpMux.classify(packet, off, len) == RtcpMux.RTP) {
                    r.onRtp(packet, off, len, System.nanoTime());
                } else if (r != null && RtcpMux.classify(packet, off, len) == RtcpMux.RTCP) {
                    r.onRtcp(packet, off, len, System.nanoTime());
                }
            } finally {
                packet.release();
            }
        }

        @Override
        public void receiver(MediaReceiver r) {
            this.receiver = r;
        }

        @Override
        public CompletionStage<Void> closeAsync() {
            return CompletableFuture.completedFuture(null);
        }
    }

    DefaultEventLoop loop;
    MediaSession a;
    MediaSession b;
    Conference atA;
    Conference atB;

    @BeforeEach
    void connect() throws Exception {
        loop = new DefaultEventLoop();
        Pipe pa = new Pipe(loop);
        Pipe pb = new Pipe(loop);
        pa.peer = pb;
        pb.peer = pa;
        a = session(pa);
        b = session(pb);
        atA = new Conference(2, FRAME);
        atB = new Conference(2, FRAME);
        assertThat(atA.add(a)).isTrue();
        assertThat(atB.add(b)).isTrue();
    }

    static MediaSession session(Pipe p) throws Exception {
        return MediaSession.builder(p, new ResampledEncoder(new G711Encoder(G711.Law.PCMU, 20), 48000),
                new ResampledDecoder(new G711Decoder(G711.Law.PCMU), 48000, 480)).payloadType(0).fec(false)
                .start().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        a.closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
        b.closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** Runs n frames on both sides (a 440 Hz tone at A, 1000 Hz at B); returns {heard at A, heard at B}. */
    short[][] run(int frames) throws Exception {
        short[] toneA = AudioFixtures.tone(48000, 440, 8000, FRAME * frames);
        short[] toneB = AudioFixtures.tone(48000, 1000, 8000, FRAME * frames);
        short[] heardA = new short[FRAME * frames];
        short[] heardB = new short[FRAME * frames];
        for (int f = 0; f < frames; f++) {
            atA.process(toneA, f * FRAME, heardA, f * FRAME);
            atB.process(toneB, f * FRAME, heardB, f * FRAME);
            // let the event loop packetize, send and jitter-buffer this frame before the next one
            loop.submit(() -> { }).get(1, TimeUnit.SECONDS);
            loop.submit(() -> { }).get(1, TimeUnit.SECONDS);
            Thread.sleep(20);
        }
        return new short[][] {heardA, heardB};
    }

    /** RMS of the second half (after the jitter buffer has filled). */
    static double level(short[] x) {
        return AudioFixtures.rms(x, x.length / 2, x.length / 2);
    }

    /** Correlation of x's second half with a tone of {@code freq}, at the best phase. */
    static double toneness(short[] x, int freq) {
        short[] ref = AudioFixtures.tone(48000, freq, 8000, x.length);
        int half = x.length / 2;
        int lag = AudioFixtures.bestLag(ref, x, half, half / 2, 0, 48000 / freq);
        return AudioFixtures.correlation(ref, x, half, half / 2, lag);
    }

    @Test
    void eachPartyHearsTheOther() throws Exception {
        short[][] heard = run(40);
        assertThat(toneness(heard[1], 440)).as("B hears A's 440 Hz").isGreaterThan(0.9);
        assertThat(toneness(heard[0], 1000)).as("A hears B's 1000 Hz").isGreaterThan(0.9);
        assertThat(atA.size()).isEqualTo(1);
    }

    @Test
    void muteSilencesOnlyWhatTheMutedPartySends() throws Exception {
        atA.mute(true);
        short[][] heard = run(40);
        assertThat(level(heard[1])).as("B hears nothing from muted A").isLessThan(50);
        assertThat(toneness(heard[0], 1000)).as("muted A still hears B").isGreaterThan(0.9);
    }

    @Test
    void holdSilencesBothDirections() throws Exception {
        atB.hold(true);
        short[][] heard = run(40);
        assertThat(level(heard[1])).as("held B plays nothing").isEqualTo(0);
        assertThat(level(heard[0])).as("A hears nothing from held B").isLessThan(50);
    }

    @Test
    void aRemovedMemberIsNeitherHeardNorSentTo() throws Exception {
        atA.remove(a);
        assertThat(atA.size()).isZero();
        short[][] heard = run(30);
        assertThat(level(heard[0])).as("A hears no one").isEqualTo(0);
        assertThat(level(heard[1])).as("B gets nothing from A").isLessThan(50);
    }

    /** Sessions joined by a pipe with the given payload numbers: {send, receive} for A, then for B. */
    MediaSession[] pair(int aSend, int aReceive, int bSend, int bReceive) throws Exception {
        Pipe pa = new Pipe(loop);
        Pipe pb = new Pipe(loop);
        pa.peer = pb;
        pb.peer = pa;
        return new MediaSession[] {numbered(pa, aSend, aReceive), numbered(pb, bSend, bReceive)};
    }

    static MediaSession numbered(Pipe p, int send, int receive) throws Exception {
        return MediaSession.builder(p, new ResampledEncoder(new G711Encoder(G711.Law.PCMU, 20), 48000),
                new ResampledDecoder(new G711Decoder(G711.Law.PCMU), 48000, 480)).payloadType(send)
                .receivePayloadType(receive).fec(false).start().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** Replaces the members of both conferences with {@code s[0]} at A and {@code s[1]} at B. */
    void join(MediaSession[] s) {
        atA.remove(a);
        atB.remove(b);
        assertThat(atA.add(s[0])).isTrue();
        assertThat(atB.add(s[1])).isTrue();
    }

    @Test
    void eachSideReceivesWithItsOwnPayloadNumbers() throws Exception {
        // RFC 3264 5.1: A listed PCMU as 97, B as 96; each sends with the other's number
        MediaSession[] s = pair(96, 97, 97, 96);
        try {
            join(s);
            short[][] heard = run(40);
            assertThat(toneness(heard[1], 440)).as("B hears A").isGreaterThan(0.9);
            assertThat(toneness(heard[0], 1000)).as("A hears B").isGreaterThan(0.9);
        } finally {
            s[0].closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
            s[1].closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPayloadNumberNotAgreedIsNotPlayed() throws Exception {
        // B expects 98 but A sends 96: nothing of A reaches B's jitter buffer
        MediaSession[] s = pair(96, 97, 97, 98);
        try {
            join(s);
            short[][] heard = run(30);
            assertThat(level(heard[1])).as("B plays nothing of A's 96").isLessThan(50);
            assertThat(toneness(heard[0], 1000)).as("A still hears B").isGreaterThan(0.9);
        } finally {
            s[0].closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
            s[1].closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDirectionWithoutSendingSendsNoAudio() throws Exception {
        a.direction(false, true); // A holds: recvonly
        short[][] heard = run(30);
        assertThat(level(heard[1])).as("B hears nothing from A").isLessThan(50);
        assertThat(toneness(heard[0], 1000)).as("A still hears B").isGreaterThan(0.9);
        b.direction(true, false); // and B stops listening
        a.direction(true, true);
        heard = run(30);
        assertThat(level(heard[1])).as("B does not play what it does not receive").isLessThan(50);
    }

    @Test
    void removeWaitsUntilTheFrameInProgressHasEnded() throws Exception {
        java.util.concurrent.CountDownLatch inEncode = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ResampledEncoder inner = new ResampledEncoder(new G711Encoder(G711.Law.PCMU, 20), 48000);
        org.openzoep.media.codec.AudioEncoder blocking = new org.openzoep.media.codec.AudioEncoder() {
            @Override
            public int sampleRate() {
                return inner.sampleRate();
            }

            @Override
            public int rtpClockRate() {
                return inner.rtpClockRate();
            }

            @Override
            public int frameSamples() {
                return inner.frameSamples();
            }

            @Override
            public int encode(short[] pcm, int off, byte[] out, int outOff, int max) {
                inEncode.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return inner.encode(pcm, off, out, outOff, max);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
        Pipe p = new Pipe(loop);
        p.peer = new Pipe(loop);
        MediaSession slow = MediaSession.builder(p, blocking,
                new ResampledDecoder(new G711Decoder(G711.Law.PCMU), 48000, 480)).payloadType(0).fec(false)
                .start().toCompletableFuture().get(5, TimeUnit.SECONDS);
        Conference c = new Conference(2, FRAME);
        c.add(slow);
        short[] pcm = new short[FRAME];
        CompletableFuture<Void> frame = CompletableFuture.runAsync(() -> c.process(pcm, 0, pcm, 0));
        try {
            assertThat(inEncode.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> removing = CompletableFuture.runAsync(() -> c.remove(slow));
            Await.stays("remove waits while the member encodes", Duration.ofMillis(100), () -> !removing.isDone());
            release.countDown();
            removing.get(5, TimeUnit.SECONDS);
            assertThat(c.size()).isZero();
        } finally {
            release.countDown();
            frame.get(5, TimeUnit.SECONDS);
            slow.closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
