package org.openzoep.media.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openzoep.media.clock.FrameClock;
import org.openzoep.media.description.Answer;
import org.openzoep.media.description.Direction;
import org.openzoep.media.description.DtlsSetup;
import org.openzoep.media.description.MediaDescription;
import org.openzoep.media.description.Negotiated;
import org.openzoep.media.description.NegotiationPolicy;
import org.openzoep.media.description.OfferAnswer;
import org.openzoep.media.description.PayloadFormat;
import org.openzoep.media.description.Security;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioSink;
import org.openzoep.media.device.AudioSource;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.media.session.Conference;
import org.openzoep.media.srtp.DtlsCertificate;
import org.openzoep.media.testsupport.AudioFixtures;
import org.openzoep.media.testsupport.Await;

/**
 * Two media paths calling each other on 127.0.0.1: offer and answer by {@link OfferAnswer}, ICE
 * with host candidates (or plain UDP), real DTLS-SRTP (or SDES, or plain RTP), real codecs, each
 * conference on a real {@link FrameClock} with a tone of its own; each end must hear the other's
 * tone. Netty's leak detection is at paranoid level (see LeakCheck).
 */
class MediaPathTest {
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static final int PERIOD = AudioDevice.FRAME_SAMPLES;
    private static EventLoopGroup group;
    private static ExecutorService dtls;
    private static DtlsCertificate certA;
    private static DtlsCertificate certB;
    private static DtlsCertificate certC;
    private static FrameClock clock;

