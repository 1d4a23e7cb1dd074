package org.openzoep.xmpp.sasl;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A failed SASL exchange, with a typed {@link Condition}: either one of the RFC 6120 §6.5 failure
 * conditions the server sent, or a local condition detected by the client.
 */
public final class SaslException extends Exception {

    /**
     * Why authentication failed. The first group are the RFC 6120 §6.5 conditions a server sends
     * in {@code <failure/>}; the second group are detected by this client.
     */
    public enum Condition {
        // RFC 6120 §6.5
        /** The exchange was aborted (by the client's {@code <abort/>}). */
        ABORTED("aborted"),
        /** The account is disabled. */
        ACCOUNT_DISABLED("account-disabled"),
        /** The credentials have expired. */
        CREDENTIALS_EXPIRED("credentials-expired"),
        /** The mechanism needs an encrypted stream. */
        ENCRYPTION_REQUIRED("encryption-required"),
        /** The client's data was not correctly base64-encoded. */
        INCORRECT_ENCODING("incorrect-encoding"),
        /** The authorization identity is invalid or not permitted. */
        INVALID_AUTHZID("invalid-authzid"),
        /** The server does not support the mechanism the client asked for. */
        INVALID_MECHANISM("invalid-mechanism"),
        /** The client's request was malformed. */
        MALFORMED_REQUEST("malformed-request"),
        /** The server's policy rejects the mechanism. */
        MECHANISM_TOO_WEAK("mechanism-too-weak"),
        /** Wrong credentials (or an unknown user). */
        NOT_AUTHORIZED("not-authorized"),
        /** A temporary server-side error; a later attempt may work. */
        TEMPORARY_AUTH_FAILURE("temporary-auth-failure"),

        // Local conditions.
        /** The server sent no SCRAM server signature ({@code v=}), or a wrong one. */
        SERVER_SIGNATURE_MISMATCH("server-signature-mismatch"),
        /** No offered mechanism is supported and allowed (see {@link SaslMechanisms#select}). */
        NO_ACCEPTABLE_MECHANISM("no-acceptable-mechanism"),
        /** A challenge or success payload does not parse. */
        MALFORMED_CHALLENGE("malformed-challenge"),
        /** The server's SCRAM nonce does not extend the client's nonce. */
        NONCE_MISMATCH("nonce-mismatch"),
        /**
         * The server's SCRAM iteration count is below {@link ScramMechanism#MIN_ITERATIONS} or above
         * the configured maximum (default {@link ScramMechanism#MAX_ITERATIONS}).
         */
        ITERATION_COUNT_OUT_OF_RANGE("iteration-count-out-of-range"),
        /** The username or password cannot be sent: SASLprep prohibits it, or it contains NUL. */
        ILLEGAL_CREDENTIALS("illegal-credentials"),
        /** The SCRAM server sent an {@code e=} error other than a plain authentication failure. */
        SERVER_ERROR("server-error"),
        /**
         * The offer was changed on its way (XEP-0474: the server's hash of its mechanisms and
         * channel-binding types does not match what arrived), or it looks changed and the server
         * cannot show otherwise.
         */
        DOWNGRADE_DETECTED("downgrade-detected"),
        /**
         * Channel binding is required by the configuration, but the server offers no
         * {@code -PLUS} mechanism, no channel-binding type this client supports, or the TLS
         * connection gives no binding data.
         */
        CHANNEL_BINDING_UNAVAILABLE("channel-binding-unavailable");

        private final String wireName;

        Condition(String wireName) {
            this.wireName = wireName;
        }

        /** The condition's element name, e.g. {@code not-authorized}; local ones use the same style. */
        public String wireName() {
            return wireName;
        }

        /** Whether the condition comes from RFC 6120 §6.5 (sent by a server) rather than from this client. */
        public boolean isRfc6120() {
            return ordinal() <= TEMPORARY_AUTH_FAILURE.ordinal();
        }

        /**
         * The RFC 6120 §6.5 condition for a {@code <failure/>} child element name.
         *
         * @return empty for names RFC 6120 does not define (RFC 6120 leaves their meaning open;
         *     callers usually treat them as {@link #NOT_AUTHORIZED})
         */
        public static Optional<Condition> fromRfc6120(String elementName) {
            String name = elementName.toLowerCase(Locale.ROOT);
            for (Condition c : values()) {
                if (c.isRfc6120() && c.wireName.equals(name)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    private final Condition condition;

    /** A failure with {@code condition}; {@code message} must not contain credentials. */
    public SaslException(Condition condition, String message) {
        super(message);
        this.condition = Objects.requireNonNull(condition, "condition");
    }

    /** A failure with {@code condition} and a cause; {@code message} must not contain credentials. */
    public SaslException(Condition condition, String message, Throwable cause) {
        super(message, cause);
        this.condition = Objects.requireNonNull(condition, "condition");
    }

    /** Why authentication failed. */
    public Condition condition() {
        return condition;
    }

    /** The condition's wire name, a colon, and the detail message. */
    @Override
    public String getMessage() {
        return condition.wireName() + ": " + super.getMessage();
    }
}
