package org.openzoep.media.srtp;

/** Why a DTLS-SRTP handshake did not produce keys. */
public final class SrtpHandshakeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The typed cause. */
    public enum Reason {
        /** No finished handshake within the given timeout. */
        TIMEOUT,
        /** The peer's certificate does not hash to the signalled fingerprint, or there was none. */
        FINGERPRINT_MISMATCH,
        /** The peer did not offer or select SRTP_AES128_CM_HMAC_SHA1_80 in use_srtp. */
        NO_SRTP_PROFILE,
        /** A fatal DTLS alert, sent or received (e.g. no common cipher suite). */
        ALERT,
        /** The transport was closed before the handshake finished. */
        CLOSED,
        /** The handshake executor refused the handshake: its bounded pool is full. */
        OVERLOADED
    }

    private final Reason reason;

    public SrtpHandshakeException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public SrtpHandshakeException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
