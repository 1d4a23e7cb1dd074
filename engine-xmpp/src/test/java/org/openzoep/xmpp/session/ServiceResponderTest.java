package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.disco.EntityCaps;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * {@link ServiceResponder} on an {@link EmbeddedChannel}: ping, disco#info with the XEP-0115 caps
 * node, roster pushes, and what it leaves to the application; and the disco#info answer itself.
 */
class ServiceResponderTest {
    static final List<String> FEATURES = List.of("http://jabber.org/protocol/disco#info", "urn:xmpp:ping",
            EntityCaps.NS, "urn:xmpp:jingle:1");

    static Stanza discoGet(String node) {
        return Stanza.iq("get").id("d1").from("romeo@montague.lit/orchard")
                .child(XmlElement.builder("query", ServiceResponder.DISCO_INFO_NS).attr("node", node).build()).build();
    }

    static List<String> features(XmlElement query) {
        List<String> out = new ArrayList<>();
        for (XmlElement f : query.elements()) {
            if (f.name().equals("feature")) {
                out.add(f.attr("var"));
            }
        }
        return out;
    }

    SessionContext context;
    EmbeddedChannel ch;

    @BeforeEach
    void setUp() {
        context = StageKit.online(new RecordingListener());
        ch = new EmbeddedChannel(new ServiceResponder(context, FEATURES));
    }

    void serverSends(String xml) {
        ch.writeInbound(Stanza.of(StageKit.xml(xml)));
    }

