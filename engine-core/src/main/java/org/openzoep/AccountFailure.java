package org.openzoep;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.openzoep.xmpp.session.XmppException;
import org.openzoep.xmpp.stanza.StanzaError;

/**
 * An account operation that failed: a login, a request, a send, a configuration. The
 * {@link Reason} says what failed; {@link #condition()} and {@link #zoepCondition()} are what the
 * XML API's error reply carries for the same failure (a failed {@code jabber:iq:auth} login reads
 * {@code <not-authorized/><auth-failed xmlns='http://openzoep.org/protocol/errors'/>}). An
 * XMPP-level failure keeps its {@link XmppException} as the cause.
 */
public final class AccountFailure extends ZoepException {

    /** What failed; {@link #wireName()} is OpenZoep's condition on the XML API. */
    public enum Reason {
        /** No TCP connection to any address of the server. */
        CONNECT_FAILED("wait", "remote-server-not-found"),
        /** STARTTLS was required but the server did not offer it. */
        TLS_REQUIRED("cancel", "policy-violation"),
        /** The server's certificate was refused. */
        CERTIFICATE_REJECTED("cancel", "not-acceptable"),
        /** The TLS handshake failed for another reason. */
        TLS_FAILED("cancel", "not-acceptable"),
        /** SASL authentication failed (wrong password, unknown user). */
        AUTH_FAILED("auth", "not-authorized"),
        /** Resource binding failed. */
        BIND_FAILED("cancel", "conflict"),
        /** The stream ended with a stream error. */
        STREAM_ERROR("cancel", "service-unavailable"),
        /** The server or the addressee answered with a stanza error (its condition is {@link #condition()}). */
        STANZA_ERROR("cancel", "service-unavailable"),
        /** No answer in time. */
        TIMEOUT("wait", "remote-server-timeout"),
        /** The session or the account closed before the operation completed. */
        CLOSED("cancel", "service-unavailable"),
        /** The stanza was refused, not sent: too much waits to be written to the server, or written during login. */
        QUEUE_FULL("wait", "resource-constraint"),
        /** The server broke the protocol, or the account is already logged in. */
        PROTOCOL("cancel", "conflict"),
        /** The operation needs the account to be online. */
        NOT_LOGGED_IN("auth", "not-authorized"),
        /** An argument was not valid (e.g. a device and a file mixed in the audio settings). */
        BAD_REQUEST("modify", "bad-request"),
        /** Something the engine did not expect; the text says what. */
        INTERNAL_ERROR("cancel", "internal-server-error");

        private final String errorType;
        private final String condition;

        Reason(String errorType, String condition) {
            this.errorType = errorType;
            this.condition = condition;
        }

        /** e.g. {@code auth-failed}, {@code certificate-rejected}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        static Reason of(XmppException.Kind kind) {
            return Reason.valueOf(kind.name());
        }
    }

    private final Reason reason;

    public AccountFailure(Reason reason, String text) {
        this(reason, reason.errorType, reason.condition, text, null);
    }

    private AccountFailure(Reason reason, String errorType, String condition, String text, Throwable cause) {
        super(errorType, condition, reason.wireName(), text, cause);
        this.reason = reason;
    }

    /**
     * The failure for what an operation failed with: an {@link XmppException} maps by its kind
     * (a stanza error keeps its own type and condition), an {@code AccountFailure} stays itself,
     * anything else is an {@link Reason#INTERNAL_ERROR}. Unwraps {@link CompletionException}s.
     */
    public static AccountFailure of(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof AccountFailure a) {
            return a;
        }
        if (t instanceof XmppException x) {
            Reason r = Reason.of(x.kind());
            StanzaError se = x.stanzaError();
            if (r == Reason.STANZA_ERROR && se != null && se.condition() != null) {
                return new AccountFailure(r, se.type() == null ? r.errorType : se.type(), se.condition(),
                        x.getMessage(), x);
            }
            return new AccountFailure(r, r.errorType, r.condition, x.getMessage(), x);
        }
        return new AccountFailure(Reason.INTERNAL_ERROR, Reason.INTERNAL_ERROR.errorType,
                Reason.INTERNAL_ERROR.condition, String.valueOf(Objects.requireNonNull(t).getMessage()), t);
    }

    public Reason reason() {
        return reason;
    }

    /** The XMPP failure underneath, or null for an engine-local one. */
    public XmppException xmppCause() {
        return getCause() instanceof XmppException x ? x : null;
    }
}
