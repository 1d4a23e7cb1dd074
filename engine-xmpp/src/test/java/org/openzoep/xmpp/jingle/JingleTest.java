package org.openzoep.xmpp.jingle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.openzoep.xmpp.jingle.XepFixtures.canonical;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlStreamParser;

/** Values read from the XEP examples, records written by hand, and the errors malformed requests get. */
class JingleTest {
    static final String J = "<jingle xmlns='urn:xmpp:jingle:1' ";
    static final String RTP = "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>"
            + "<payload-type id='111' name='opus' clockrate='48000' channels='2'/></description>";
    static final String ICE = "<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='u' pwd='p'/>";

    static Jingle parse(String xml) throws JingleException {
        return Jingle.parse(XmlStreamParser.parseElement(xml, "jabber:client"));
    }

    /** "condition jingle-condition" (or "-") of the refusal of {@code xml}, and its error type. */
    static String refusal(String xml) {
        JingleException x = catchThrowableOfType(JingleException.class, () -> parse(xml));
        assertThat(x).as("refused: %s", xml).isNotNull();
        return x.error().type() + " " + x.error().condition() + " " + (x.condition() == null ? "-" : x.condition().wireName());
    }

    static Jingle example(String file, String caption) throws Exception {
        XmlElement iq = XepFixtures.parseOne(XepFixtures.example(file, caption).xml());
        return Jingle.parse(iq.child("jingle", JingleNamespaces.JINGLE));
    }

    @Test
    void theDtlsSessionInitiateOfXep0320ReadsAsValues() throws Exception {
        Jingle j = example("xep-0320.txt", "Initiator sends session invitation with DTLS fingerprint");
        assertThat(j.action()).isEqualTo(Action.SESSION_INITIATE);
        assertThat(j.sid()).isEqualTo("a73sjjvkla37jfea");
        assertThat(j.initiator()).isEqualTo(Jid.parse("romeo@montague.lit/orchard"));
        assertThat(j.responder()).isNull();
        Content c = j.content("initiator", "voice");
        assertThat(c.senders()).isNull();
        assertThat(c.description().media()).isEqualTo("audio");
        assertThat(c.description().payloadTypes()).extracting(PayloadType::id).containsExactly(96, 97, 18, 103, 98);
        assertThat(c.description().payloadTypes().get(3)).isEqualTo(new PayloadType(103, "L16", 16000, 2, Map.of()));
        assertThat(c.description().payloadTypes().get(2).clockRate()).isZero();
        IceUdpTransport t = c.transport();
        assertThat(t.ufrag()).isEqualTo("8hhy");
        assertThat(t.pwd()).isEqualTo("asd88fgpdd777uzjYhagZg");
        assertThat(t.fingerprint()).isEqualTo(new Fingerprint("sha-256", "actpass",
                "02:1A:CC:54:27:AB:EB:9C:53:3F:3E:4B:65:2E:7D:46:3F:54:42:CD:54:F1:7A:03:A2:7D:F9:B0:7F:46:19:B2"));
        assertThat(t.candidates()).containsExactly(
                new Candidate(1, "1", 0, "el0747fg11", "10.0.1.1", 1, 8998, 2130706431L, "udp", "host", null, null),
                new Candidate(1, "2", 0, "y3s2b30v3r", "192.0.2.3", 1, 45664, 1694498815L, "udp", "srflx",
                        "10.0.1.1", 8998));
        assertThat(c.extensions()).isEmpty();
    }

