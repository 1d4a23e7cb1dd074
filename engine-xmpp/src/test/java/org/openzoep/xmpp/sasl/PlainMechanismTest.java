package org.openzoep.xmpp.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlainMechanismTest {

    @Test
    void rfc4616Message() throws Exception {
        PlainMechanism m = new PlainMechanism("tim", "tanstaaftanstaaf");
        assertThat(m.name()).isEqualTo("PLAIN");
        assertThat(m.initialResponse()).isEqualTo("\0tim\0tanstaaftanstaaf".getBytes(UTF_8));
        m.verifySuccess(null);
    }

    @Test
    void withAuthzidAndUtf8() throws Exception {
        PlainMechanism m = new PlainMechanism("Ursel", "Kurt", "xipj3plmq\u00E4");
        assertThat(m.initialResponse()).isEqualTo("Ursel\0Kurt\0xipj3plmq\u00E4".getBytes(UTF_8));
    }

    @Test
    void nulIsRefused() {
        assertThatThrownBy(() -> new PlainMechanism("a\0b", "pw").initialResponse())
                .isInstanceOfSatisfying(SaslException.class,
                        e -> assertThat(e.condition()).isEqualTo(SaslException.Condition.ILLEGAL_CREDENTIALS));
        assertThatThrownBy(() -> new PlainMechanism("ab", "p\0w").initialResponse())
                .isInstanceOf(SaslException.class);
    }

    @Test
    void challengeIsAnError() throws Exception {
        PlainMechanism m = new PlainMechanism("tim", "pw");
        m.initialResponse();
        assertThatThrownBy(() -> m.evaluateChallenge(new byte[0]))
                .isInstanceOfSatisfying(SaslException.class,
                        e -> assertThat(e.condition()).isEqualTo(SaslException.Condition.MALFORMED_CHALLENGE));
    }

    @Test
    void successBeforeAuthIsAnError() {
        assertThatThrownBy(() -> new PlainMechanism("tim", "pw").verifySuccess(null))
                .isInstanceOf(SaslException.class);
    }
}
