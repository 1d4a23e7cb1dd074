package org.openzoep.internal.jingle;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openzoep.media.description.Direction;
import org.openzoep.media.description.DtlsSetup;
import org.openzoep.media.description.IceParameters;
import org.openzoep.media.description.MediaDescription;
import org.openzoep.media.description.PayloadFormat;
import org.openzoep.media.description.Security;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.xmpp.jingle.Candidate;
import org.openzoep.xmpp.jingle.Content;
import org.openzoep.xmpp.jingle.Fingerprint;
import org.openzoep.xmpp.jingle.IceUdpTransport;
import org.openzoep.xmpp.jingle.Jingle;
import org.openzoep.xmpp.jingle.PayloadType;
import org.openzoep.xmpp.jingle.RtpDescription;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlLimits;
import org.openzoep.xmpp.xml.XmlStreamParser;
import org.openzoep.xmpp.xml.XmlViolation;

/**
 * Jingle contents to the description model and back, without loss for what the engine supports:
 * payload types with their parameters, telephone-event, rtcp-mux, ICE credentials and candidates,
 * the DTLS fingerprint with its setup; the peer's content name and creator are kept.
 */
class JingleMappingTest {

    static final String FP = "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";

    /** XEP-0167 example 1's shape, with XEP-0176 candidates and a XEP-0320 fingerprint. */
    static Content xepContent() {
        return new Content("responder", "the-peers-audio", "both", new RtpDescription("audio", null, List.of(
                new PayloadType(96, "opus", 48000, 2, Map.of("useinbandfec", "1", "minptime", "10")),
                new PayloadType(0, "PCMU", 8000, 1, Map.of()),
                new PayloadType(97, "telephone-event", 48000, 1, Map.of("events", "0-15")),
                new PayloadType(101, "telephone-event", 8000, 1, Map.of("events", "0-15"))), true),
                new IceUdpTransport("8hhy", "asd88fgpdd777uzjYhagZg", new Fingerprint("sha-256", "actpass", FP), List.of(
                        new Candidate(1, "1", 0, "el0747fg11", "10.0.1.1", 0, 8998, 2130706431L, "udp", "host", null, null),
                        new Candidate(1, "2", 0, "y3s2b30v3r", "192.0.2.3", 0, 45664, 1694498815L, "udp", "srflx",
                                "10.0.1.1", 8998))));
    }

