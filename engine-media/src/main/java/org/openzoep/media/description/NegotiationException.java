package org.openzoep.media.description;

import java.util.Objects;

/**
 * An offer or answer this endpoint cannot take. The message is a human text naming what was
 * offered; the {@link #failure()} says which kind, for the signaller's reason (Jingle
 * {@code failed-application}, {@code security-error}; SIP 488).
 */
public final class NegotiationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the negotiation failed. */
    public enum Failure {
        /** No audio line (or the audio line was rejected by the offerer itself). */
        NO_AUDIO,
        /** No codec both sides allow, or the answer rejected the audio line. */
        NO_COMMON_CODEC,
        /** The peer's security is not acceptable: no fingerprint, SDES or plain RTP not allowed. */
        INSECURE,
        /** An answer that breaks RFC 3264 or RFC 5763: codec not offered, setup actpass, … */
        BAD_ANSWER
    }

    private final Failure failure;

    public NegotiationException(Failure failure, String message) {
        super(message);
        this.failure = Objects.requireNonNull(failure);
    }

    public Failure failure() {
        return failure;
    }
}