    @BeforeAll
    static void setUp() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        dtls = Executors.newFixedThreadPool(4);
        certA = DtlsCertificate.generate();
        certB = DtlsCertificate.generate();
        certC = DtlsCertificate.generate();
        clock = new FrameClock(1, 20, "t-path-");
    }

    @AfterAll
    static void tearDown() {
        clock.close();
        dtls.shutdown();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static MediaResources resources(DtlsCertificate cert) throws Exception {
        return new MediaResources(group, NioDatagramChannel.class, cert, dtls, dtls, 4,
                List.of(InetAddress.getByName("127.0.0.1")), true);
    }

    /** Records a path's events; trickles its candidates to the other end. */
    static final class Events implements MediaPath.Listener {
        final CompletableFuture<String> connected = new CompletableFuture<>();
        final CompletableFuture<Void> media = new CompletableFuture<>();
        final CompletableFuture<String> failed = new CompletableFuture<>();
        final List<Integer> dtmf = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile MediaPath peer;

        @Override
        public void onLocalCandidate(IceCandidate c) {
            MediaPath p = peer;
            if (p != null) {
                p.remoteCandidate(c);
            }
        }

        @Override
        public void onConnected(String localType, String remoteType) {
            threads.add(Thread.currentThread().getName());
            connected.complete(localType + "/" + remoteType);
        }

        @Override
        public void onMediaStarted() {
            threads.add(Thread.currentThread().getName());
            media.complete(null);
        }

        @Override
        public void onFailed(MediaPath.PathFailure failure, String text) {
            failed.complete(failure + ": " + text);
        }

        @Override
        public void onDtmf(int event) {
            dtmf.add(event);
        }
    }

    /** One end: a path, its conference on the clock with a tone, and what it hears. */
    static final class End {
        final MediaPath path;
        final Conference conference = new Conference(2, 960);
        final Events events = new Events();
        final short[] heard = new short[48000];
        final AtomicInteger heardPos = new AtomicInteger();
        final AtomicInteger tonePos = new AtomicInteger();
        final short[] tone;
        FrameClock.Attachment attachment;

        End(DtlsCertificate cert, boolean controlling, boolean ice, double freq) throws Exception {
            tone = AudioFixtures.tone(48000, freq, 8000, 48000);
            path = MediaPath.create(resources(cert), new PathOptions(controlling, List.of(), null, "end@test", ice),
                    conference, events);
        }

        void attach() {
            AudioSource src = (frame, off) -> {
                int p = tonePos.getAndAdd(PERIOD) % tone.length;
                System.arraycopy(tone, p, frame, off, PERIOD);
                return PERIOD;
            };
            AudioSink sink = (frame, off) -> {
                int p = heardPos.get();
                if (p + PERIOD <= heard.length) {
                    System.arraycopy(frame, off, heard, p, PERIOD);
                    heardPos.set(p + PERIOD);
                }
                return PERIOD;
            };
            attachment = clock.attach(conference, src, sink);
        }

        void listen() {
            heardPos.set(0);
        }

        boolean heardEnough() {
            return heardPos.get() + PERIOD > heard.length;
        }

        List<InetSocketAddress> sockets() {
            List<InetSocketAddress> out = new ArrayList<>();
            if (path.localIce() != null) {
                for (IceCandidate c : path.localIce().candidates()) {
                    out.add(c.address());
                }
            } else {
                out.add(path.localConnection());
            }
            return out;
        }

        void close() throws Exception {
            if (attachment != null) {
                attachment.close();
            }
            List<InetSocketAddress> s = sockets();
            path.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(0, conference.size(), "the member left the conference");
            for (InetSocketAddress a : s) {
                // NIO frees a closed channel's socket when its selector next runs: allow a moment
                Await.until("socket " + a + " released", TIMEOUT, () -> {
                    try (DatagramSocket free = new DatagramSocket(a)) {
                        return free.getLocalPort() == a.getPort();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                });
            }
        }
    }

    enum Sec { DTLS, SDES, PLAIN }

    record Call(End a, End b, Negotiated offerer, Negotiated answerer) {
        void close() throws Exception {
            a.close();
            b.close();
        }
    }

    static Security local(End e, Sec sec, boolean offer) {
        return switch (sec) {
            case DTLS -> e.path.localDtls(offer ? DtlsSetup.ACTPASS : null);
            case SDES -> e.path.localSdes();
            case PLAIN -> new Security.Plain();
        };
    }

    /**
     * Sets up a call: B (the answerer) starts before its transport connects; A (the offerer) gets
     * B's ICE first and starts only once ICE has connected, as when a fingerprint comes late.
     */
    static Call call(NegotiationPolicy policy, boolean ice, Sec sec) throws Exception {
        End a = new End(certA, true, ice, 440);
        End b = new End(certB, false, ice, 1000);
        a.events.peer = b.path;
        b.events.peer = a.path;
        a.path.open().toCompletableFuture().get(10, TimeUnit.SECONDS);
        b.path.open().toCompletableFuture().get(10, TimeUnit.SECONDS);
        a.attach();
        b.attach();
        MediaDescription offer = OfferAnswer.offer("voice", policy, a.path.localIce(), a.path.localConnection(),
                local(a, sec, true));
        Answer answer = OfferAnswer.answer(offer, policy, b.path.localIce(), b.path.localConnection(),
                local(b, sec, false));
        b.path.start(answer.negotiated());
        Negotiated na = OfferAnswer.complete(offer, answer.description(), policy);
        if (ice) {
            a.path.remoteIce(answer.description().ice());
            assertEquals("host/host", a.events.connected.get(10, TimeUnit.SECONDS));
            assertThat(a.events.media).as("no media before the negotiation is complete").isNotDone();
        }
        a.path.start(na);
        a.events.media.get(15, TimeUnit.SECONDS);
        b.events.media.get(15, TimeUnit.SECONDS);
        assertThat(a.events.failed).isNotDone();
        assertThat(b.events.failed).isNotDone();
        return new Call(a, b, na, answer.negotiated());
    }


    /** Each end hears the other's tone and not its own, over the last half second of a fresh second. */
    static void hearEachOther(Call c) throws InterruptedException {
        c.a().listen();
        c.b().listen();
        Await.until("a second of audio on both ends", TIMEOUT, () -> c.a().heardEnough() && c.b().heardEnough());
        assertThat(AudioFixtures.toneShare(c.b().heard, 24000, 440)).as("B hears A's 440 Hz; A %s; B %s, jitter %s, A sending %s",
                c.a().path.stats(), c.b().path.stats(), describe(c.b().path), c.a().path.session().sending())
                .isGreaterThan(0.5);
        assertThat(AudioFixtures.toneShare(c.b().heard, 24000, 1000)).as("B does not hear itself").isLessThan(0.05);
        assertThat(AudioFixtures.toneShare(c.a().heard, 24000, 1000)).as("A hears B's 1000 Hz").isGreaterThan(0.5);
        assertThat(AudioFixtures.toneShare(c.a().heard, 24000, 440)).as("A does not hear itself").isLessThan(0.05);
    }

    @ParameterizedTest
    @ValueSource(strings = {"opus", "pcmu"})
    void iceAndDtlsSrtpCarryEachEndsToneToTheOther(String codec) throws Exception {
        Call c = call(NegotiationPolicy.secure(codec), true, Sec.DTLS);
        try {
            hearEachOther(c);
            for (End e : List.of(c.a(), c.b())) {
                PathStats s = e.path.stats();
                assertThat(s.codec()).startsWithIgnoringCase(codec);
                assertThat(s.stream().packetsReceived()).isGreaterThan(40);
                assertEquals(0, s.srtpAuthFailures());
                assertEquals("host", s.localType());
                assertEquals("host", s.remoteType());
                assertThat(e.path.srtp().packetsUnprotected()).isGreaterThan(40);
                assertThat(e.events.threads).allSatisfy(t -> assertThat(t).doesNotStartWith("t-path-"));
            }
            assertThat(c.a().path.srtp().role()).isNotEqualTo(c.b().path.srtp().role());
            c.a().path.sendDtmf(5, 120);
            c.b().path.sendDtmf(11, 120);
            Await.until("DTMF both ways", TIMEOUT, () -> c.b().events.dtmf.contains(5) && c.a().events.dtmf.contains(11));
        } finally {
            c.close();
        }
        PathStats after = c.a().path.stats();
        assertThat(after.stream()).as("the last figures stay after close").isNotNull();
        assertThat(c.a().path.session()).isNull();
    }

    @Test
    void plainUdpPathToPath() throws Exception {
        NegotiationPolicy plain = new NegotiationPolicy(List.of("opus"), true, false);
        Call c = call(plain, false, Sec.PLAIN);
        try {
            assertEquals("udp/udp", c.a().events.connected.getNow(null));
            assertThat(c.a().path.localIce()).isNull();
            assertThat(c.a().path.srtp()).isNull();
            hearEachOther(c);
        } finally {
            c.close();
        }
    }

    @Test
    void sdesSrtpOverPlainUdp() throws Exception {
        NegotiationPolicy sdes = new NegotiationPolicy(List.of("pcma"), false, true);
        Call c = call(sdes, false, Sec.SDES);
        try {
            hearEachOther(c);
            assertThat(c.a().path.srtp().packetsProtected()).isGreaterThan(40);
            assertThat(c.b().path.srtp().packetsUnprotected()).isGreaterThan(40);
            assertEquals(0, c.b().path.srtp().authFailures());
            assertThat(c.a().path.srtp().role()).as("no DTLS").isNull();
        } finally {
            c.close();
        }
    }

    @Test
    void holdStopsSendingAndResumeRestarts() throws Exception {
        Call c = call(NegotiationPolicy.secure("opus"), true, Sec.DTLS);
        try {
            // A is held by B: A only receives (recvonly), B only sends (sendonly)
            c.a().path.update(c.offerer().withDirection(Direction.RECVONLY));
            c.b().path.update(c.answerer().withDirection(Direction.SENDONLY));
            // B keeps sending: its packets arriving at A are the clock. 10 let A's last ones land,
            // the next 20 (400 ms of audio) are the window in which A must send none
            long heardAtUpdate = c.a().path.srtp().packetsUnprotected();
            Await.until("10 packets of B at A", TIMEOUT, () -> c.a().path.srtp().packetsUnprotected() >= heardAtUpdate + 10);
            long before = c.b().path.srtp().packetsUnprotected();
            long heardBefore = c.a().path.srtp().packetsUnprotected();
            Await.until("20 more packets of B at A", TIMEOUT, () -> c.a().path.srtp().packetsUnprotected() >= heardBefore + 20);
            long during = c.b().path.srtp().packetsUnprotected() - before;
            // 400 ms of audio would be 20 packets; an RTCP report may pass
            assertThat(during).as("A sends no RTP while on hold").isLessThanOrEqualTo(1);
            c.a().listen();
            Await.until("A still hears B", TIMEOUT, () -> c.a().heardEnough());
            assertThat(AudioFixtures.toneShare(c.a().heard, 24000, 1000)).isGreaterThan(0.5);
            c.a().path.update(c.offerer());
            c.b().path.update(c.answerer());
            hearEachOther(c);
            assertEquals(0, c.a().path.srtp().replayed() + c.b().path.srtp().replayed());
        } finally {
            c.close();
        }
    }

    @Test
    void aReofferChangesTheCodecOnTheSameTransport() throws Exception {
        Call c = call(NegotiationPolicy.secure("opus", "pcmu"), true, Sec.DTLS);
        try {
            assertThat(c.a().path.stats().codec()).startsWith("opus");
            NegotiationPolicy g711 = NegotiationPolicy.secure("pcmu");
            MediaDescription offer = OfferAnswer.offer("voice", g711, c.a().path.localIce(), null,
                    c.a().path.localDtls(DtlsSetup.ACTPASS));
            Answer answer = OfferAnswer.answer(offer, g711, c.b().path.localIce(), null,
                    c.b().path.localDtls(null));
            c.b().path.update(answer.negotiated());
            c.a().path.update(OfferAnswer.complete(offer, answer.description(), g711));
            Await.until("PCMU on both ends", TIMEOUT, () -> c.a().path.session() != null && c.b().path.session() != null
                    && "PCMU/8000".equals(c.a().path.stats().codec()) && "PCMU/8000".equals(c.b().path.stats().codec()));
            assertEquals(1, c.a().conference.size());
            hearEachOther(c);
        } finally {
            c.close();
        }
    }

    /**
     * An answerer that renumbers dynamic types (RFC 4317 2.1 style): it lists Opus as 96 and
     * telephone-event as 97 where we offered 111 and 101. Each end sends with the other's numbers;
     * audio and DTMF must arrive both ways.
     */
    @Test
    void payloadNumbersThatDifferPerDirection() throws Exception {
        End a = new End(certA, true, true, 440);
        End b = new End(certB, false, true, 1000);
        a.events.peer = b.path;
        b.events.peer = a.path;
        try {
            a.path.open().toCompletableFuture().get(10, TimeUnit.SECONDS);
            b.path.open().toCompletableFuture().get(10, TimeUnit.SECONDS);
            a.attach();
            b.attach();
            NegotiationPolicy p = NegotiationPolicy.secure("opus");
            MediaDescription offer = OfferAnswer.offer("voice", p, a.path.localIce(), null,
                    a.path.localDtls(DtlsSetup.ACTPASS));
            Answer ours = OfferAnswer.answer(offer, p, b.path.localIce(), null, b.path.localDtls(null));
            MediaDescription d = ours.description();
            PayloadFormat opus96 = new PayloadFormat(96, "opus", 48000, 2, d.formats().get(0).parameters());
            PayloadFormat te97 = new PayloadFormat(97, "telephone-event", 48000, 1, java.util.Map.of("events", "0-15"));
            MediaDescription renumbered = new MediaDescription(d.mid(), d.media(), List.of(opus96, te97), d.rtcpMux(),
                    d.direction(), d.ice(), d.connection(), d.security());
            Negotiated na = OfferAnswer.complete(offer, renumbered, p);
            assertEquals(96, na.codec().id());
            assertEquals(111, na.receivePayloadType());
            Negotiated g = ours.negotiated();
            Negotiated nb = new Negotiated(g.codec(), 96, g.telephoneEvent(), g.remoteSecurity(), g.dtlsRole(),
                    g.rtcpMux(), g.direction(), g.remoteIce(), g.remoteConnection(), 97);
            b.path.start(nb);
            a.path.start(na);
            a.events.media.get(15, TimeUnit.SECONDS);
            b.events.media.get(15, TimeUnit.SECONDS);
            hearEachOther(new Call(a, b, na, nb));
            a.path.sendDtmf(3, 120);
            b.path.sendDtmf(10, 120);
            Await.until("DTMF both ways", TIMEOUT, () -> b.events.dtmf.contains(3) && a.events.dtmf.contains(10));
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aWrongFingerprintFailsDtls() throws Exception {
        End a = new End(certA, true, true, 440);
        End b = new End(certB, false, true, 1000);
        a.events.peer = b.path;
        b.events.peer = a.path;
        try {
            a.path.open().toCompletableFuture().get(10, TimeUnit.SECONDS);
            b.path.open().toCompletableFuture().get(10, TimeUnit.SECONDS);
            NegotiationPolicy p = NegotiationPolicy.secure("opus");
            MediaDescription offer = OfferAnswer.offer("voice", p, a.path.localIce(), null,
                    a.path.localDtls(DtlsSetup.ACTPASS));
            Answer answer = OfferAnswer.answer(offer, p, b.path.localIce(), null, b.path.localDtls(null));
            Negotiated good = answer.negotiated();
            // B was told a fingerprint that is not A's certificate's
            Negotiated forged = new Negotiated(good.codec(), good.receivePayloadType(), good.telephoneEvent(),
                    new Security.Dtls("sha-256", certC.fingerprint(), DtlsSetup.ACTPASS), good.dtlsRole(),
                    good.rtcpMux(), good.direction(), good.remoteIce(), good.remoteConnection());
            b.path.start(forged);
            a.path.start(OfferAnswer.complete(offer, answer.description(), p));
            assertThat(b.events.failed.get(15, TimeUnit.SECONDS)).startsWith("DTLS_FAILED").contains("FINGERPRINT");
            assertThat(b.events.media).isNotDone();
            assertThat(b.path.session()).isNull();
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void closeBeforeAnythingAndTwice() throws Exception {
        End e = new End(certA, true, true, 440);
        e.path.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(e.path.open()).isNotNull();
        assertThat(e.path.localIce()).isNull();
        End f = new End(certA, true, true, 440);
        f.path.open().toCompletableFuture().get(10, TimeUnit.SECONDS);
        f.close();
        f.path.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(f.events.failed).isNotDone();
    }

    static String describe(MediaPath p) {
        org.openzoep.media.jitter.JitterBuffer jb = p.session().jitterBuffer();
        return "target " + jb.targetDelayMillis() + " ms, delay " + jb.currentDelayMillis() + " ms, underruns "
                + jb.underrunFrames() + ", concealed " + jb.concealedFrames() + ", receiving " + p.session().receiving();
    }

}
