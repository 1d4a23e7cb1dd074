package org.openzoep.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.openzoep.CallEnd;
import org.openzoep.CallState;

/** The leg's transition table, and the pieces of a call that need no network. */
class LegStateTest {

    @Test
    void outgoingAndIncomingPathsAreInTheTableAndEveryStateCanEnd() {
        LegState s = LegState.CALLING.go(LegState.RINGING).go(LegState.CONNECTING).go(LegState.ACTIVE).go(LegState.ENDED);
        assertThat(s).isEqualTo(LegState.ENDED);
        assertThat(LegState.CALLING.go(LegState.CONNECTING)).as("proceed before ringing").isEqualTo(LegState.CONNECTING);
        for (LegState from : LegState.values()) {
            if (from != LegState.ENDED) {
                assertThat(from.next()).contains(LegState.ENDED);
            }
        }
        assertThat(LegState.ENDED.next()).isEmpty();
    }

    @Test
    void nothingGoesBackwards() {
        assertThatThrownBy(() -> LegState.ACTIVE.go(LegState.RINGING)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LegState.ENDED.go(LegState.ACTIVE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LegState.RINGING.go(LegState.CALLING)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LegState.CONNECTING.go(LegState.CONNECTING)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void eachLegStateIsTheCallStateOfTheSameName() {
        for (LegState s : LegState.values()) {
            assertThat(s.callState()).isEqualTo(CallState.valueOf(s.name()));
        }
        assertThat(LegState.CALLING.ringing()).isTrue();
        assertThat(LegState.RINGING.ringing()).isTrue();
        assertThat(LegState.CONNECTING.ringing()).isFalse();
    }

    @Test
    void dtmfDigitsAndEventsMapBothWays() {
        String digits = "0123456789*#ABCD";
        for (int e = 0; e < 16; e++) {
            assertThat(DefaultCall.dtmfEvent(digits.charAt(e))).isEqualTo(e);
            assertThat(DefaultCall.dtmfDigit(e)).isEqualTo(digits.charAt(e));
        }
        assertThat(DefaultCall.dtmfEvent('a')).isEqualTo(12);
        assertThat(DefaultCall.dtmfEvent('x')).isEqualTo(-1);
        assertThat(CallEnd.Reason.NO_COMMON_CODEC.wireName()).isEqualTo("no-common-codec");
    }
}
