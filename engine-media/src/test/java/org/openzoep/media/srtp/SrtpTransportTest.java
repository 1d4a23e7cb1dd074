package org.openzoep.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.media.testsupport.Await;
import org.openzoep.media.transport.MediaReceiver;

/** DTLS-SRTP between two transports over two real UDP sockets on 127.0.0.1. */
class SrtpTransportTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static EventLoopGroup group;
    private static ThreadPoolExecutor executor;
    private static DtlsCertificate certA;
    private static DtlsCertificate certB;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        executor = new ThreadPoolExecutor(3, 3, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
        certA = DtlsCertificate.generate();
        certB = DtlsCertificate.generate();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        executor.shutdown();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void handshakeThenRtpAndRtcpBothWaysThenCloseNotify() throws Exception {
        UdpPath a = UdpPath.bind(group);
        UdpPath b = UdpPath.bind(group);
        a.remote(b.localAddress());
        b.remote(a.localAddress());
        CompletionStage<SrtpTransport> client = SrtpTransport.handshake(a, DtlsRole.CLIENT, certA, "sha-256",
                certB.fingerprint(), executor, TIMEOUT);
        CompletionStage<SrtpTransport> server = SrtpTransport.handshake(b, DtlsRole.SERVER, certB, "sha-256",
                certA.fingerprint().toLowerCase(), executor, TIMEOUT);
        SrtpTransport ta = client.toCompletableFuture().get(15, TimeUnit.SECONDS);
        SrtpTransport tb = server.toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertEquals(a.eventLoop(), ta.eventLoop());

        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        ta.receiver(ra);
        tb.receiver(rb);

        byte[] fromA = rtp(1, 0xAAAA0001, "from the client".getBytes(StandardCharsets.US_ASCII));
        ta.send(buffer(fromA));
        Await.until("RTP at B", TIMEOUT, () -> !rb.rtp.isEmpty());
        assertArrayEquals(fromA, rb.rtp.poll());
        byte[] wire = a.lastSent();
        assertEquals(fromA.length + SrtpContext.TAG_LENGTH, wire.length);
        assertFalse(new String(wire, StandardCharsets.ISO_8859_1).contains("client"), "encrypted on the wire");

        byte[] fromB = rtp(7, 0xBBBB0001, "from the server".getBytes(StandardCharsets.US_ASCII));
        // from a thread other than the event loop: the transport hops onto it
        tb.send(buffer(fromB));
        Await.until("RTP at A", TIMEOUT, () -> !ra.rtp.isEmpty());
        assertArrayEquals(fromB, ra.rtp.poll());

        byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, (byte) 0xBB, (byte) 0xBB, 0, 1};
        tb.send(buffer(rr));
        Await.until("RTCP at A", TIMEOUT, () -> !ra.rtcp.isEmpty());
        assertArrayEquals(rr, ra.rtcp.poll());
        ta.eventLoop().submit(() -> ta.send(buffer(rr))).sync();
        Await.until("RTCP at B", TIMEOUT, () -> !rb.rtcp.isEmpty());
        assertArrayEquals(rr, rb.rtcp.poll());

        assertEquals(2, ta.packetsProtected());
        assertEquals(2, tb.packetsUnprotected());
        assertEquals(2, tb.packetsProtected());
        assertEquals(2, ta.packetsUnprotected());
        assertEquals(0, ta.authFailures() + tb.authFailures() + ta.replayed() + tb.replayed());

        // the peer's close_notify reaches B through the post-handshake DTLS path
        ta.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        tb.peerClosed().toCompletableFuture().get(10, TimeUnit.SECONDS);
        tb.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ByteBuf late = buffer(fromA);
        ta.send(late);
        Await.until("a packet sent after close is dropped and released", TIMEOUT,
                () -> ta.sendDropped() == 1 && late.refCnt() == 0);
    }

    /** SDES-SRTP (RFC 4568): keyed from the signalled master keys, no DTLS; a wrong key fails authentication. */
    @Test
    void keyedFromSdesKeysWithoutDtls() throws Exception {
        UdpPath a = UdpPath.bind(group);
        UdpPath b = UdpPath.bind(group);
        a.remote(b.localAddress());
        b.remote(a.localAddress());
        byte[] keyA = new byte[30];
        byte[] keyB = new byte[30];
        for (int i = 0; i < 30; i++) {
            keyA[i] = (byte) i;
            keyB[i] = (byte) (100 + i);
        }
        SrtpTransport ta = SrtpTransport.keyed(a, keyA, keyB).toCompletableFuture().get(10, TimeUnit.SECONDS);
        SrtpTransport tb = SrtpTransport.keyed(b, keyB, keyA).toCompletableFuture().get(10, TimeUnit.SECONDS);
        Recorder rb = new Recorder();
        tb.receiver(rb);
        byte[] fromA = rtp(1, 0xAAAA0002, "keyed by SDES".getBytes(StandardCharsets.US_ASCII));
        ta.send(buffer(fromA));
        Await.until("RTP at B", TIMEOUT, () -> !rb.rtp.isEmpty());
        assertArrayEquals(fromA, rb.rtp.poll());
        assertFalse(new String(a.lastSent(), StandardCharsets.ISO_8859_1).contains("SDES"), "encrypted on the wire");
        assertEquals(null, ta.role());

        // a peer keyed with another key: authentication fails, nothing is delivered
        UdpPath c = UdpPath.bind(group);
        c.remote(b.localAddress());
        b.remote(c.localAddress());
        byte[] wrong = keyA.clone();
        wrong[3] ^= 1;
        SrtpTransport tc = SrtpTransport.keyed(c, wrong, keyB).toCompletableFuture().get(10, TimeUnit.SECONDS);
        tc.send(buffer(rtp(2, 0xAAAA0002, "forged".getBytes(StandardCharsets.US_ASCII))));
        Await.until("auth failure at B", TIMEOUT, () -> tb.authFailures() == 1);
        assertTrue(rb.rtp.isEmpty());
        // a DTLS record on an SDES transport is not for anyone
        ByteBuf dtlsRecord = Unpooled.wrappedBuffer(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0});
        c.send(dtlsRecord);
        Await.until("DTLS dropped at B", TIMEOUT, () -> tb.otherDropped() == 1);
        assertThrows(IllegalArgumentException.class, () -> SrtpTransport.keyed(c, new byte[16], keyB));
        ta.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        tb.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        tc.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * The server's final flight (ChangeCipherSpec, Finished in epoch 1) is lost once: the server has
     * finished, the client retransmits its last flight, and the server, feeding post-handshake DTLS
     * to BouncyCastle, answers with its final flight again.
     */
    @Test
    void lostFinalFlightIsResentAfterTheHandshake() throws Exception {
        UdpPath a = UdpPath.bind(group);
        UdpPath b = UdpPath.bind(group);
        a.remote(b.localAddress());
        b.remote(a.localAddress());
        java.util.concurrent.atomic.AtomicInteger budget = new java.util.concurrent.atomic.AtomicInteger(2);
        b.dropOutbound(d -> (d[0] == 20 || (d[0] == 22 && d[3] == 0 && d[4] == 1)) && budget.getAndDecrement() > 0);
        CompletionStage<SrtpTransport> server = SrtpTransport.handshake(b, DtlsRole.SERVER, certB, "sha-256",
                certA.fingerprint(), executor, TIMEOUT);
        CompletionStage<SrtpTransport> client = SrtpTransport.handshake(a, DtlsRole.CLIENT, certA, "sha-256",
                certB.fingerprint(), executor, TIMEOUT);
        SrtpTransport tb = server.toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertFalse(client.toCompletableFuture().isDone(), "the client still waits for the lost flight");
        SrtpTransport ta = client.toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertEquals(2, b.dropped.get());
        Recorder rb = new Recorder();
        tb.receiver(rb);
        byte[] fromA = rtp(1, 0xAAAA0002, new byte[] {1, 2, 3});
        ta.send(buffer(fromA));
        Await.until("RTP at B", TIMEOUT, () -> !rb.rtp.isEmpty());
        assertArrayEquals(fromA, rb.rtp.poll());
        ta.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        tb.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void demultiplexesByFirstByteAndCountsWhatItDrops() throws Exception {
        UdpPath a = UdpPath.bind(group);
        UdpPath b = UdpPath.bind(group);
        UdpPath stranger = UdpPath.bind(group);
        a.remote(b.localAddress());
        b.remote(a.localAddress());
        stranger.remote(b.localAddress());
        CompletionStage<SrtpTransport> server = SrtpTransport.handshake(b, DtlsRole.SERVER, certB, "sha-256",
                certA.fingerprint(), executor, TIMEOUT);
        // SRTP before any keys
        stranger.send(buffer(rtp(1, 5, new byte[20])));
        Await.until("early SRTP dropped", TIMEOUT, () -> b.received.get() == 1);
        CompletionStage<SrtpTransport> client = SrtpTransport.handshake(a, DtlsRole.CLIENT, certA, "sha-256",
                certB.fingerprint(), executor, TIMEOUT);
        SrtpTransport ta = client.toCompletableFuture().get(15, TimeUnit.SECONDS);
        SrtpTransport tb = server.toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertEquals(1, tb.droppedBeforeKeys());
        long before = b.received.get();
        stranger.send(buffer(new byte[] {0, 1, 0, 0})); // STUN range (RFC 7983): not ours
        stranger.send(buffer(new byte[] {(byte) 250, 1, 2, 3})); // nothing
        stranger.send(buffer(rtp(2, 5, new byte[30]))); // SRTP range, unauthenticated
        Await.until("three datagrams at B", TIMEOUT, () -> b.received.get() == before + 3);
        Await.until("counted", TIMEOUT, () -> tb.otherDropped() == 2 && tb.authFailures() == 1);
        assertEquals(0, tb.packetsUnprotected());
        ta.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        tb.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        stranger.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void wrongFingerprintFailsTheSideThatChecksIt() throws Exception {
        DtlsCertificate someoneElse = DtlsCertificate.generate();
        // the client expects another server certificate
        assertHandshake(someoneElse.fingerprint(), certA.fingerprint(),
                SrtpHandshakeException.Reason.FINGERPRINT_MISMATCH, SrtpHandshakeException.Reason.ALERT);
        // the server expects another client certificate: the client's certificate is required and checked
        assertHandshake(certB.fingerprint(), someoneElse.fingerprint(),
                SrtpHandshakeException.Reason.ALERT, SrtpHandshakeException.Reason.FINGERPRINT_MISMATCH);
    }

    private void assertHandshake(String clientExpects, String serverExpects, SrtpHandshakeException.Reason clientReason,
            SrtpHandshakeException.Reason serverReason) throws Exception {
        UdpPath a = UdpPath.bind(group);
        UdpPath b = UdpPath.bind(group);
        a.remote(b.localAddress());
        b.remote(a.localAddress());
        CompletionStage<SrtpTransport> client = SrtpTransport.handshake(a, DtlsRole.CLIENT, certA, "sha-256",
                clientExpects, executor, TIMEOUT);
        CompletionStage<SrtpTransport> server = SrtpTransport.handshake(b, DtlsRole.SERVER, certB, "sha-256",
                serverExpects, executor, TIMEOUT);
        assertEquals(clientReason, failure(client).reason());
        assertEquals(serverReason, failure(server).reason());
        a.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        b.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void peerThatNeverAnswersTimesOutAndFreesTheExecutor() throws Exception {
        UdpPath a = UdpPath.bind(group);
        UdpPath silent = UdpPath.bind(group);
        a.remote(silent.localAddress());
        long start = System.nanoTime();
        CompletionStage<SrtpTransport> client = SrtpTransport.handshake(a, DtlsRole.CLIENT, certA, "sha-256",
                certB.fingerprint(), executor, Duration.ofMillis(1500));
        SrtpHandshakeException e = failure(client);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(SrtpHandshakeException.Reason.TIMEOUT, e.reason());
        assertTrue(tookMillis >= 1400 && tookMillis < 3000, "took " + tookMillis + " ms");
        assertTrue(silent.received.get() >= 1, "the ClientHello went out");
        Await.until("the handshake thread is back in the pool", Duration.ofSeconds(3),
                () -> executor.getActiveCount() == 0);
        a.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        silent.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void cancellingAPendingHandshakeFreesTheExecutorAndDetachesFromThePath() throws Exception {
        UdpPath b = UdpPath.bind(group);
        UdpPath stranger = UdpPath.bind(group);
        stranger.remote(b.localAddress());
        CompletableFuture<SrtpTransport> server = SrtpTransport.handshake(b, DtlsRole.SERVER, certB, "sha-256",
                certA.fingerprint(), executor, TIMEOUT).toCompletableFuture();
        Await.until("the handshake task is running", Duration.ofSeconds(3), () -> executor.getActiveCount() == 1);
        assertTrue(server.cancel(false));
        Await.until("the handshake thread is back in the pool", Duration.ofSeconds(3),
                () -> executor.getActiveCount() == 0);
        // a ClientHello-looking datagram now goes nowhere (nobody queues it)
        stranger.send(buffer(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0}));
        Await.until("datagram at B", TIMEOUT, () -> b.received.get() == 1);
        assertEquals(0, executor.getActiveCount());
        b.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        stranger.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void unknownFingerprintHashFunctionFailsAtOnce() throws Exception {
        UdpPath b = UdpPath.bind(group);
        CompletionStage<SrtpTransport> bad = SrtpTransport.handshake(b, DtlsRole.SERVER, certB, "md5",
                certA.fingerprint(), executor, TIMEOUT);
        assertTrue(bad.toCompletableFuture().isDone());
        assertEquals(SrtpHandshakeException.Reason.FINGERPRINT_MISMATCH, failure(bad).reason());
        b.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static SrtpHandshakeException failure(CompletionStage<SrtpTransport> stage) throws Exception {
        try {
            SrtpTransport t = stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
            t.closeAsync();
            fail("the handshake succeeded");
            return null;
        } catch (ExecutionException e) {
            return assertInstanceOf(SrtpHandshakeException.class, e.getCause());
        }
    }

    private static byte[] rtp(int seq, int ssrc, byte[] payload) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.heapBuffer();
        try {
            b.writeByte(0x80).writeByte(111).writeShort(seq).writeInt(seq * 960).writeInt(ssrc).writeBytes(payload);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static ByteBuf buffer(byte[] bytes) {
        return PooledByteBufAllocator.DEFAULT.buffer(bytes.length + 32).writeBytes(bytes);
    }

    /** Copies what it receives (the buffers are only borrowed). */
    private static final class Recorder implements MediaReceiver {
        final ConcurrentLinkedQueue<byte[]> rtp = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<byte[]> rtcp = new ConcurrentLinkedQueue<>();

        @Override
        public void onRtp(ByteBuf buf, int offset, int length, long arrivalNanos) {
            rtp.add(ByteBufUtil.getBytes(buf, offset, length));
        }

        @Override
        public void onRtcp(ByteBuf buf, int offset, int length, long arrivalNanos) {
            rtcp.add(ByteBufUtil.getBytes(buf, offset, length));
        }
    }
}