    @Test
    void aPingIsAnsweredAndNotPassedOn() {
        serverSends("<iq type='get' id='p1' from='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        XmlElement pong = StageKit.writtenElement(ch);
        assertThat(pong.name()).isEqualTo("iq");
        assertThat(pong.attr("type")).isEqualTo("result");
        assertThat(pong.attr("id")).isEqualTo("p1");
        assertThat(pong.attr("to")).isEqualTo("localhost");
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void discoInfoIsAnsweredWithTheConfiguredFeatures() {
        serverSends("<iq type='get' id='d1' from='romeo@montague.lit/orchard'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        XmlElement answer = StageKit.writtenElement(ch);
        assertThat(answer.attr("type")).isEqualTo("result");
        assertThat(features(answer.child("query", ServiceResponder.DISCO_INFO_NS))).containsExactlyElementsOf(FEATURES);
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aRosterPushFromTheServerIsAcknowledgedAndPassedOn() {
        serverSends("<iq type='set' id='push1'><query xmlns='jabber:iq:roster'><item jid='nurse@example.com'/></query></iq>");
        serverSends("<iq type='set' id='push2' from='alice@localhost'><query xmlns='jabber:iq:roster'/></iq>");
        List<Object> acks = StageKit.written(ch);
        assertThat(acks).hasSize(2);
        assertThat(((XmlElement) acks.get(0)).attr("id")).isEqualTo("push1");
        assertThat(((XmlElement) acks.get(0)).attr("type")).isEqualTo("result");
        assertThat(((Stanza) ch.readInbound()).id()).isEqualTo("push1");
        assertThat(((Stanza) ch.readInbound()).id()).isEqualTo("push2");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aRosterPushFromAnyoneElseIsDropped() {
        serverSends("<iq type='set' id='push1' from='evil@example.net'><query xmlns='jabber:iq:roster'/></iq>");
        serverSends("<iq type='set' id='push2' from='alice@localhost/other'><query xmlns='jabber:iq:roster'/></iq>");
        assertThat(StageKit.written(ch)).isEmpty();
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(context.dropped()).isEqualTo(2);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void otherRequestsGoToTheApplication() {
        serverSends("<iq type='get' id='v1' from='romeo@montague.lit/orchard'><query xmlns='jabber:iq:version'/></iq>");
        serverSends("<iq type='set' id='r1' from='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        assertThat(StageKit.written(ch)).isEmpty();
        assertThat(((ApplicationHandler.IqRequest) ch.readInbound()).iq().id()).isEqualTo("v1");
        assertThat(((ApplicationHandler.IqRequest) ch.readInbound()).iq().id()).as("a ping set is not a ping").isEqualTo("r1");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void iqsThatAreNeitherRequestsNorRepliesOrHaveNoIdAreDropped() {
        serverSends("<iq type='fetch' id='x1'><ping xmlns='urn:xmpp:ping'/></iq>");
        serverSends("<iq type='get'><ping xmlns='urn:xmpp:ping'/></iq>");
        serverSends("<iq id='x3'><ping xmlns='urn:xmpp:ping'/></iq>");
        assertThat(StageKit.written(ch)).isEmpty();
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(context.dropped()).isEqualTo(3);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void requestsBeforeTheSessionIsOnlineAreIgnored() {
        SessionContext binding = StageKit.context();
        binding.state(NegotiationState.BINDING);
        EmbeddedChannel early = new EmbeddedChannel(new ServiceResponder(binding, FEATURES));
        early.writeInbound(Stanza.of(StageKit.xml("<iq type='get' id='p1' from='localhost'><ping xmlns='urn:xmpp:ping'/></iq>")));
        assertThat(StageKit.written(early)).isEmpty();
        assertThat(early.<Object>readInbound()).isNull();
        assertThat(binding.dropped()).isZero();
        assertThat(early.finish()).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void messagesAndPresencePassUntouched() {
        serverSends("<message from='romeo@example.net'><body>hi</body></message>");
        serverSends("<presence from='romeo@example.net'/>");
        assertThat(((Stanza) ch.readInbound()).kind()).isEqualTo(Stanza.Kind.MESSAGE);
        assertThat(((Stanza) ch.readInbound()).kind()).isEqualTo(Stanza.Kind.PRESENCE);
        assertThat(StageKit.written(ch)).isEmpty();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void discoInfoIsOurIdentityAndFeaturesAndHashesToTheCapsVer() {
        XmlElement caps = ServiceResponder.capsElement(FEATURES);
        assertThat(caps.is("c", EntityCaps.NS)).isTrue();
        assertThat(caps.attr("hash")).isEqualTo("sha-1");
        assertThat(caps.attr("node")).isEqualTo("https://openzoep.org");
        Stanza plain = ServiceResponder.discoInfo(discoGet(null), FEATURES, caps);
        assertThat(plain.type()).isEqualTo("result");
        assertThat(plain.id()).isEqualTo("d1");
        assertThat(plain.element().attr("to")).isEqualTo("romeo@montague.lit/orchard");
        XmlElement q = plain.payload();
        assertThat(q.attr("node")).isNull();
        XmlElement identity = q.child("identity", ServiceResponder.DISCO_INFO_NS);
        assertThat(identity.attr("category") + "/" + identity.attr("type") + "/" + identity.attr("name"))
                .isEqualTo("client/pc/OpenZoep");
        assertThat(features(q)).containsExactlyElementsOf(FEATURES);
        // what a peer checking our caps computes (XEP-0115 §5.4) is the ver we advertise
        assertThat(EntityCaps.verification(q)).isEqualTo(caps.attr("ver"));
        assertThat(ServiceResponder.capsElement(List.of("urn:xmpp:ping")).attr("ver")).isNotEqualTo(caps.attr("ver"));
    }

    @Test
    void discoInfoOnTheCapsNodeEchoesItAndOtherNodesAreNotFound() {
        XmlElement caps = ServiceResponder.capsElement(FEATURES);
        String node = "https://openzoep.org#" + caps.attr("ver");
        Stanza answer = ServiceResponder.discoInfo(discoGet(node), FEATURES, caps);
        assertThat(answer.type()).isEqualTo("result");
        assertThat(answer.payload().attr("node")).isEqualTo(node);
        assertThat(features(answer.payload())).containsExactlyElementsOf(FEATURES);
        Stanza other = ServiceResponder.discoInfo(discoGet("https://openzoep.org#stale"), FEATURES, caps);
        assertThat(other.isError()).isTrue();
        assertThat(other.error().condition()).isEqualTo("item-not-found");
        assertThat(other.id()).isEqualTo("d1");
    }
}
