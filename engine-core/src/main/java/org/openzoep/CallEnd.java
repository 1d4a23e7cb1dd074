package org.openzoep;

import java.util.Locale;

/**
 * Why a call ended, with a human-readable text. {@link Reason#isError()} tells failures (sent to
 * the XML application as {@code <voice type='error'>} with {@link #condition()}, an RFC 6120
 * stanza error condition) from normal ends ({@code <voice type='left'>}).
 */
public record CallEnd(Reason reason, String text) {

    /** How a call can end; {@link #wireName()} is the name used on the XML API. */
    public enum Reason {
        /** This side hung up. */
        HANGUP(false, null, null),
        /** The other side hung up. */
        REMOTE_HANGUP(false, null, null),
        /** The caller gave up before the call was answered. */
        CANCELLED(false, null, null),
        /** Another device of this account answered (or declined) the call. */
        ANSWERED_ELSEWHERE(false, null, null),
        /** The callee declined. */
        DECLINED(true, "cancel", "not-acceptable"),
        /** The callee is busy. */
        BUSY(true, "wait", "resource-constraint"),
        /** No device of the callee took the call (offline, or nothing answered the proposal). */
        OFFLINE(true, "wait", "recipient-unavailable"),
        /** The server does not know the callee. */
        UNKNOWN_USER(true, "cancel", "item-not-found"),
        /** Nobody answered within the ring timeout. */
        NO_ANSWER(true, "wait", "recipient-unavailable"),
        /** The parties share no audio codec. */
        NO_COMMON_CODEC(true, "cancel", "not-acceptable"),
        /** ICE found no working path between the parties. */
        ICE_FAILED(true, "wait", "remote-server-timeout"),
        /** The DTLS handshake failed, or the peer's certificate did not match its fingerprint. */
        DTLS_FAILED(true, "cancel", "not-acceptable"),
        /** The peer offered media without a DTLS fingerprint (unencrypted media is refused). */
        INSECURE(true, "cancel", "policy-violation"),
        /** Media stopped arriving mid-call (consent lost). */
        MEDIA_LOST(true, "wait", "recipient-unavailable"),
        /**
         * This engine has as many DTLS handshakes in progress as its pool allows
         * ({@code ZoepEngine.Builder.dtlsThreads}): the call could not be secured now; a later
         * one may be.
         */
        OVERLOADED(true, "wait", "service-unavailable"),
        /** The request was not valid (unknown call id, bad address, wrong state). */
        BAD_REQUEST(true, "modify", "bad-request"),
        /** The peer sent something the engine could not use, or the account went offline. */
        FAILED(true, "cancel", "undefined-condition");

        private final boolean error;
        private final String type;
        private final String condition;

        Reason(boolean error, String type, String condition) {
            this.error = error;
            this.type = type;
            this.condition = condition;
        }

        public boolean isError() {
            return error;
        }

        /** RFC 6120 error type ({@code cancel}, {@code wait}, {@code modify}) for errors, else null. */
        public String errorType() {
            return type;
        }

        /** RFC 6120 stanza error condition for errors, else null. */
        public String condition() {
            return condition;
        }

        /** e.g. {@code remote-hangup}, {@code no-common-codec}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public boolean isError() {
        return reason.isError();
    }

    public String condition() {
        return reason.condition();
    }
}
