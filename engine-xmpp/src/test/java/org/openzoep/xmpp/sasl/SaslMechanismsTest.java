package org.openzoep.xmpp.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SaslMechanismsTest {

    @Test
    void prefersScramSha256() throws Exception {
        assertThat(SaslMechanisms.select(List.of("PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"), true))
                .isEqualTo("SCRAM-SHA-256");
        assertThat(SaslMechanisms.select(List.of("PLAIN", "SCRAM-SHA-1"), true)).isEqualTo("SCRAM-SHA-1");
        assertThat(SaslMechanisms.select(List.of(" SCRAM-SHA-1 "), false)).isEqualTo("SCRAM-SHA-1");
    }

    @Test
    void plusVariantsAreNeverChosen() throws Exception {
        assertThat(SaslMechanisms.select(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-1"), true))
                .isEqualTo("SCRAM-SHA-1");
        assertNoAcceptable(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS"), true, SaslMechanisms.DEFAULT_PREFERENCE);
    }

    @Test
    void plainOnlyWhenEncrypted() throws Exception {
        assertThat(SaslMechanisms.select(List.of("PLAIN", "DIGEST-MD5"), true)).isEqualTo("PLAIN");
        assertNoAcceptable(List.of("PLAIN"), false, SaslMechanisms.DEFAULT_PREFERENCE);
    }

    @Test
    void neverPlainWhenScramOffered() throws Exception {
        // The client prefers PLAIN, but the server offered SCRAM-SHA-1: no downgrade.
        assertNoAcceptable(List.of("SCRAM-SHA-1", "PLAIN"), true, List.of("PLAIN"));
        assertNoAcceptable(List.of("SCRAM-SHA-1", "PLAIN"), true, List.of("SCRAM-SHA-256", "PLAIN"));
        assertThat(SaslMechanisms.select(List.of("SCRAM-SHA-1", "PLAIN"), true, List.of("PLAIN", "SCRAM-SHA-1")))
                .isEqualTo("SCRAM-SHA-1");
    }

    @Test
    void preferenceOrderIsHonoured() throws Exception {
        assertThat(SaslMechanisms.select(List.of("SCRAM-SHA-1", "SCRAM-SHA-256"), true,
                List.of("SCRAM-SHA-1", "SCRAM-SHA-256"))).isEqualTo("SCRAM-SHA-1");
    }

    @Test
    void emptyOrUnsupportedOfferFails() {
        assertNoAcceptable(List.of(), true, SaslMechanisms.DEFAULT_PREFERENCE);
        assertNoAcceptable(List.of("", "  "), true, SaslMechanisms.DEFAULT_PREFERENCE);
        assertNoAcceptable(List.of("DIGEST-MD5", "EXTERNAL", "ANONYMOUS"), true, SaslMechanisms.DEFAULT_PREFERENCE);
        assertThatThrownBy(() -> SaslMechanisms.select(List.of("DIGEST-MD5"), true))
                .hasMessageContaining("DIGEST-MD5");
    }

    @Test
    void badPreferenceIsAProgrammingError() {
        assertThatThrownBy(() -> SaslMechanisms.select(List.of("PLAIN"), true, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SaslMechanisms.select(List.of("PLAIN"), true, List.of("SCRAM-SHA-256-PLUS")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createBuildsTheNamedMechanism() throws Exception {
        assertThat(SaslMechanisms.create("SCRAM-SHA-256", "u", "p")).isInstanceOf(ScramMechanism.class)
                .extracting(SaslMechanism::name).isEqualTo("SCRAM-SHA-256");
        assertThat(SaslMechanisms.create("SCRAM-SHA-1", "u", "p").name()).isEqualTo("SCRAM-SHA-1");
        assertThat(SaslMechanisms.create("PLAIN", "u", "p")).isInstanceOf(PlainMechanism.class);
        assertThatThrownBy(() -> SaslMechanisms.create("DIGEST-MD5", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SaslMechanisms.negotiate(List.of("PLAIN", "SCRAM-SHA-1"), true,
                SaslMechanisms.DEFAULT_PREFERENCE, "u", "p").name()).isEqualTo("SCRAM-SHA-1");
    }

    @Test
    void rfc6120ConditionsMapByName() {
        assertThat(SaslException.Condition.fromRfc6120("not-authorized")).contains(SaslException.Condition.NOT_AUTHORIZED);
        assertThat(SaslException.Condition.fromRfc6120("server-signature-mismatch")).isEmpty();
        assertThat(SaslException.Condition.fromRfc6120("bogus")).isEmpty();
        assertThat(SaslException.Condition.NOT_AUTHORIZED.isRfc6120()).isTrue();
        assertThat(SaslException.Condition.NO_ACCEPTABLE_MECHANISM.isRfc6120()).isFalse();
    }

    private static void assertNoAcceptable(List<String> offered, boolean encrypted, List<String> preference) {
        assertThatThrownBy(() -> SaslMechanisms.select(offered, encrypted, preference))
                .isInstanceOfSatisfying(SaslException.class, e -> assertThat(e.condition())
                        .isEqualTo(SaslException.Condition.NO_ACCEPTABLE_MECHANISM));
    }

    static final List<String> TLS13 = List.of("tls-exporter", "tls-server-end-point");
    static final List<String> TLS12 = List.of("tls-unique", "tls-server-end-point");

    @Test
    void plusBeatsAStrongerHashAndTakesTheFirstCommonBindingType() throws Exception {
        SaslMechanisms.Choice c = SaslMechanisms.choose(List.of("SCRAM-SHA-512", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256-PLUS"),
                List.of("tls-server-end-point", "tls-unique"), true, TLS13, SaslMechanisms.Policy.DEFAULT);
        assertThat(c).isEqualTo(new SaslMechanisms.Choice("SCRAM-SHA-256-PLUS", "tls-server-end-point", 'p', false));
    }

    @Test
    void withoutXep0440TheClientsBestTypeIsUsed() throws Exception {
        assertThat(SaslMechanisms.choose(List.of("SCRAM-SHA-1", "SCRAM-SHA-1-PLUS"), null, true, TLS12,
                SaslMechanisms.Policy.DEFAULT).bindingType()).isEqualTo("tls-unique");
    }

    @Test
    void theGs2FlagSaysWhatTheClientCouldDo() throws Exception {
        SaslMechanisms.Policy p = SaslMechanisms.Policy.DEFAULT;
        assertThat(SaslMechanisms.choose(List.of("SCRAM-SHA-256"), null, true, TLS13, p).gs2Flag()).isEqualTo('y');
        assertThat(SaslMechanisms.choose(List.of("SCRAM-SHA-256"), null, true, List.of(), p).gs2Flag()).isEqualTo('n');
        SaslMechanisms.Choice noCommon = SaslMechanisms.choose(List.of("SCRAM-SHA-256", "SCRAM-SHA-256-PLUS"),
                List.of("tls-nonsense"), true, TLS13, p);
        assertThat(noCommon).isEqualTo(new SaslMechanisms.Choice("SCRAM-SHA-256", null, 'n', true));
    }

    @Test
    void plainCanBeForbiddenAndBindingRequired() {
        SaslMechanisms.Policy noPlain = new SaslMechanisms.Policy(SaslMechanisms.DEFAULT_PREFERENCE, false, false, 4096);
        assertThatThrownBy(() -> SaslMechanisms.choose(List.of("PLAIN"), null, true, TLS13, noPlain))
                .isInstanceOfSatisfying(SaslException.class, e -> {
                    assertThat(e.condition()).isEqualTo(SaslException.Condition.NO_ACCEPTABLE_MECHANISM);
                    assertThat(e.getMessage()).contains("not allowed by the configuration");
                });
        SaslMechanisms.Policy bind = new SaslMechanisms.Policy(SaslMechanisms.DEFAULT_PREFERENCE, true, true, 4096);
        assertThatThrownBy(() -> SaslMechanisms.choose(List.of("SCRAM-SHA-512", "PLAIN"), null, true, TLS13, bind))
                .isInstanceOfSatisfying(SaslException.class, e -> assertThat(e.condition())
                        .isEqualTo(SaslException.Condition.CHANNEL_BINDING_UNAVAILABLE));
        assertThatThrownBy(() -> SaslMechanisms.choose(List.of("SCRAM-SHA-512-PLUS"), null, true, List.of(), bind))
                .isInstanceOfSatisfying(SaslException.class, e -> assertThat(e.getMessage()).contains("no channel-binding data"));
    }
}
