package org.openzoep;

import java.util.Objects;

/**
 * Why an operation of the API failed; the {@code CompletionStage}s of {@link Account} and
 * {@link Call} fail with one of these. Each carries what the XML API says for the same failure:
 * the RFC 6120 error type and condition, a human-readable text, and OpenZoep's own condition
 * (the {@code http://openzoep.org/protocol/errors} element, see {@code docs/api.md}).
 */
public abstract sealed class ZoepException extends Exception permits AccountFailure, CallFailure {
    private final String errorType;
    private final String condition;
    private final String zoepCondition;

    ZoepException(String errorType, String condition, String zoepCondition, String text, Throwable cause) {
        super(text, cause, false, false);
        this.errorType = Objects.requireNonNull(errorType, "errorType");
        this.condition = Objects.requireNonNull(condition, "condition");
        this.zoepCondition = Objects.requireNonNull(zoepCondition, "zoepCondition");
    }

    /** RFC 6120 §8.3.2 error type: {@code auth}, {@code cancel}, {@code modify}, {@code wait}. */
    public String errorType() {
        return errorType;
    }

    /** RFC 6120 §8.3.3 stanza error condition, e.g. {@code not-authorized}, {@code bad-request}. */
    public String condition() {
        return condition;
    }

    /** OpenZoep's condition, e.g. {@code auth-failed}, {@code certificate-rejected}, {@code no-common-codec}. */
    public String zoepCondition() {
        return zoepCondition;
    }

    /** The human-readable text (the message). */
    public String text() {
        return getMessage();
    }
}
