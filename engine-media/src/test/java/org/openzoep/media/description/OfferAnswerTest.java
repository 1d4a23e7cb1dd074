package org.openzoep.media.description;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openzoep.media.description.NegotiationException.Failure;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.media.srtp.DtlsRole;

/**
 * Offer/answer, table-driven: each row is an offer (or an offer and an answer) and what must come
 * of it. The offers follow RFC 3264 sections 6-8 and 10, the examples of RFC 4317 and XEP-0167
 * (payload types as in its "Initiation" example), written in the description model.
 */
class OfferAnswerTest {

    // ------------------------------------------------------------------ fixtures

    static final String FP_A = "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";
    static final String FP_B = "11:22:33:44:55:66:77:88:99:00:AA:BB:CC:DD:EE:FF:11:22:33:44:55:66:77:88:99:00:AA:BB:CC:DD:EE:FF";

    static final IceParameters ICE_OFFER = new IceParameters("8hhy", "asd88fgpdd777uzjYhagZg", List.of(
            new IceCandidate("1", 1, "udp", 2130706431L, new InetSocketAddress("10.0.1.1", 8998),
                    IceCandidate.Type.HOST, null, 0),
            new IceCandidate("2", 1, "udp", 1694498815L, new InetSocketAddress("192.0.2.3", 45664),
                    IceCandidate.Type.SRFLX, new InetSocketAddress("10.0.1.1", 8998), 0)));
    static final IceParameters ICE_ANSWER = new IceParameters("9uB6", "YH75Fviy6338Vbrhrlp8Yh", List.of());
    static final InetSocketAddress ALICE = new InetSocketAddress("192.0.2.101", 49170);
    static final InetSocketAddress BOB = new InetSocketAddress("192.0.2.102", 49174);

    static final NegotiationPolicy ALL = NegotiationPolicy.secure("opus", "pcmu", "pcma");
    static final NegotiationPolicy OPUS_ONLY = NegotiationPolicy.secure("opus");
    static final NegotiationPolicy G711 = NegotiationPolicy.secure("pcmu", "pcma");
    static final NegotiationPolicy PCMA_ONLY = NegotiationPolicy.secure("pcma");
    static final NegotiationPolicy PLAIN = new NegotiationPolicy(List.of("opus", "pcmu", "pcma"), true, false);
    static final NegotiationPolicy SDES = new NegotiationPolicy(List.of("opus", "pcmu", "pcma"), false, true);

    static Security.Dtls dtls(String fp, DtlsSetup setup) {
        return new Security.Dtls("sha-256", fp, setup);
    }

    static final Security.Dtls MY_DTLS = dtls(FP_B, null);
    static final Security.Sdes MY_SDES = new Security.Sdes(List.of(new SdesCrypto(1, "AES_CM_128_HMAC_SHA1_80",
            "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz", null)));

    static PayloadFormat pf(int id, String name, int rate) {
        return new PayloadFormat(id, name, rate, 1, Map.of());
    }

    static PayloadFormat pf(int id, String name, int rate, int channels) {
        return new PayloadFormat(id, name, rate, channels, Map.of());
    }

    static PayloadFormat opus(int id) {
        return new PayloadFormat(id, "opus", 48000, 2, Map.of("useinbandfec", "1"));
    }

    static PayloadFormat te(int id, int rate) {
        return pf(id, "telephone-event", rate);
    }

    /** An ICE offer with DTLS actpass. */
    static MediaDescription iceOffer(Direction d, PayloadFormat... formats) {
        return new MediaDescription("voice", "audio", List.of(formats), true, d, ICE_OFFER, null,
                dtls(FP_A, DtlsSetup.ACTPASS));
    }

    static MediaDescription iceOffer(PayloadFormat... formats) {
        return iceOffer(Direction.SENDRECV, formats);
    }

    /** A SIP-style offer without ICE, to a fixed address. */
    static MediaDescription plainOffer(Security s, PayloadFormat... formats) {
        return new MediaDescription(null, "audio", List.of(formats), false, Direction.SENDRECV, null, ALICE, s);
    }

    static MediaDescription withSecurity(MediaDescription m, Security s) {
        return new MediaDescription(m.mid(), m.media(), m.formats(), m.rtcpMux(), m.direction(), m.ice(),
                m.connection(), s);
    }

