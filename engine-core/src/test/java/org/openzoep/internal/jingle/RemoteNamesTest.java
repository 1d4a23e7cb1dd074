package org.openzoep.internal.jingle;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openzoep.media.description.Answer;
import org.openzoep.media.description.DtlsSetup;
import org.openzoep.media.description.IceParameters;
import org.openzoep.media.description.MediaDescription;
import org.openzoep.media.description.NegotiationPolicy;
import org.openzoep.media.description.OfferAnswer;
import org.openzoep.media.description.PayloadFormat;
import org.openzoep.media.description.Security;
import org.openzoep.xmpp.jingle.Action;
import org.openzoep.xmpp.jingle.Content;
import org.openzoep.xmpp.jingle.Jingle;
import org.openzoep.xmpp.jingle.PayloadType;
import org.openzoep.xmpp.jingle.RtpDescription;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlStreamParser;
import org.openzoep.xmpp.xml.XmlWriter;

/**
 * Remote names in a session-initiate (issue 12, M1): non-ASCII payload-type parameter names, a
 * non-ASCII content name, unknown elements with non-ASCII names in the payload type and the
 * description. The session-initiate goes through the writer and the parser as on the wire, the
 * engine answers it (JingleMapping, OfferAnswer), and the session-accept we would send is
 * well-formed UTF-8, keeps the peer's content name (XEP-0166 wants it echoed) and echoes nothing
 * else we did not understand: only our own fmtp parameters.
 */
class RemoteNamesTest {
    static final Jid PEER = Jid.parse("ålice@exämple.org/dèsk");
    static final String CONTENT = "голос-ü";

    @Test
    void theSessionAcceptIsWellFormedAndEchoesNothingWeDidNotUnderstand() throws Exception {
        Map<String, String> opusParams = new LinkedHashMap<>();
        opusParams.put("useinbandfec", "1");
        opusParams.put("ünïcode-päram", "x<y>'\"&");
        opusParams.put("maxplaybackrate", "16000");
        opusParams.put("名前", "値");
        Content offered = new Content("initiator", CONTENT, "both", new RtpDescription("audio", null, List.of(
                new PayloadType(96, "opus", 48000, 2, opusParams,
                        List.of(XmlElement.builder("ñame", "urn:x:ü").attr("ä", "1").build())),
                new PayloadType(97, "telephone-event", 48000, 1, Map.of("events", "0-15", "ß", "1"))), true,
                List.of(XmlElement.builder("ext-é", "urn:y").text("ü").build())),
                JingleMappingTest.xepContent().transport());
        Jingle initiate = new Jingle(Action.SESSION_INITIATE, "sïd", PEER, null, List.of(offered), null, null);

        // on the wire and back, as the router gets it
        Jingle received = Jingle.parse(wire(Stanza.iq("set").from(PEER.toString()).id("i").child(initiate.toXml())
                .build()).child("jingle", "urn:xmpp:jingle:1"));
        Content c = received.contents().get(0);
        assertThat(c.name()).isEqualTo(CONTENT);
        MediaDescription offer = JingleMapping.toDescription(c, true);
        Answer answer = OfferAnswer.answer(offer, NegotiationPolicy.secure("opus", "pcmu"),
                new IceParameters("9uB6", "YH75Fviy6338Vbrhrlp8Yh", List.of()), null,
                new Security.Dtls("sha-256", JingleMappingTest.FP, DtlsSetup.ACTIVE));
        Jingle accept = new Jingle(Action.SESSION_ACCEPT, "sïd", PEER, Jid.parse("bob@example.org/phone"),
                List.of(JingleMapping.toContent(answer.description(), c.creator(), c.name(), false)), null, null);

        XmlElement sent = wire(Stanza.iq("set").to(PEER).id("a").child(accept.toXml()).build());
        String xml = sent.toXml();
        for (String foreign : new String[] {"ünïcode", "名前", "値", "ß", "ñame", "ext-é", "urn:x:ü", "urn:y",
                "maxplaybackrate", "x&lt;y"}) {
            assertThat(xml).as("our session-accept echoes '%s'", foreign).doesNotContain(foreign);
        }
        Content back = Jingle.parse(sent.child("jingle", "urn:xmpp:jingle:1")).contents().get(0);
        assertThat(back.name()).isEqualTo(CONTENT);
        for (PayloadType p : back.description().payloadTypes()) {
            assertThat(p.extensions()).isEmpty();
            PayloadFormat ours = p.name().equals("opus") ? OfferAnswer.OPUS : OfferAnswer.TELEPHONE_EVENT_48K;
            assertThat(p.parameters()).as("%s: our own parameters only", p.name()).isEqualTo(ours.parameters());
        }
        assertThat(back.description().extensions()).isEmpty();
    }

    /** The stanza written to bytes by the engine's writer and read back by its parser. */
    static XmlElement wire(Stanza s) {
        ByteBuf buf = Unpooled.buffer();
        try {
            XmlWriter.write(buf, s.element(), Stanza.CLIENT_NS);
            String text = buf.toString(StandardCharsets.UTF_8);
            return XmlStreamParser.parseElement(text, Stanza.CLIENT_NS);
        } finally {
            buf.release();
        }
    }
}
