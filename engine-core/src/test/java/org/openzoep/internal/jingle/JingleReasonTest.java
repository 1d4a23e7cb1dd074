package org.openzoep.internal.jingle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openzoep.CallEnd;
import org.openzoep.internal.call.Signaller;
import org.openzoep.xmpp.jingle.Reason;

/** The Jingle reason a local end sends: the end's own, unless the leg names a cause (docs/api.md). */
class JingleReasonTest {

    @Test
    void endsMapToTheirReasons() {
        assertThat(cond(CallEnd.Reason.HANGUP)).isEqualTo(Reason.Condition.SUCCESS);
        assertThat(cond(CallEnd.Reason.CANCELLED)).isEqualTo(Reason.Condition.CANCEL);
        assertThat(cond(CallEnd.Reason.DECLINED)).isEqualTo(Reason.Condition.DECLINE);
        assertThat(cond(CallEnd.Reason.BUSY)).isEqualTo(Reason.Condition.BUSY);
        assertThat(cond(CallEnd.Reason.NO_ANSWER)).isEqualTo(Reason.Condition.TIMEOUT);
        assertThat(cond(CallEnd.Reason.NO_COMMON_CODEC)).isEqualTo(Reason.Condition.FAILED_APPLICATION);
        assertThat(cond(CallEnd.Reason.ICE_FAILED)).isEqualTo(Reason.Condition.CONNECTIVITY_ERROR);
        assertThat(cond(CallEnd.Reason.INSECURE)).isEqualTo(Reason.Condition.SECURITY_ERROR);
        assertThat(cond(CallEnd.Reason.FAILED)).isEqualTo(Reason.Condition.GENERAL_ERROR);
    }

    @Test
    void aCauseOverridesTheEnd() {
        assertThat(JingleSignaller.condition(CallEnd.Reason.NO_COMMON_CODEC, Signaller.Cause.NO_APPLICATION))
                .isEqualTo(Reason.Condition.UNSUPPORTED_APPLICATIONS);
        assertThat(JingleSignaller.condition(CallEnd.Reason.FAILED, Signaller.Cause.MEDIA))
                .isEqualTo(Reason.Condition.MEDIA_ERROR);
        assertThat(JingleSignaller.condition(CallEnd.Reason.DTLS_FAILED, Signaller.Cause.CONNECTIVITY))
                .isEqualTo(Reason.Condition.CONNECTIVITY_ERROR);
    }

    private static Reason.Condition cond(CallEnd.Reason r) {
        return JingleSignaller.condition(r, Signaller.Cause.AS_ENDED);
    }
}