    // ------------------------------------------------------------------ the answerer

    /**
     * One row: the offer, our policy and wish, then either the failure or the answer's codec (name,
     * PT), telephone-event PT (-1: none), our direction, DTLS role and answered setup.
     */
    record AnswerRow(String name, MediaDescription offer, NegotiationPolicy policy, Security local,
            Direction wanted, Failure failure, String codec, int pt, int eventPt, Direction direction,
            DtlsRole role, DtlsSetup setup) {
        @Override
        public String toString() {
            return name;
        }
    }

    static AnswerRow ok(String name, MediaDescription offer, NegotiationPolicy policy, String codec, int pt,
            int eventPt, Direction direction, DtlsRole role, DtlsSetup setup) {
        return new AnswerRow(name, offer, policy, MY_DTLS, Direction.SENDRECV, null, codec, pt, eventPt, direction,
                role, setup);
    }

    static AnswerRow fails(String name, MediaDescription offer, NegotiationPolicy policy, Security local,
            Failure failure) {
        return new AnswerRow(name, offer, policy, local, Direction.SENDRECV, failure, null, -1, -1, null, null, null);
    }

    static Stream<AnswerRow> answers() {
        // XEP-0167 "Initiation": no fingerprint in the transport, PCMU and G729 without a clock rate
        MediaDescription xep0167 = withSecurity(iceOffer(pf(96, "speex", 16000), pf(97, "speex", 8000),
                pf(18, "G729", 0), pf(0, "PCMU", 0), pf(103, "L16", 16000, 2), pf(98, "x-ISAC", 8000)),
                new Security.Plain());
        MediaDescription ours = OfferAnswer.offer("voice", ALL, ICE_OFFER, null, dtls(FP_A, null));
        return Stream.of(
                // codec intersection: the offerer's order wins, restricted to what we allow
                ok("our own offer, all codecs: Opus 111 and telephone-event 101/48000", ours, ALL, "opus", 111, 101,
                        Direction.SENDRECV, DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                ok("our own offer to a PCMU/PCMA-only answerer: PCMU 0 with telephone-event 126/8000", ours, G711,
                        "PCMU", 0, 126, Direction.SENDRECV, DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                ok("PCMA only: PCMA 8, telephone-event at 8000", ours, PCMA_ONLY, "PCMA", 8, 126,
                        Direction.SENDRECV, DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                ok("offerer's order wins over ours (PCMA before PCMU offered)",
                        iceOffer(pf(8, "PCMA", 8000), pf(0, "PCMU", 8000)), G711, "PCMA", 8, -1,
                        Direction.SENDRECV, DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                ok("XEP-0167 Initiation example: speex, G729 skipped, PCMU 0 without a clock rate",
                        withSecurity(xep0167, dtls(FP_A, DtlsSetup.ACTPASS)), ALL, "PCMU", 0, -1, Direction.SENDRECV,
                        DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                fails("XEP-0167 Initiation example with Opus only allowed: no common codec",
                        withSecurity(xep0167, dtls(FP_A, DtlsSetup.ACTPASS)), OPUS_ONLY, MY_DTLS,
                        Failure.NO_COMMON_CODEC),
                ok("RFC 3551 static types by number only: 0 without a name is PCMU",
                        iceOffer(pf(0, null, 8000), pf(8, "", 8000)), ALL, "PCMU", 0, -1, Direction.SENDRECV,
                        DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                ok("static 8 without a name is PCMA", iceOffer(pf(8, null, 8000)), ALL, "PCMA", 8, -1,
                        Direction.SENDRECV, DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                ok("Opus at a dynamic number other than ours keeps the offerer's number (RFC 3264 6.1)",
                        iceOffer(opus(96), te(97, 48000), te(98, 8000)), ALL, "opus", 96, 97, Direction.SENDRECV,
                        DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                ok("Opus not at 48000 is not Opus (RFC 7587): falls through to PCMU",
                        iceOffer(pf(96, "opus", 16000, 2), pf(0, "PCMU", 8000), te(101, 8000)), ALL, "PCMU", 0, 101,
                        Direction.SENDRECV, DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                fails("Opus at 16000 only: no common codec", iceOffer(pf(96, "opus", 16000, 2)), OPUS_ONLY, MY_DTLS,
                        Failure.NO_COMMON_CODEC),
                ok("telephone-event follows the chosen codec's rate: PCMU gets 8000, not 48000",
                        iceOffer(pf(0, "PCMU", 8000), te(101, 48000), te(100, 8000)), ALL, "PCMU", 0, 100,
                        Direction.SENDRECV, DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                ok("telephone-event only at another rate than the codec's: none",
                        iceOffer(opus(111), te(126, 8000)), ALL, "opus", 111, -1, Direction.SENDRECV, DtlsRole.CLIENT,
                        DtlsSetup.ACTIVE),
                fails("only telephone-event offered: no codec", iceOffer(te(101, 8000)), ALL, MY_DTLS,
                        Failure.NO_COMMON_CODEC),
                // direction (RFC 3264 6.1; RFC 4317 3.1 hold and unhold)
                ok("hold: sendonly is answered recvonly", iceOffer(Direction.SENDONLY, opus(111)), ALL, "opus", 111,
                        -1, Direction.RECVONLY, DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                ok("recvonly is answered sendonly", iceOffer(Direction.RECVONLY, opus(111)), ALL, "opus", 111, -1,
                        Direction.SENDONLY, DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                ok("inactive is answered inactive", iceOffer(Direction.INACTIVE, opus(111)), ALL, "opus", 111, -1,
                        Direction.INACTIVE, DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                new AnswerRow("we hold while answering sendrecv: sendonly", iceOffer(opus(111)), ALL, MY_DTLS,
                        Direction.SENDONLY, null, "opus", 111, -1, Direction.SENDONLY, DtlsRole.CLIENT,
                        DtlsSetup.ACTIVE),
                new AnswerRow("we hold while the offerer holds: inactive", iceOffer(Direction.SENDONLY, opus(111)),
                        ALL, MY_DTLS, Direction.SENDONLY, null, "opus", 111, -1, Direction.INACTIVE, DtlsRole.CLIENT,
                        DtlsSetup.ACTIVE),
                // DTLS setup role (RFC 5763 section 5, XEP-0320)
                ok("setup active in the offer: we are passive, the DTLS server",
                        withSecurity(iceOffer(opus(111)), dtls(FP_A, DtlsSetup.ACTIVE)), ALL, "opus", 111, -1,
                        Direction.SENDRECV, DtlsRole.SERVER, DtlsSetup.PASSIVE),
                ok("setup passive in the offer: we are active, the DTLS client",
                        withSecurity(iceOffer(opus(111)), dtls(FP_A, DtlsSetup.PASSIVE)), ALL, "opus", 111, -1,
                        Direction.SENDRECV, DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                ok("no setup in the offer reads as actpass: we are active",
                        withSecurity(iceOffer(opus(111)), dtls(FP_A, null)), ALL, "opus", 111, -1, Direction.SENDRECV,
                        DtlsRole.CLIENT, DtlsSetup.ACTIVE),
                fails("setup holdconn is not supported", withSecurity(iceOffer(opus(111)),
                        dtls(FP_A, DtlsSetup.HOLDCONN)), ALL, MY_DTLS, Failure.INSECURE),
                // security
                fails("no fingerprint: insecure", withSecurity(iceOffer(opus(111)), dtls(null, DtlsSetup.ACTPASS)),
                        ALL, MY_DTLS, Failure.INSECURE),
                fails("XEP-0167 example as is (no fingerprint): insecure", xep0167, ALL, MY_DTLS,
                        Failure.INSECURE),
                new AnswerRow("XEP-0167 example as is where plain RTP is allowed: PCMU over plain RTP", xep0167,
                        PLAIN, new Security.Plain(), Direction.SENDRECV, null, "PCMU", 0, -1, Direction.SENDRECV, null,
                        null),
                new AnswerRow("no fingerprint where plain RTP is allowed: plain",
                        withSecurity(iceOffer(opus(111)), dtls(null, DtlsSetup.ACTPASS)), PLAIN, new Security.Plain(),
                        Direction.SENDRECV, null, "opus", 111, -1, Direction.SENDRECV, null, null),
                new AnswerRow("SIP RTP/AVP offer where plain is allowed",
                        plainOffer(new Security.Plain(), pf(0, null, 8000), te(101, 8000)), PLAIN,
                        new Security.Plain(), Direction.SENDRECV, null, "PCMU", 0, 101, Direction.SENDRECV, null, null),
                fails("SIP RTP/AVP offer, plain not allowed", plainOffer(new Security.Plain(), pf(0, null, 8000)),
                        ALL, new Security.Plain(), Failure.INSECURE),
                fails("SDES offer, SDES not allowed", plainOffer(MY_SDES, pf(0, "PCMU", 8000)), ALL, MY_SDES,
                        Failure.INSECURE),
                new AnswerRow("SDES offer, SDES allowed", plainOffer(MY_SDES, pf(0, "PCMU", 8000)), SDES, MY_SDES,
                        Direction.SENDRECV, null, "PCMU", 0, -1, Direction.SENDRECV, null, null),
                fails("SDES offer with only an unknown suite", plainOffer(new Security.Sdes(List.of(
                        new SdesCrypto(1, "AEAD_AES_256_GCM", "inline:xyz", null))), pf(0, "PCMU", 8000)), SDES,
                        MY_SDES, Failure.INSECURE),
                fails("DTLS offer, but we only have SDES keys", iceOffer(opus(111)), SDES, MY_SDES, Failure.INSECURE),
                // not audio, rejected, no transport
                fails("video only: no audio", new MediaDescription("webcam", "video", List.of(pf(98, "theora", 90000)),
                        true, Direction.SENDRECV, ICE_OFFER, null, dtls(FP_A, DtlsSetup.ACTPASS)), ALL, MY_DTLS,
                        Failure.NO_AUDIO),
                fails("audio disabled by the offerer (port 0)", new MediaDescription(null, "audio",
                        List.of(pf(0, "PCMU", 8000)), false, Direction.SENDRECV, null, new InetSocketAddress(
                                "192.0.2.101", 0), new Security.Plain()), PLAIN, new Security.Plain(),
                        Failure.NO_AUDIO),
                fails("neither ICE nor an address", new MediaDescription("voice", "audio", List.of(opus(111)), true,
                        Direction.SENDRECV, null, null, dtls(FP_A, DtlsSetup.ACTPASS)), ALL, MY_DTLS,
                        Failure.NO_AUDIO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void answersAnOffer(AnswerRow row) throws NegotiationException {
        boolean ice = row.offer().ice() != null;
        if (row.failure() != null) {
            assertThatThrownBy(() -> OfferAnswer.answer(row.offer(), row.policy(), ice ? ICE_ANSWER : null,
                    ice ? null : BOB, row.local(), row.wanted()))
                    .isInstanceOfSatisfying(NegotiationException.class, e -> {
                        assertEquals(row.failure(), e.failure(), e.getMessage());
                        assertThat(e.getMessage()).isNotBlank();
                    });
            return;
        }
        Answer a = OfferAnswer.answer(row.offer(), row.policy(), ice ? ICE_ANSWER : null, ice ? null : BOB,
                row.local(), row.wanted());
        Negotiated n = a.negotiated();
        assertThat(n.codec().name()).isEqualToIgnoringCase(row.codec());
        assertEquals(row.pt(), n.codec().id(), "send PT");
        assertEquals(row.pt(), n.receivePayloadType(), "the answer keeps the offerer's number");
        assertEquals(row.eventPt(), n.telephoneEvent() == null ? -1 : n.telephoneEvent().id(), "telephone-event");
        assertEquals(row.eventPt(), n.receiveTelephoneEventPayloadType());
        if (n.telephoneEvent() != null) {
            assertEquals(n.codec().clockRate(), n.telephoneEvent().clockRate());
        }
        assertEquals(row.direction(), n.direction());
        assertEquals(row.role(), n.dtlsRole());

        MediaDescription d = a.description();
        assertEquals(row.offer().mid(), d.mid());
        assertEquals(row.direction(), d.direction());
        assertThat(d.formats()).first().satisfies(f -> {
            assertEquals(row.pt(), f.id());
            assertThat(f.name()).isEqualToIgnoringCase(row.codec());
        });
        assertEquals(row.eventPt() < 0 ? 1 : 2, d.formats().size(), "one codec, then telephone-event if any");
        if (row.setup() != null) {
            Security.Dtls sd = (Security.Dtls) d.security();
            assertEquals(row.setup(), sd.setup());
            assertEquals(FP_B, sd.fingerprint(), "our own fingerprint");
            assertThat(n.remoteSecurity()).isEqualTo(row.offer().security());
        } else if (row.local() instanceof Security.Sdes) {
            Security.Sdes s = (Security.Sdes) d.security();
            assertThat(s.crypto()).hasSize(1);
            assertEquals(1, s.crypto().get(0).tag(), "the chosen offered line's tag");
            assertEquals(MY_SDES.crypto().get(0).keyParams(), s.crypto().get(0).keyParams(), "our key");
        } else {
            assertThat(d.security()).isInstanceOf(Security.Plain.class);
            assertThat(n.remoteSecurity()).isInstanceOf(Security.Plain.class);
        }
        if (ice) {
            assertEquals(ICE_ANSWER, d.ice());
            assertEquals(ICE_OFFER, n.remoteIce());
            assertNull(n.remoteConnection());
            assertNull(d.connection());
        } else {
            assertEquals(BOB, d.connection());
            assertEquals(ALICE, n.remoteConnection());
            assertNull(n.remoteIce());
        }
    }

    // ------------------------------------------------------------------ the offerer, on the answer

    /**
     * One row: our offer, the peer's answer, our policy; then the failure, or the PT we send the
     * codec with, the PT we receive it with, the same two for telephone-event (-1: none), our
     * direction and DTLS role.
     */
    record CompleteRow(String name, MediaDescription offer, MediaDescription answer, NegotiationPolicy policy,
            Failure failure, String codec, int sendPt, int receivePt, int eventSend, int eventReceive,
            Direction direction, DtlsRole role) {
        @Override
        public String toString() {
            return name;
        }
    }

    static MediaDescription iceAnswer(Direction d, Security s, PayloadFormat... formats) {
        return new MediaDescription("voice", "audio", List.of(formats), true, d, ICE_ANSWER, null, s);
    }

    static MediaDescription iceAnswer(PayloadFormat... formats) {
        return iceAnswer(Direction.SENDRECV, dtls(FP_B, DtlsSetup.ACTIVE), formats);
    }

    static CompleteRow done(String name, MediaDescription offer, MediaDescription answer, String codec, int sendPt,
            int receivePt, int eventSend, int eventReceive, Direction direction, DtlsRole role) {
        return new CompleteRow(name, offer, answer, ALL, null, codec, sendPt, receivePt, eventSend, eventReceive,
                direction, role);
    }

    static CompleteRow refused(String name, MediaDescription offer, MediaDescription answer,
            NegotiationPolicy policy, Failure failure) {
        return new CompleteRow(name, offer, answer, policy, failure, null, -1, -1, -1, -1, null, null);
    }

    static Stream<CompleteRow> completions() {
        MediaDescription ours = OfferAnswer.offer("voice", ALL, ICE_OFFER, null, dtls(FP_A, null));
        MediaDescription hold = ours.withDirection(Direction.SENDONLY);
        MediaDescription sip = OfferAnswer.offer(null, new NegotiationPolicy(List.of("pcmu", "pcma"), true, true),
                null, ALICE, new Security.Plain());
        MediaDescription sipSdes = OfferAnswer.offer(null, SDES, null, ALICE, MY_SDES);
        return Stream.of(
                done("Opus answered at our numbers", ours, iceAnswer(opus(111), te(101, 48000)), "opus", 111, 111, 101,
                        101, Direction.SENDRECV, DtlsRole.SERVER),
                done("RFC 4317-style renumbering: the answerer lists Opus as 96 and telephone-event as 97", ours,
                        iceAnswer(opus(96), te(97, 48000)), "opus", 96, 111, 97, 101, Direction.SENDRECV,
                        DtlsRole.SERVER),
                done("PCMU chosen: telephone-event at 8000 (ours 126, theirs 100)", ours,
                        iceAnswer(pf(0, "PCMU", 8000), te(100, 8000)), "PCMU", 0, 0, 100, 126, Direction.SENDRECV,
                        DtlsRole.SERVER),
                done("PCMU by static number only in the answer", ours, iceAnswer(pf(0, null, 8000)), "PCMU", 0, 0, -1,
                        -1, Direction.SENDRECV, DtlsRole.SERVER),
                done("telephone-event in the answer only at the other rate: none", ours,
                        iceAnswer(pf(8, "PCMA", 8000), te(101, 48000)), "PCMA", 8, 8, -1, -1, Direction.SENDRECV,
                        DtlsRole.SERVER),
                done("answer lists several codecs: the first one we offered counts (RFC 3264 7)", ours,
                        iceAnswer(pf(9, "G722", 8000), pf(8, "PCMA", 8000), opus(111)), "PCMA", 8, 8, -1, -1,
                        Direction.SENDRECV, DtlsRole.SERVER),
                done("setup passive: we are the DTLS client", ours, iceAnswer(Direction.SENDRECV,
                        dtls(FP_B, DtlsSetup.PASSIVE), opus(111)), "opus", 111, 111, -1, -1, Direction.SENDRECV,
                        DtlsRole.CLIENT),
                refused("setup actpass in an answer is a bad answer (RFC 5763 5)", ours,
                        iceAnswer(Direction.SENDRECV, dtls(FP_B, DtlsSetup.ACTPASS), opus(111)), ALL,
                        Failure.BAD_ANSWER),
                refused("setup holdconn in an answer is a bad answer", ours,
                        iceAnswer(Direction.SENDRECV, dtls(FP_B, DtlsSetup.HOLDCONN), opus(111)), ALL,
                        Failure.BAD_ANSWER),
                refused("answer without a fingerprint: insecure", ours,
                        iceAnswer(Direction.SENDRECV, dtls(null, DtlsSetup.ACTIVE), opus(111)), ALL,
                        Failure.INSECURE),
                new CompleteRow("answer without a fingerprint where plain is allowed: plain", ours,
                        iceAnswer(Direction.SENDRECV, dtls(null, DtlsSetup.ACTIVE), opus(111)), PLAIN, null, "opus",
                        111, 111, -1, -1, Direction.SENDRECV, null),
                refused("SDES answer to a DTLS offer", ours, iceAnswer(Direction.SENDRECV, MY_SDES, opus(111)), SDES,
                        Failure.BAD_ANSWER),
                // hold (RFC 4317 3.1): we offer sendonly, the answer says recvonly
                done("hold: sendonly answered recvonly", hold, iceAnswer(Direction.RECVONLY,
                        dtls(FP_B, DtlsSetup.ACTIVE), opus(111)), "opus", 111, 111, -1, -1, Direction.SENDONLY,
                        DtlsRole.SERVER),
                done("hold answered inactive", hold, iceAnswer(Direction.INACTIVE, dtls(FP_B, DtlsSetup.ACTIVE),
                        opus(111)), "opus", 111, 111, -1, -1, Direction.INACTIVE, DtlsRole.SERVER),
                done("held by the answerer: it answers sendonly, we receive only", ours,
                        iceAnswer(Direction.SENDONLY, dtls(FP_B, DtlsSetup.ACTIVE), opus(111)), "opus", 111, 111, -1,
                        -1, Direction.RECVONLY, DtlsRole.SERVER),
                done("an over-wide sendrecv answer to our sendonly is narrowed to sendonly", hold,
                        iceAnswer(opus(111)), "opus", 111, 111, -1, -1, Direction.SENDONLY, DtlsRole.SERVER),
                // rejected and foreign answers
                refused("audio rejected (RFC 3264 6: port 0)", sip, new MediaDescription(null, "audio",
                        List.of(pf(0, "PCMU", 8000)), false, Direction.SENDRECV, null,
                        new InetSocketAddress("192.0.2.102", 0), new Security.Plain()), PLAIN,
                        Failure.NO_COMMON_CODEC),
                refused("rejected without formats (OfferAnswer.reject)", ours, OfferAnswer.reject(ours), ALL,
                        Failure.NO_COMMON_CODEC),
                refused("answer chose a codec we did not offer", ours, iceAnswer(pf(9, "G722", 8000)), ALL,
                        Failure.NO_COMMON_CODEC),
                refused("answer with video to an audio offer", ours, new MediaDescription("voice", "video",
                        List.of(pf(98, "VP8", 90000)), true, Direction.SENDRECV, ICE_ANSWER, null,
                        dtls(FP_B, DtlsSetup.ACTIVE)), ALL, Failure.BAD_ANSWER),
                // SIP peers: plain UDP, RTP/AVP or SDES
                new CompleteRow("SIP RTP/AVP answer to a fixed address", sip, new MediaDescription(null, "audio",
                        List.of(pf(0, null, 8000), te(101, 8000)), false, Direction.SENDRECV, null, BOB,
                        new Security.Plain()), PLAIN, null, "PCMU", 0, 0, 101, 126, Direction.SENDRECV, null),
                new CompleteRow("SDES answer echoing our tag", sipSdes, new MediaDescription(null, "audio",
                        List.of(pf(8, "PCMA", 8000)), false, Direction.SENDRECV, null, BOB, new Security.Sdes(
                                List.of(new SdesCrypto(1, "AES_CM_128_HMAC_SHA1_80", "inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk",
                                        null)))), SDES, null, "PCMA", 8, 8, -1, -1, Direction.SENDRECV, null),
                refused("SDES answer with a tag we did not offer", sipSdes, new MediaDescription(null, "audio",
                        List.of(pf(8, "PCMA", 8000)), false, Direction.SENDRECV, null, BOB, new Security.Sdes(
                                List.of(new SdesCrypto(7, "AES_CM_128_HMAC_SHA1_80", "inline:QUJD", null)))), SDES,
                        Failure.BAD_ANSWER),
                refused("plain answer to an SDES offer where plain is not allowed", sipSdes,
                        new MediaDescription(null, "audio", List.of(pf(8, "PCMA", 8000)), false, Direction.SENDRECV,
                                null, BOB, new Security.Plain()), SDES, Failure.INSECURE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("completions")
    void completesOnTheAnswer(CompleteRow row) throws NegotiationException {
        if (row.failure() != null) {
            assertThatThrownBy(() -> OfferAnswer.complete(row.offer(), row.answer(), row.policy()))
                    .isInstanceOfSatisfying(NegotiationException.class, e -> {
                        assertEquals(row.failure(), e.failure(), e.getMessage());
                        assertThat(e.getMessage()).isNotBlank();
                    });
            return;
        }
        Negotiated n = OfferAnswer.complete(row.offer(), row.answer(), row.policy());
        assertThat(n.codec().name()).isEqualToIgnoringCase(row.codec());
        assertEquals(row.sendPt(), n.codec().id(), "we send with the answerer's number");
        assertEquals(row.receivePt(), n.receivePayloadType(), "we receive with our offer's number");
        assertEquals(row.eventSend(), n.telephoneEvent() == null ? -1 : n.telephoneEvent().id());
        assertEquals(row.eventReceive(), n.receiveTelephoneEventPayloadType());
        if (n.telephoneEvent() != null) {
            assertEquals(n.codec().clockRate(), n.telephoneEvent().clockRate());
        }
        assertEquals(row.direction(), n.direction());
        assertEquals(row.role(), n.dtlsRole());
        assertEquals(row.answer().security() instanceof Security.Dtls d && d.fingerprint() == null
                ? new Security.Plain() : row.answer().security(), n.remoteSecurity());
        if (row.offer().ice() != null) {
            assertEquals(ICE_ANSWER, n.remoteIce());
            assertNull(n.remoteConnection());
        } else {
            assertEquals(BOB, n.remoteConnection());
            assertNull(n.remoteIce());
        }
    }

    // ------------------------------------------------------------------ the offer, both ends together

    static Stream<Arguments> roundTrips() {
        return Stream.of(
                Arguments.of(ALL, ALL, "opus", 101),
                Arguments.of(ALL, G711, "PCMU", 126),
                Arguments.of(G711, PCMA_ONLY, "PCMA", 126),
                Arguments.of(OPUS_ONLY, ALL, "opus", 101),
                Arguments.of(new NegotiationPolicy(List.of("PCMA", "opus"), false, false), ALL, "PCMA", 126));
    }

    /** Our offer, answered by our own rules, completed by our own rules: both ends agree. */
    @ParameterizedTest
    @MethodSource("roundTrips")
    void bothEndsAgree(NegotiationPolicy offerer, NegotiationPolicy answerer, String codec, int eventPt)
            throws NegotiationException {
        MediaDescription offer = OfferAnswer.offer("voice", offerer, ICE_OFFER, null, dtls(FP_A, null));
        Answer a = OfferAnswer.answer(offer, answerer, ICE_ANSWER, null, MY_DTLS);
        Negotiated caller = OfferAnswer.complete(offer, a.description(), offerer);
        Negotiated callee = a.negotiated();
        assertThat(caller.codec().name()).isEqualToIgnoringCase(codec);
        assertThat(callee.codec().name()).isEqualToIgnoringCase(codec);
        assertEquals(caller.codec().id(), callee.receivePayloadType(), "what one sends, the other receives");
        assertEquals(callee.codec().id(), caller.receivePayloadType());
        assertEquals(eventPt, caller.telephoneEvent().id());
        assertEquals(caller.telephoneEvent().id(), callee.receiveTelephoneEventPayloadType());
        assertThat(List.of(caller.dtlsRole(), callee.dtlsRole())).containsExactlyInAnyOrder(DtlsRole.CLIENT,
                DtlsRole.SERVER);
        assertEquals(FP_B, ((Security.Dtls) caller.remoteSecurity()).fingerprint());
        assertEquals(FP_A, ((Security.Dtls) callee.remoteSecurity()).fingerprint());
    }

    @Test
    void offerListsThePolicyCodecsThenBothTelephoneEvents() {
        MediaDescription o = OfferAnswer.offer("voice", new NegotiationPolicy(List.of("PCMA", "g722", "opus", "pcmu",
                "pcma"), false, false), ICE_OFFER, null, dtls(FP_A, null));
        List<String> wire = new ArrayList<>();
        for (PayloadFormat f : o.formats()) {
            wire.add(f.toString());
        }
        assertEquals(List.of("8 PCMA/8000", "111 opus/48000/2", "0 PCMU/8000", "101 telephone-event/48000",
                "126 telephone-event/8000"), wire);
        assertEquals(Map.of("useinbandfec", "1", "minptime", "10"), o.formats().get(1).parameters());
        assertEquals(Map.of("events", "0-15"), o.formats().get(3).parameters());
        assertEquals(Direction.SENDRECV, o.direction());
        assertThat(o.rtcpMux()).isTrue();
        assertEquals(DtlsSetup.ACTPASS, ((Security.Dtls) o.security()).setup(), "an offer says actpass");
        assertEquals(ICE_OFFER, o.ice());
        assertThat(o.rejected()).isFalse();
    }

    @Test
    void wireNamesRoundTrip() {
        for (Direction d : Direction.values()) {
            assertEquals(d, Direction.of(d.wireName().toUpperCase(java.util.Locale.ROOT)));
            assertEquals(d, d.reverse().reverse());
        }
        assertEquals(Direction.RECVONLY, Direction.SENDONLY.reverse());
        assertEquals(Direction.SENDRECV, Direction.of((String) null), "absent means sendrecv (RFC 3264 5.1)");
        for (DtlsSetup s : DtlsSetup.values()) {
            assertEquals(s, DtlsSetup.of(s.wireName()));
        }
        assertNull(DtlsSetup.of(null));
        assertThatThrownBy(() -> Direction.of("sideways")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsSetup.of("sometimes")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void payloadFormatsCompareAsCodecs() {
        assertThat(pf(0, null, 8000).sameCodec(pf(0, "PCMU", 8000))).isTrue();
        assertThat(pf(96, "OPUS", 48000, 2).sameCodec(opus(111))).isTrue();
        assertThat(pf(96, "opus", 48000, 1).sameCodec(opus(111))).isFalse();
        assertThat(pf(0, "PCMU", 8000).sameCodec(pf(8, "PCMA", 8000))).isFalse();
        assertThat(te(101, 48000).isTelephoneEvent()).isTrue();
        assertThat(pf(101, "Telephone-Event", 8000).isTelephoneEvent()).isTrue();
        assertThatThrownBy(() -> pf(128, "x", 8000)).isInstanceOf(IllegalArgumentException.class);
        assertEquals("inlinekey", new SdesCrypto(1, "AES_CM_128_HMAC_SHA1_80", "inline:inlinekey|2^20|1:32", null)
                .inlineKey());
        assertThat(MY_SDES.crypto().get(0).toString()).doesNotContain("WVNf");
        assertThat(Arrays.asList(new Negotiated(opus(111), 111, te(101, 48000), new Security.Plain(), null, true,
                null, null, ALICE).receiveTelephoneEventPayloadType())).containsExactly(101);
    }
}
