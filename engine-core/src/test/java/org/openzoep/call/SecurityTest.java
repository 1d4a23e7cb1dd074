package org.openzoep.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.Account;
import org.openzoep.AccountSettings;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.ZoepEngine;
import org.openzoep.media.codec.g711.G711;
import org.openzoep.media.testsupport.AudioFixtures;
import org.openzoep.media.testsupport.Await;
import org.openzoep.xmpp.jingle.Action;
import org.openzoep.xmpp.jingle.Candidate;
import org.openzoep.xmpp.jingle.Content;
import org.openzoep.xmpp.jingle.IceUdpTransport;
import org.openzoep.xmpp.jingle.Jingle;
import org.openzoep.xmpp.jingle.JingleMessage;
import org.openzoep.xmpp.jingle.JingleNamespaces;
import org.openzoep.xmpp.jingle.PayloadType;
import org.openzoep.xmpp.jingle.Reason;
import org.openzoep.xmpp.jingle.RtpDescription;
import org.openzoep.xmpp.session.XmppClient;
import org.openzoep.xmpp.session.XmppException;
import org.openzoep.xmpp.session.XmppSession;
import org.openzoep.xmpp.session.XmppSessionConfig;
import org.openzoep.xmpp.session.XmppSessionListener;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.tls.TlsMode;

/**
 * Media security on a real call: the packets on the loopback wire (captured with tcpdump) are SRTP
 * whose payloads do not carry the speech, and a peer that offers media without a DTLS fingerprint
 * is refused.
 */
class SecurityTest {
    static ProsodyServer prosody;
    static ZoepEngine engine;

    @BeforeAll
    static void start() throws Exception {
        prosody = ProsodyServer.builder().account("alice", "alice-pw").account("bob", "bob-pw")
                .account("mallory", "mallory-pw").start();
        engine = CallRig.engine().setupTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        CallRig.close(engine, prosody);
    }


    @Test
    void thePacketsOnTheWireAreSrtpAndCarryNoSpeech() throws Exception {
        Path dir = Files.createTempDirectory("zoep-wire");
        Path pcap = dir.resolve("call.pcap");
        Process tcpdump = new ProcessBuilder("tcpdump", "-i", "lo", "-U", "-n", "-w", pcap.toString(), "udp")
                .redirectErrorStream(true).redirectOutput(dir.resolve("tcpdump.log").toFile()).start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(dir.resolve("tcpdump.log")).contains("listening on")) {
                assertThat(tcpdump.isAlive()).as("tcpdump (Debian package tcpdump) runs: %s",
                        Files.readString(dir.resolve("tcpdump.log"))).isTrue();
                assertThat(System.nanoTime()).as("tcpdump listening within 10 s").isLessThan(until);
                Thread.sleep(50);
            }
            List<AccountSettings.Codec> pcmu = List.of(new AccountSettings.Codec("pcmu", null, null, null, null, null));
            CallEvents ae = new CallEvents();
            CallEvents be = new CallEvents();
            java.util.function.UnaryOperator<AccountSettings> onlyPcmu = st -> st.withMedia(st.audio(), pcmu, List.of(),
                    List.of(), null);
            Account alice = CallRig.online(engine, ae, prosody, "alice", "wire", onlyPcmu);
            Account bob = CallRig.online(engine, be, prosody, "bob", "wire", onlyPcmu);
            short[] speech = AudioFixtures.speech(48000);
            PcmSource voice = new PcmSource(Arrays.copyOf(speech, 48000 * 3));
            Call call = alice.call(bob.jid(), CallAudio.of(voice, null)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            be.next(CallEvent.Kind.INCOMING, 10).call().answer();
            ae.next(CallEvent.Kind.JOINED, 15);
            Call bobCall = be.next(CallEvent.Kind.JOINED, 15).call();
            // 3 s of speech is 150 packets of 20 ms
            Await.until("the speech crossed the call", Duration.ofSeconds(20),
                    () -> voice.finished() && bobCall.stats().packetsReceived() >= 145);
            assertThat(call.stats().codec()).isEqualTo("PCMU/8000");
            assertThat(bobCall.stats().packetsReceived()).isGreaterThan(100);
            assertThat(bobCall.stats().srtpAuthFailures()).isZero();
            call.hangup();
            ae.next(CallEvent.Kind.ENDED, 10);
            engine.unregisterAccount(alice);
            engine.unregisterAccount(bob);
        } finally {
            Thread.sleep(300);
            tcpdump.destroy();
            tcpdump.waitFor(5, TimeUnit.SECONDS);
        }

