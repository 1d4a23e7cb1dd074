package org.openzoep.xmpp.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SaslPrepTest {

    /** RFC 4013 §3 examples, plus the space mapping. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "I\u00ADX|IX",
        "user|user",
        "USER|USER",
        "\u00AA|a",
        "\u2168|IX",
        "a\u00A0b|a b",
        "caf\u0065\u0301|caf\u00E9",
    })
    void rfc4013Examples(String in, String out) throws Exception {
        assertThat(SaslPrep.prepare(in, "username")).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\u0007",            // RFC 4013 example: prohibited character
        "a\u0000b",
        "a\u007Fb",
        "a\u0085b",
        "a\uE000b",          // private use
        "a\uFFFEb",          // non-character
        "a\uD800b",          // unpaired surrogate
        "a\u200Eb",          // LRM
        "a\u2FF0b",
        "\u0627\u0031",      // RFC 4013 example: bidi check
        "\u0627a\u0627",     // RandAL mixed with L
    })
    void prohibitedInputIsRefused(String in) {
        assertThatThrownBy(() -> SaslPrep.prepare(in, "password"))
                .isInstanceOfSatisfying(SaslException.class, e -> {
                    assertThat(e.condition()).isEqualTo(SaslException.Condition.ILLEGAL_CREDENTIALS);
                    assertThat(e.getMessage()).contains("password").doesNotContain(in);
                });
    }

    @Test
    void rightToLeftOnlyIsAllowed() throws Exception {
        assertThat(SaslPrep.prepare("\u0627\u0031\u0628", "username")).isEqualTo("\u0627\u0031\u0628");
    }
}