    @Test
    void aContentBecomesADescriptionWithEverythingWeUse() throws Exception {
        MediaDescription d = JingleMapping.toDescription(xepContent(), false);
        assertThat(d.mid()).isEqualTo("the-peers-audio");
        assertThat(d.media()).isEqualTo("audio");
        assertThat(d.rtcpMux()).isTrue();
        assertThat(d.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(d.formats()).containsExactly(
                new PayloadFormat(96, "opus", 48000, 2, Map.of("useinbandfec", "1", "minptime", "10")),
                new PayloadFormat(0, "PCMU", 8000, 1, Map.of()),
                new PayloadFormat(97, "telephone-event", 48000, 1, Map.of("events", "0-15")),
                new PayloadFormat(101, "telephone-event", 8000, 1, Map.of("events", "0-15")));
        assertThat(d.formats().get(2).isTelephoneEvent()).isTrue();
        assertThat(d.ice().ufrag()).isEqualTo("8hhy");
        assertThat(d.ice().pwd()).isEqualTo("asd88fgpdd777uzjYhagZg");
        assertThat(d.ice().candidates()).hasSize(2);
        IceCandidate srflx = d.ice().candidates().get(1);
        assertThat(srflx.type()).isEqualTo(IceCandidate.Type.SRFLX);
        assertThat(srflx.address()).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.3"), 45664));
        assertThat(srflx.related()).isEqualTo(new InetSocketAddress(InetAddress.getByName("10.0.1.1"), 8998));
        assertThat(srflx.priority()).isEqualTo(1694498815L);
        assertThat(srflx.foundation()).isEqualTo("2");
        assertThat(d.security()).isEqualTo(new Security.Dtls("sha-256", FP, DtlsSetup.ACTPASS));
    }

    @Test
    void aDescriptionBecomesTheSameContentAgain() {
        Content in = xepContent();
        MediaDescription d = JingleMapping.toDescription(in, false);
        Content out = JingleMapping.toContent(d, in.creator(), in.name(), false);
        assertThat(out.creator()).isEqualTo("responder");
        assertThat(out.name()).isEqualTo("the-peers-audio");
        assertThat(out.senders()).isEqualTo("both");
        assertThat(out.description()).isEqualTo(in.description());
        assertThat(out.transport().ufrag()).isEqualTo(in.transport().ufrag());
        assertThat(out.transport().pwd()).isEqualTo(in.transport().pwd());
        assertThat(out.transport().fingerprint()).isEqualTo(in.transport().fingerprint());
        assertThat(out.transport().candidates()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Candidate a = in.transport().candidates().get(i);
            Candidate b = out.transport().candidates().get(i);
            assertThat(List.of(b.component(), b.foundation(), b.generation(), b.ip(), b.port(), b.priority(), b.protocol(),
                    b.type(), String.valueOf(b.relAddr()), String.valueOf(b.relPort()))).isEqualTo(List.of(a.component(),
                    a.foundation(), a.generation(), a.ip(), a.port(), a.priority(), a.protocol(), a.type(),
                    String.valueOf(a.relAddr()), String.valueOf(a.relPort())));
        }
        // and through the model once more: the same description
        assertThat(JingleMapping.toDescription(out, false)).isEqualTo(d);
    }

    @Test
    void theXmlOfAMappedSessionAcceptParsesBackToTheSameDescription() {
        MediaDescription d = JingleMapping.toDescription(xepContent(), true);
        Jingle accept = new Jingle(org.openzoep.xmpp.jingle.Action.SESSION_ACCEPT, "sid1", null, null,
                List.of(JingleMapping.toContent(d, "initiator", "voice", true)), null, null);
        XmlElement xml = accept.toXml();
        String doc = document(xml);
        byte[] bytes = doc.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // whole, then split at every byte boundary: the same description each time
        for (int split = 0; split < bytes.length; split++) {
            Jingle back = parse(bytes, split);
            MediaDescription again = JingleMapping.toDescription(back.contents().get(0), true);
            assertThat(again.formats()).isEqualTo(d.formats());
            assertThat(again.ice()).isEqualTo(d.ice());
            assertThat(again.security()).isEqualTo(d.security());
            assertThat(again.mid()).isEqualTo("voice");
        }
    }

    @Test
    void sendersAreReadFromTheDescribersSide() {
        assertThat(JingleMapping.direction("initiator", true)).isEqualTo(Direction.SENDONLY);
        assertThat(JingleMapping.direction("initiator", false)).isEqualTo(Direction.RECVONLY);
        assertThat(JingleMapping.direction("responder", false)).isEqualTo(Direction.SENDONLY);
        assertThat(JingleMapping.direction("none", true)).isEqualTo(Direction.INACTIVE);
        assertThat(JingleMapping.direction(null, true)).isEqualTo(Direction.SENDRECV);
        for (Direction dir : Direction.values()) {
            for (boolean initiator : new boolean[] {true, false}) {
                assertThat(JingleMapping.direction(JingleMapping.senders(dir, initiator), initiator)).isEqualTo(dir);
            }
        }
    }

    @Test
    void withoutAFingerprintTheContentIsPlainAndUnusableCandidatesAreLeftOut() {
        Content c = new Content("initiator", "voice", "both", new RtpDescription("audio", null,
                List.of(new PayloadType(0, "PCMU", 8000, 1, Map.of())), false),
                new IceUdpTransport("u", "p", null, List.of(
                        new Candidate(1, "1", 0, "a", "127.0.0.1", 0, 9, 1, "udp", "host", null, null),
                        new Candidate(2, "1", 0, "b", "127.0.0.1", 0, 10, 1, "udp", "host", null, null),
                        new Candidate(1, "1", 0, "c", "127.0.0.1", 0, 11, 1, "tcp", "host", null, null),
                        new Candidate(1, "1", 0, "d", "peer.example.org", 0, 12, 1, "udp", "host", null, null),
                        new Candidate(1, "1", 0, "e", "999.1.1.1", 0, 13, 1, "udp", "host", null, null),
                        new Candidate(1, "1", 0, "f", "mdns:name", 0, 14, 1, "udp", "host", null, null),
                        new Candidate(1, "1", 0, "g", "::1", 0, 15, 1, "udp", "host", null, null))));
        MediaDescription d = JingleMapping.toDescription(c, true);
        assertThat(d.security()).isEqualTo(new Security.Plain());
        assertThat(d.rtcpMux()).isFalse();
        // names and strings that only look numeric are left out without a lookup; literals stay
        assertThat(d.ice().candidates()).extracting(x -> x.address().getPort()).containsExactly(9, 15);
        assertThat(JingleMapping.toContent(d, "initiator", "voice", true).transport().fingerprint()).isNull();
    }

    @Test
    void aContentWithoutRtpOrTransportMapsToNothingOrNoIce() {
        assertThat(JingleMapping.toDescription(new Content("initiator", "file", "both", null, null), true)).isNull();
        MediaDescription noIce = JingleMapping.toDescription(new Content("initiator", "voice", "both",
                new RtpDescription("audio", null, List.of(new PayloadType(8, "PCMA", 8000, 1, Map.of())), true), null),
                true);
        assertThat(noIce.ice()).isNull();
        assertThat(JingleMapping.toTransport(null, new Security.Plain())).isNull();
        IceParameters empty = new IceParameters("u", "p", List.of());
        assertThat(JingleMapping.toTransport(empty, new Security.Dtls("sha-256", FP, null)).fingerprint().setup())
                .isEqualTo("actpass");
    }

    private static String document(XmlElement jingle) {
        StringBuilder sb = new StringBuilder();
        org.openzoep.xmpp.xml.XmlWriter.write(org.openzoep.xmpp.xml.XmlWriter.sink(sb), jingle, "jabber:client");
        return "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" + sb;
    }

    /** Parses the document fed in two parts, split at {@code split} (0: whole). */
    private static Jingle parse(byte[] doc, int split) {
        XmlElement[] got = new XmlElement[1];
        XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, new XmlStreamParser.Handler() {
            @Override
            public void streamOpened(XmlElement header, String contentNamespace) {
            }

            @Override
            public void element(XmlElement e) {
                got[0] = e;
            }

            @Override
            public void streamClosed() {
            }

            @Override
            public void failed(XmlViolation violation, String detail) {
                throw new AssertionError(violation + ": " + detail);
            }
        });
        p.feed(java.nio.ByteBuffer.wrap(doc, 0, split));
        p.feed(java.nio.ByteBuffer.wrap(doc, split, doc.length - split));
        try {
            return Jingle.parse(got[0]);
        } catch (org.openzoep.xmpp.jingle.JingleException e) {
            throw new AssertionError(e);
        }
    }
}