        List<byte[]> rtp = new ArrayList<>();
        for (byte[] udp : udpPayloads(pcap)) {
            int b0 = udp[0] & 0xff;
            int pt = udp.length > 1 ? udp[1] & 0x7f : -1;
            if (b0 >= 128 && b0 <= 191 && pt == 0) {
                rtp.add(udp);
            }
        }
        assertThat(rtp.size()).as("PCMU RTP packets captured").isGreaterThan(100);
        int[] histogram = new int[256];
        long bytes = 0;
        List<short[]> asIfPlain = new ArrayList<>();
        for (byte[] p : rtp) {
            // 12-byte header (no CSRC; a header extension would add more), 160 bytes of 20 ms PCMU, 10-byte SRTP tag
            int headerLength = 12 + ((p[0] & 0x10) != 0 ? 4 + 4 * (((p[14] & 0xff) << 8) | (p[15] & 0xff)) : 0);
            assertThat(p.length - headerLength).as("payload + SRTP auth tag").isEqualTo(160 + 10);
            short[] pcm = new short[160];
            for (int i = 0; i < 160; i++) {
                int b = p[headerLength + i] & 0xff;
                histogram[b]++;
                bytes++;
                pcm[i] = G711.ulawToLinear(b);
            }
            asIfPlain.add(pcm);
        }
        // plaintext mu-law speech piles up near silence codes; SRTP's keystream spreads every byte value evenly
        double expected = bytes / 256.0;
        int max = Arrays.stream(histogram).max().orElse(0);
        assertThat(max).as("largest byte-value count against a uniform %.0f", expected).isLessThan((int) (expected * 2));
        short[] narrow = AudioFixtures.concat(asIfPlain);
        short[] speech8k = org.openzoep.media.codec.Resampler.resampleAll(Arrays.copyOf(AudioFixtures.speech(48000),
                48000 * 3), 48000, 8000);
        double c = Math.abs(Similarity.correlation(speech8k, narrow, 8000));
        assertThat(c).as("correlation of the speech with the payloads read as plain mu-law").isLessThan(0.2);
    }

    /** The UDP payloads of an Ethernet/IPv4 pcap (loopback on Linux is written as Ethernet). */
    static List<byte[]> udpPayloads(Path pcap) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pcap)) {
            DataInputStream d = new DataInputStream(in);
            byte[] global = d.readNBytes(24);
            ByteOrder order = (global[0] & 0xff) == 0xd4 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            int link = ByteBuffer.wrap(global, 20, 4).order(order).getInt();
            assertThat(link).as("pcap link type (1 = Ethernet)").isEqualTo(1);
            while (true) {
                byte[] rec = d.readNBytes(16);
                if (rec.length < 16) {
                    break;
                }
                int caplen = ByteBuffer.wrap(rec, 8, 4).order(order).getInt();
                byte[] frame = d.readNBytes(caplen);
                if (frame.length < caplen) {
                    break;
                }
                if (frame.length < 14 + 20 + 8 || (frame[12] & 0xff) != 0x08 || frame[13] != 0x00) {
                    continue;
                }
                int ihl = (frame[14] & 0x0f) * 4;
                if ((frame[14 + 9] & 0xff) != 17) {
                    continue;
                }
                int udp = 14 + ihl;
                int len = (((frame[udp + 4] & 0xff) << 8) | (frame[udp + 5] & 0xff)) - 8;
                if (udp + 8 + len <= frame.length && len > 0) {
                    out.add(Arrays.copyOfRange(frame, udp + 8, udp + 8 + len));
                }
            }
        } catch (EOFException e) {
            // a capture cut short ends the list
        }
        return out;
    }

    /** A client that speaks Jingle without DTLS: the engine must refuse its media. */
    @Test
    void anOfferWithoutAFingerprintIsRefused() throws Exception {
        CallEvents be = new CallEvents();
        Account bob = CallRig.online(engine, be, prosody, "bob", "wire");
        BlockingQueue<Stanza> rogueInbox = new LinkedBlockingQueue<>();
        XmppClient client = XmppClient.builder().threads(1).build();
        try {
            Jid malloryJid = Jid.parse("mallory@" + prosody.domain() + "/rogue");
            XmppSession mallory = client.connect(XmppSessionConfig.builder(malloryJid, "mallory-pw")
                    .host(prosody.host()).port(prosody.port()).tlsMode(TlsMode.STARTTLS)
                    .trustStorePem(prosody.caCertificate()).build(), new XmppSessionListener() {
                        @Override
                        public void onStanza(XmppSession s, Stanza stanza) {
                            rogueInbox.add(stanza);
                        }

                        @Override
                        public void onIqRequest(XmppSession s, Stanza iq) {
                            rogueInbox.add(iq);
                            s.send(iq.result());
                        }

                        @Override
                        public void onClosed(XmppSession s, XmppException cause) {
                        }
                    }, Executors.newSingleThreadExecutor()).toCompletableFuture().get(20, TimeUnit.SECONDS);
            mallory.send(Stanza.presence().build());
            String sid = "insecure-" + System.nanoTime();
            mallory.send(JingleMessage.proposeAudio(sid).toMessage(bob.jid(), sid));
            be.next(CallEvent.Kind.INCOMING, 10).call().answer();
            Stanza proceed = poll(rogueInbox, s -> s.kind() == Stanza.Kind.MESSAGE
                    && s.element().child("proceed", JingleNamespaces.JMI) != null);
            assertThat(proceed.from()).isEqualTo(bob.jid());
            Jingle initiate = new Jingle(Action.SESSION_INITIATE, sid, malloryJid, null, List.of(new Content("initiator",
                    "voice", "both", new RtpDescription("audio", null, List.of(new PayloadType(111, "opus", 48000, 2,
                            Map.of())), true),
                    new IceUdpTransport("ufrag", "passwordpasswordpassword", null, List.of(new Candidate(1, "1", 0,
                            "c1", "127.0.0.1", 0, 9, 2130706431L, "udp", "host", null, null))))), null, null);
            Stanza ack = mallory.request(Stanza.iq("set").to(bob.jid()).id("si1").child(initiate.toXml()).build())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(ack.type()).isEqualTo("result");
            Stanza terminate = poll(rogueInbox, s -> s.kind() == Stanza.Kind.IQ && s.payload() != null
                    && "session-terminate".equals(s.payload().attr("action")));
            Jingle t = Jingle.parse(terminate.payload());
            assertThat(t.sid()).isEqualTo(sid);
            assertThat(t.reason().condition()).isEqualTo(Reason.Condition.SECURITY_ERROR);
            CallEnd end = be.next(CallEvent.Kind.ENDED, 10).event().end();
            assertThat(end.reason()).isEqualTo(CallEnd.Reason.INSECURE);
            assertThat(end.text()).contains("fingerprint");
            mallory.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            client.close();
            engine.unregisterAccount(bob);
        }
    }

    static Stanza poll(BlockingQueue<Stanza> q, java.util.function.Predicate<Stanza> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Stanza s = q.poll(100, TimeUnit.MILLISECONDS);
            if (s != null && p.test(s)) {
                return s;
            }
        }
        throw new AssertionError("no matching stanza within 15 s");
    }
}