    @Test
    void recordsBuiltByHandWriteTheXepsSessionInitiate() throws Exception {
        XmlElement iq = XepFixtures.parseOne(
                XepFixtures.example("xep-0320.txt", "Initiator sends session invitation with DTLS fingerprint").xml());
        RtpDescription audio = new RtpDescription("audio", null, List.of(
                new PayloadType(96, "speex", 16000, 1, Map.of()),
                new PayloadType(97, "speex", 8000, 1, Map.of()),
                new PayloadType(18, "G729", 0, 1, Map.of()),
                new PayloadType(103, "L16", 16000, 2, Map.of()),
                new PayloadType(98, "x-ISAC", 8000, 1, Map.of())), false);
        IceUdpTransport ice = new IceUdpTransport("8hhy", "asd88fgpdd777uzjYhagZg",
                new Fingerprint("sha-256", "actpass",
                        "02:1A:CC:54:27:AB:EB:9C:53:3F:3E:4B:65:2E:7D:46:3F:54:42:CD:54:F1:7A:03:A2:7D:F9:B0:7F:46:19:B2"),
                List.of(new Candidate(1, "1", 0, "el0747fg11", "10.0.1.1", 1, 8998, 2130706431L, "udp", "host", null, null),
                        new Candidate(1, "2", 0, "y3s2b30v3r", "192.0.2.3", 1, 45664, 1694498815L, "udp", "srflx",
                                "10.0.1.1", 8998)));
        Jingle j = Jingle.sessionInitiate("a73sjjvkla37jfea", Jid.parse("romeo@montague.lit/orchard"),
                List.of(new Content("initiator", "voice", null, audio, ice)));
        Stanza s = j.toIq(Jid.parse("romeo@montague.lit/orchard"), Jid.parse("juliet@capulet.lit/balcony"), "uz61v4m4");
        assertThat(canonical(s.element())).isEqualTo(canonical(iq));
        assertThat(Jingle.fromIq(s)).isEqualTo(j);
    }

    @Test
    void parametersReasonsAndInfoRoundTrip() throws Exception {
        Jingle j = parse(J + "action='session-accept' sid='s1' responder='juliet@capulet.lit/balcony'>"
                + "<content creator='initiator' name='audio' senders='both'>"
                + "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio' ssrc='4294967295'>"
                + "<payload-type id='111' name='opus' clockrate='48000' channels='2'>"
                + "<parameter name='minptime' value='10'/><parameter name='useinbandfec' value='1'/></payload-type>"
                + "<rtcp-mux/></description>" + ICE + "</content>"
                + "<group xmlns='urn:xmpp:jingle:apps:grouping:0' semantics='BUNDLE'><content name='audio'/></group>"
                + "</jingle>");
        RtpDescription d = j.contents().get(0).description();
        assertThat(d.ssrc()).isEqualTo(0xFFFF_FFFFL);
        assertThat(d.rtcpMux()).isTrue();
        assertThat(d.payloadTypes().get(0).parameters()).containsExactly(Map.entry("minptime", "10"),
                Map.entry("useinbandfec", "1"));
        assertThat(j.extensions()).hasSize(1);
        assertThat(Jingle.parse(j.toXml())).isEqualTo(j);

        Jingle mute = parse(J + "action='session-info' sid='s1'>"
                + "<mute xmlns='urn:xmpp:jingle:apps:rtp:info:1' creator='responder' name='voice'/></jingle>");
        assertThat(mute.info()).isEqualTo(new SessionInfo(SessionInfo.Kind.MUTE, "responder", "voice"));
        assertThat(Jingle.parse(Jingle.sessionInfo("s1", SessionInfo.of(SessionInfo.Kind.RINGING)).toXml()).info().kind())
                .isEqualTo(SessionInfo.Kind.RINGING);
        Jingle ping = parse(J + "action='session-info' sid='s1'/>");
        assertThat(ping.info()).isNull();

        Jingle alt = parse(J + "action='session-terminate' sid='s1'><reason><alternative-session><sid>b84</sid>"
                + "</alternative-session><text>go there</text>"
                + "<crypto-required xmlns='urn:xmpp:jingle:apps:rtp:errors:1'/></reason></jingle>");
        assertThat(alt.reason().condition()).isEqualTo(Reason.Condition.ALTERNATIVE_SESSION);
        assertThat(alt.reason().alternativeSid()).isEqualTo("b84");
        assertThat(alt.reason().text()).isEqualTo("go there");
        assertThat(alt.reason().detail().is("crypto-required", JingleNamespaces.RTP_ERRORS)).isTrue();
        assertThat(Jingle.parse(alt.toXml())).isEqualTo(alt);
        assertThat(Jingle.sessionTerminate("s1", Reason.of(Reason.Condition.SUCCESS)).toXml().toXml())
                .isEqualTo("<jingle xmlns='urn:xmpp:jingle:1' action='session-terminate' sid='s1'>"
                        + "<reason><success/></reason></jingle>");
    }

