package org.openzoep.xmpp.disco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openzoep.xmpp.jingle.XepFixtures.canonical;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.jingle.XepFixtures;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/** XEP-0215 requests and answers, against the XEP's examples. */
class ExternalServicesTest {

    static Stanza example(String caption) throws Exception {
        return Stanza.of(XepFixtures.parseOne(XepFixtures.example("xep-0215.txt", caption).xml()));
    }

    static Stanza exampleNumber(int index) throws Exception {
        return Stanza.of(XepFixtures.parseOne(XepFixtures.load("xep-0215.txt").get(index).xml()));
    }

    @Test
    void requestsAreTheXepsWithoutTheFromTheServerStamps() throws Exception {
        Stanza all = example("Entity Requests All External Services");
        assertThat(canonical(ExternalServices.request(Jid.parse("shakespeare.lit"), "ul2bc7y6").element()))
                .isEqualTo(canonical(all.withAttr("from", null).element()));
        Stanza turn = example("Entity Requests Selected Services");
        assertThat(canonical(ExternalServices.request(Jid.parse("shakespeare.lit"), "yv2c19f7", "turn").element()))
                .isEqualTo(canonical(turn.withAttr("from", null).element()));
        Stanza creds = example("Entity Requests Credentials at a Service");
        assertThat(canonical(ExternalServices.credentialsRequest(Jid.parse("shakespeare.lit"), "xi2cax48",
                "turn.shakespeare.lit", "turn").element())).isEqualTo(canonical(creds.withAttr("from", null).element()));
    }

    @Test
    void theFullListIsReadInOrder() throws Exception {
        List<ExternalServices.Service> s = ExternalServices.parse(exampleNumber(1));
        assertThat(s).hasSize(5);
        assertThat(s.get(0)).isEqualTo(new ExternalServices.Service("stun", "stun.shakespeare.lit", 9998, "udp", null,
                null, null, false));
        assertThat(s.get(1)).isEqualTo(new ExternalServices.Service("turn", "relay.shakespeare.lit", 9999, "udp",
                "nb78932lkjlskjfdb7g8", "jj929jkj5sadjfj93v3n", null, false));
        assertThat(s.get(3).host()).isEqualTo("192.0.2.1");
        assertThat(s.get(3).port()).isEqualTo(8889);
        assertThat(s.get(4).name()).isEqualTo("Shakespearean File Server");
        assertThat(s.get(4).transport()).isEqualTo("tcp");
    }

    @Test
    void aFilteredListAPushAndCredentials() throws Exception {
        List<ExternalServices.Service> turn = ExternalServices.parse(exampleNumber(3));
        assertThat(turn).extracting(ExternalServices.Service::type).containsExactly("turn", "turn");
        assertThat(ExternalServices.parse(example("Services Push"))).extracting(ExternalServices.Service::host)
                .containsExactly("stun.shakespeare.lit", "192.0.2.2", "192.0.2.1");
        List<ExternalServices.Service> creds = ExternalServices.parse(example("Server Returns Credentials"));
        assertThat(creds).hasSize(1);
        assertThat(creds.get(0).port()).isZero();
        assertThat(creds.get(0).username()).isEqualTo("nb78932lkjlskjfdb7g8");
    }

    @Test
    void expiryRestrictionAndBadEntries() {
        XmlElement services = XmlElement.builder("services", ExternalServices.NS)
                .child(XmlElement.builder("service", ExternalServices.NS).attr("type", "turn").attr("host", "t.example")
                        .attr("port", "3478").attr("expires", "2026-12-01T10:00:00Z").attr("restricted", "true").build())
                .child(XmlElement.builder("service", ExternalServices.NS).attr("type", "stun").build())
                .child(XmlElement.builder("service", ExternalServices.NS).attr("type", "stun").attr("host", "s")
                        .attr("port", "x").build())
                .child(XmlElement.builder("service", ExternalServices.NS).attr("type", "stun").attr("host", "s")
                        .attr("port", "70000").build())
                .build();
        List<ExternalServices.Service> s = ExternalServices.parse(Stanza.iq("result").id("1").child(services).build());
        assertThat(s).hasSize(1);
        assertThat(s.get(0).expires()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(s.get(0).restricted()).isTrue();
        assertThat(ExternalServices.parse(Stanza.iq("result").id("1").build())).isEmpty();
    }
}
