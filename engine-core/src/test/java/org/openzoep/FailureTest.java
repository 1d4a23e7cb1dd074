package org.openzoep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.session.XmppException;
import org.openzoep.xmpp.stanza.StanzaError;

/** The typed failures carry the conditions the XML API writes for the same failure (docs/api.md). */
class FailureTest {

    @Test
    void xmppFailuresMapToTheXmlApisLoginConditions() {
        assertFailure(XmppException.auth("not-authorized", null), "auth", "not-authorized", "auth-failed");
        assertFailure(XmppException.of(XmppException.Kind.CONNECT_FAILED, "x"), "wait", "remote-server-not-found",
                "connect-failed");
        assertFailure(XmppException.of(XmppException.Kind.TIMEOUT, "x"), "wait", "remote-server-timeout", "timeout");
        assertFailure(XmppException.of(XmppException.Kind.TLS_REQUIRED, "x"), "cancel", "policy-violation",
                "tls-required");
        assertFailure(XmppException.of(XmppException.Kind.CERTIFICATE_REJECTED, "x"), "cancel", "not-acceptable",
                "certificate-rejected");
        assertFailure(XmppException.of(XmppException.Kind.BIND_FAILED, "x"), "cancel", "conflict", "bind-failed");
        assertFailure(XmppException.of(XmppException.Kind.CLOSED, "x"), "cancel", "service-unavailable", "closed");
        assertFailure(new IllegalArgumentException("boom"), "cancel", "internal-server-error", "internal-error");
    }

    @Test
    void aStanzaErrorKeepsItsOwnConditionAndTheCauseIsUnwrapped() {
        XmppException x = XmppException.stanza(StanzaError.of("modify", "bad-request", "no"));
        AccountFailure f = AccountFailure.of(new CompletionException(x));
        assertThat(f.reason()).isEqualTo(AccountFailure.Reason.STANZA_ERROR);
        assertThat(f.errorType()).isEqualTo("modify");
        assertThat(f.condition()).isEqualTo("bad-request");
        assertThat(f.xmppCause()).isSameAs(x);
        assertThat(AccountFailure.of(f)).isSameAs(f);
    }

    @Test
    void callFailuresCarryTheVoiceErrorConditions() {
        CallFailure f = new CallFailure(CallEnd.Reason.BAD_REQUEST, "no call");
        assertThat(f.errorType()).isEqualTo("modify");
        assertThat(f.condition()).isEqualTo("bad-request");
        assertThat(f.zoepCondition()).isEqualTo("bad-request");
        assertThat(f.text()).isEqualTo("no call");
        ZoepException z = f;
        assertThat(z).isNotInstanceOf(AccountFailure.class);
        assertThat(ZoepException.class.getPermittedSubclasses()).containsExactlyInAnyOrder(AccountFailure.class,
                CallFailure.class);
        assertThatThrownBy(() -> new CallFailure(CallEnd.Reason.HANGUP, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertFailure(Throwable t, String type, String condition, String zoep) {
        AccountFailure f = AccountFailure.of(t);
        assertThat(f.errorType()).as("type of %s", t).isEqualTo(type);
        assertThat(f.condition()).as("condition of %s", t).isEqualTo(condition);
        assertThat(f.zoepCondition()).as("OpenZoep condition of %s", t).isEqualTo(zoep);
    }
}
