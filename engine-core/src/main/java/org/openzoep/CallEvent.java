package org.openzoep;

/**
 * Something that happened to a call, delivered in order per account through
 * {@link AccountListener#onCall}.
 *
 * @param kind what happened
 * @param end why the call ended ({@link Kind#ENDED} only), else null
 * @param digit the DTMF digit received ({@link Kind#DTMF} only), else 0
 */
public record CallEvent(Kind kind, CallEnd end, char digit) {

    public enum Kind {
        /** A new incoming call rings here; answer it with {@link Call#answer()}. */
        INCOMING,
        /** The callee's device rings (outgoing calls). */
        RINGING,
        /** Media is connected (ICE, DTLS-SRTP done): the {@code joined} moment. */
        JOINED,
        /** The peer put the call on hold or resumed it ({@link Call#remoteHeld()}). */
        REMOTE_HOLD,
        /** The peer muted or unmuted ({@link Call#remoteMuted()}). */
        REMOTE_MUTE,
        /** A DTMF digit arrived (RFC 4733). */
        DTMF,
        /** The call ended; {@link CallEvent#end()} says why. */
        ENDED
    }

    /** An event without an end or a digit. */
    public static CallEvent of(Kind kind) {
        return new CallEvent(kind, null, (char) 0);
    }
}
