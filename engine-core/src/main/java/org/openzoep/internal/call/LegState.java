package org.openzoep.internal.call;

import java.util.EnumSet;
import java.util.Set;
import org.openzoep.CallState;

/**
 * The states of one {@link Leg} and the transitions between them, written down once (as Netty's
 * decoders write theirs): outgoing {@code CALLING → RINGING → CONNECTING → ACTIVE}, incoming
 * {@code RINGING → CONNECTING → ACTIVE}; every state may go to {@code ENDED}; nothing leaves
 * {@code ENDED}.
 */
public enum LegState {
    /** Outgoing: proposed; no device rings yet. */
    CALLING(CallState.CALLING),
    /** Outgoing: a device of the callee rings. Incoming: this device rings. */
    RINGING(CallState.RINGING),
    /** Answered: offer/answer, ICE and security run. */
    CONNECTING(CallState.CONNECTING),
    /** Media flows. */
    ACTIVE(CallState.ACTIVE),
    /** Over; the media path is closed or closing. */
    ENDED(CallState.ENDED);

    private final CallState callState;

    LegState(CallState callState) {
        this.callState = callState;
    }

    /** The state the application sees. */
    public CallState callState() {
        return callState;
    }

    /** The states this one may go to. */
    public Set<LegState> next() {
        return switch (this) {
            case CALLING -> EnumSet.of(RINGING, CONNECTING, ENDED);
            case RINGING -> EnumSet.of(CONNECTING, ENDED);
            case CONNECTING -> EnumSet.of(ACTIVE, ENDED);
            case ACTIVE -> EnumSet.of(ENDED);
            case ENDED -> EnumSet.noneOf(LegState.class);
        };
    }

    /** True while the call is being set up and may still be answered or accepted. */
    public boolean ringing() {
        return this == CALLING || this == RINGING;
    }

    /**
     * The state after going to {@code to}.
     *
     * @throws IllegalStateException for a transition the table does not have
     */
    public LegState go(LegState to) {
        if (!next().contains(to)) {
            throw new IllegalStateException("a leg cannot go from " + this + " to " + to);
        }
        return to;
    }
}
