package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlElement;

/** {@link SaslExchange}: the XMPP wrapping of a SASL exchange (RFC 6120 §6.4), and {@link IqType}'s wire names. */
class SaslExchangeTest {
    static final String FEATURES = "<stream:features xmlns:stream='http://etherx.jabber.org/streams'>"
            + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>%s</mechanisms></stream:features>";

    static XmlElement offer(String... mechanisms) {
        StringBuilder sb = new StringBuilder();
        for (String m : mechanisms) {
            sb.append("<mechanism>").append(m).append("</mechanism>");
        }
        return StageKit.xml(String.format(FEATURES, sb));
    }

    static XmlElement sasl(String name, String text) {
        return StageKit.xml("<" + name + " xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + text + "</" + name + ">");
    }

    @Test
    void thePreferenceDecidesAndAuthCarriesTheInitialResponse() throws Exception {
        XmppSessionConfig cfg = StageKit.configBuilder().tlsMode(TlsMode.DIRECT_TLS).build();
        XmlElement auth = SaslExchange.start(offer("PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"), true, cfg).auth();
        assertThat(auth.attr("mechanism")).isEqualTo("SCRAM-SHA-256");
        assertThat(new String(Base64.getDecoder().decode(auth.text()), StandardCharsets.US_ASCII)).startsWith("n,,n=alice,r=");
        XmlElement plain = SaslExchange.start(offer("PLAIN"), true, cfg).auth();
        assertThat(new String(Base64.getDecoder().decode(plain.text()), StandardCharsets.UTF_8)).isEqualTo("\0alice\0pw");
    }

    @Test
    void nothingAcceptableFailsNamingTheOffer() {
        assertThatThrownBy(() -> SaslExchange.start(offer("PLAIN"), false, StageKit.configBuilder().build()))
                .isInstanceOfSatisfying(XmppException.class, e -> {
                    assertThat(e.kind()).isEqualTo(XmppException.Kind.AUTH_FAILED);
                    assertThat(e.getMessage()).contains("(offered: [PLAIN])");
                });
    }

    @Test
    void stepsAreRecognisedByNameAndNamespace() {
        assertThat(SaslExchange.step(sasl("challenge", "abc="))).isEqualTo(SaslExchange.Step.CHALLENGE);
        assertThat(SaslExchange.step(sasl("success", ""))).isEqualTo(SaslExchange.Step.SUCCESS);
        assertThat(SaslExchange.step(sasl("failure", ""))).isEqualTo(SaslExchange.Step.FAILURE);
        assertThat(SaslExchange.step(sasl("abort", ""))).isEqualTo(SaslExchange.Step.OTHER);
        assertThat(SaslExchange.step(StageKit.xml("<challenge xmlns='urn:other'/>"))).isEqualTo(SaslExchange.Step.OTHER);
    }

    @Test
    void challengesAreBase64WithEqualsForEmpty() throws Exception {
        assertThat(SaslExchange.challenge(sasl("challenge", "="))).isEmpty();
        assertThat(SaslExchange.challenge(sasl("challenge", " aGk= "))).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> SaslExchange.challenge(sasl("challenge", "!!")))
                .isInstanceOfSatisfying(XmppException.class, e -> assertThat(e.saslCondition()).isEqualTo("malformed-challenge"));
    }

    @Test
    void aFailureNamesItsConditionAndText() {
        XmppException e = SaslExchange.failure(sasl("failure", "<account-disabled/><text>gone</text>"));
        assertThat(e.saslCondition()).isEqualTo("account-disabled");
        assertThat(e.getMessage()).contains("gone");
        assertThat(SaslExchange.failure(sasl("failure", "")).saslCondition()).isEqualTo("not-authorized");
    }

    @Test
    void iqTypesRoundTripTheirWireNames() {
        for (IqType t : IqType.values()) {
            assertThat(IqType.of(t.wireName())).isSameAs(t);
        }
        assertThat(List.of(IqType.GET.isRequest(), IqType.SET.isRequest(), IqType.RESULT.isRequest()))
                .containsExactly(true, true, false);
        assertThat(IqType.of("GET")).isNull();
        assertThat(IqType.of(null)).isNull();
    }
}