    @Test
    void wireNamesOfActionsAndConditions() {
        for (Action a : Action.values()) {
            assertThat(Action.of(a.wireName())).isSameAs(a);
        }
        assertThat(Action.TRANSPORT_REPLACE.wireName()).isEqualTo("transport-replace");
        assertThat(Action.of("session-initiated")).isNull();
        for (Reason.Condition c : Reason.Condition.values()) {
            assertThat(Reason.Condition.of(c.wireName())).isSameAs(c);
        }
        assertThat(Reason.Condition.FAILED_APPLICATION.wireName()).isEqualTo("failed-application");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        no action            | <jingle xmlns='urn:xmpp:jingle:1' sid='s'/>
        unknown action       | <jingle xmlns='urn:xmpp:jingle:1' action='session-start' sid='s'/>
        no sid               | <jingle xmlns='urn:xmpp:jingle:1' action='session-terminate'><reason><success/></reason></jingle>
        empty sid            | <jingle xmlns='urn:xmpp:jingle:1' action='session-terminate' sid=''/>
        bad initiator JID    | <jingle xmlns='urn:xmpp:jingle:1' action='session-info' sid='s' initiator='@x'/>
        initiate, no content | <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s' initiator='a@b/c'/>
        transport-info, none | <jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='s'/>
        content, no creator  | <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content name='a'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'/></content></jingle>
        content, bad creator | <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content creator='me' name='a'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'/></content></jingle>
        content, no name     | <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content creator='initiator'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'/></content></jingle>
        bad senders          | <jingle xmlns='urn:xmpp:jingle:1' action='content-modify' sid='s'><content creator='initiator' name='a' senders='all'/></jingle>
        modify, no senders   | <jingle xmlns='urn:xmpp:jingle:1' action='content-modify' sid='s'><content creator='initiator' name='a'/></jingle>
        initiate, no transport | <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content creator='initiator' name='a'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></content></jingle>
        accept, no description | <jingle xmlns='urn:xmpp:jingle:1' action='session-accept' sid='s'><content creator='initiator' name='a'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'/></content></jingle>
        transport-info, no transport | <jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='s'><content creator='initiator' name='a'/></jingle>
        description, no media | <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content creator='initiator' name='a'><description xmlns='urn:xmpp:jingle:apps:rtp:1'/><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'/></content></jingle>
        ssrc too large       | <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content creator='initiator' name='a'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio' ssrc='4294967296'/><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'/></content></jingle>
        payload id missing   | <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content creator='initiator' name='a'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><payload-type name='opus'/></description><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'/></content></jingle>
        payload id 128       | <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content creator='initiator' name='a'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><payload-type id='128' name='opus'/></description><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'/></content></jingle>
        dynamic, no name     | <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content creator='initiator' name='a'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><payload-type id='111' clockrate='48000'/></description><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'/></content></jingle>
        parameter, no value  | <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content creator='initiator' name='a'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><payload-type id='111' name='opus'><parameter name='x'/></payload-type></description><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'/></content></jingle>
        channels 0           | <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content creator='initiator' name='a'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><payload-type id='111' name='opus' channels='0'/></description><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'/></content></jingle>
        candidate, no ip     | <jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='s'><content creator='initiator' name='a'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'><candidate component='1' foundation='1' generation='0' id='c' port='9' priority='1' protocol='udp' type='host'/></transport></content></jingle>
        candidate, port text | <jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='s'><content creator='initiator' name='a'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'><candidate component='1' foundation='1' generation='0' id='c' ip='192.0.2.1' port='nine' priority='1' protocol='udp' type='host'/></transport></content></jingle>
        candidate, port 65536 | <jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='s'><content creator='initiator' name='a'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'><candidate component='1' foundation='1' generation='0' id='c' ip='192.0.2.1' port='65536' priority='1' protocol='udp' type='host'/></transport></content></jingle>
        candidate, bad type  | <jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='s'><content creator='initiator' name='a'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'><candidate component='1' foundation='1' generation='0' id='c' ip='192.0.2.1' port='9' priority='1' protocol='udp' type='local'/></transport></content></jingle>
        candidate, no priority | <jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='s'><content creator='initiator' name='a'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'><candidate component='1' foundation='1' generation='0' id='c' ip='192.0.2.1' port='9' protocol='udp' type='host'/></transport></content></jingle>
        fingerprint, bad setup | <jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='s'><content creator='initiator' name='a'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'><fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='client'>AB:CD</fingerprint></transport></content></jingle>
        fingerprint, no hash | <jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='s'><content creator='initiator' name='a'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'><fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' setup='active'>AB:CD</fingerprint></transport></content></jingle>
        fingerprint, empty   | <jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='s'><content creator='initiator' name='a'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'><fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='active'> </fingerprint></transport></content></jingle>
        reason, no condition | <jingle xmlns='urn:xmpp:jingle:1' action='session-terminate' sid='s'><reason><text>bye</text></reason></jingle>
        reason, unknown      | <jingle xmlns='urn:xmpp:jingle:1' action='session-terminate' sid='s'><reason><hungry/></reason></jingle>
        mute, no creator     | <jingle xmlns='urn:xmpp:jingle:1' action='session-info' sid='s'><mute xmlns='urn:xmpp:jingle:apps:rtp:info:1'/></jingle>
        not jingle at all    | <jingle xmlns='urn:xmpp:jingle:0' action='session-info' sid='s'/>
        """)
    void malformedRequestsAreBadRequests(String what, String xml) {
        assertThat(refusal(xml)).isEqualTo("modify bad-request -");
    }

    @Test
    void anUnknownInformationalPayloadIsUnsupportedInfo() {
        assertThat(refusal(J + "action='session-info' sid='s'><hum xmlns='urn:example:hum'/></jingle>"))
                .isEqualTo("modify feature-not-implemented unsupported-info");
        assertThat(refusal(J + "action='session-info' sid='s'><sing xmlns='urn:xmpp:jingle:apps:rtp:info:1'/></jingle>"))
                .isEqualTo("modify feature-not-implemented unsupported-info");
    }

    @Test
    void jingleErrorsCarryTheirApplicationCondition() {
        Stanza request = Stanza.iq("set").id("x1").from("juliet@capulet.lit/balcony").build();
        assertThat(JingleException.outOfOrder().errorReply(request).toString()).isEqualTo(
                "<iq xmlns='jabber:client' type='error' id='x1' to='juliet@capulet.lit/balcony'><error type='wait'>"
                        + "<unexpected-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                        + "<out-of-order xmlns='urn:xmpp:jingle:errors:1'/></error></iq>");
        assertThat(JingleException.tieBreak().condition()).isEqualTo(JingleException.Condition.TIE_BREAK);
        assertThat(JingleException.unknownSession().error().condition()).isEqualTo("item-not-found");
        JingleException bad = JingleException.badRequest("why");
        assertThat(bad.error().text()).isEqualTo("why");
        assertThat(bad.error().appCondition()).isNull();
    }

    @Test
    void contentsOfForeignApplicationsAreKeptNotRefused() throws Exception {
        Jingle stub = example("xep-0166.txt", "Initiator sends session-initiate (stub)");
        Content c = stub.contents().get(0);
        assertThat(c.description()).isNull();
        assertThat(c.transport()).isNull();
        assertThat(c.hasForeignDescription()).isTrue();
        assertThat(c.hasForeignTransport()).isTrue();
        Content rtp = parse(J + "action='session-initiate' sid='s'><content creator='initiator' name='a'>"
                + RTP + ICE + "</content></jingle>").contents().get(0);
        assertThat(rtp.hasForeignDescription()).isFalse();
        assertThat(rtp.description().payloadTypes().get(0).channels()).isEqualTo(2);
        assertThat(rtp.withoutDescription().description()).isNull();
    }

    @Test
    void aMissingInitiatorIsTheIqSender() throws Exception {
        Jingle j = parse(J + "action='session-initiate' sid='s'><content creator='initiator' name='a'>"
                + RTP + ICE + "</content></jingle>");
        Jid from = Jid.parse("romeo@montague.lit/orchard");
        assertThat(j.initiatorOr(from)).isEqualTo(from);
        Jingle k = Jingle.sessionInitiate("s", Jid.parse("x@y/z"), j.contents());
        assertThat(k.initiatorOr(from)).isEqualTo(Jid.parse("x@y/z"));
    }
}
