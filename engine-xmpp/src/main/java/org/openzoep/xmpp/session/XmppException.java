package org.openzoep.xmpp.session;

import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.xmpp.stanza.StreamError;

/**
 * A typed failure of a session or a request, carried by the {@code CompletionStage}s of this
 * package. {@link #kind()} says what went wrong; the stream error, stanza error or SASL condition
 * gives the protocol's own words where there are some.
 */
public final class XmppException extends Exception {

    /** What failed. */
    public enum Kind {
        /** No TCP connection to any address of the server (refused, unreachable, timed out). */
        CONNECT_FAILED,
        /** STARTTLS was required but the server did not offer it. */
        TLS_REQUIRED,
        /** The server's certificate was refused: untrusted chain, wrong name, expired. */
        CERTIFICATE_REJECTED,
        /** The TLS handshake failed for another reason. */
        TLS_FAILED,
        /** SASL failed; {@link #saslCondition()} holds the RFC 6120 §6.5 condition. */
        AUTH_FAILED,
        /** Resource binding failed. */
        BIND_FAILED,
        /** A stream error, sent by the server or by us; {@link #streamError()} holds it. */
        STREAM_ERROR,
        /** An iq came back as an error; {@link #stanzaError()} holds it. */
        STANZA_ERROR,
        /** No answer in time. */
        TIMEOUT,
        /** The session closed before the operation completed. */
        CLOSED,
        /**
         * The stanza was refused because too much is already waiting to be written: the server is not
         * reading (the socket is not writable), or too many stanzas are in flight. Nothing was sent.
         */
        QUEUE_FULL,
        /** The server broke the protocol in a way that has no stream error of its own. */
        PROTOCOL
    }

    private final Kind kind;
    private final transient StreamError streamError;
    private final transient StanzaError stanzaError;
    private final String saslCondition;

    private XmppException(Kind kind, String message, Throwable cause, StreamError streamError,
            StanzaError stanzaError, String saslCondition) {
        super(message, cause, false, false);
        this.kind = kind;
        this.streamError = streamError;
        this.stanzaError = stanzaError;
        this.saslCondition = saslCondition;
    }

    public static XmppException of(Kind kind, String message) {
        return new XmppException(kind, message, null, null, null, null);
    }

    public static XmppException of(Kind kind, String message, Throwable cause) {
        return new XmppException(kind, message, cause, null, null, null);
    }

    public static XmppException stream(StreamError error, boolean sentByUs) {
        return new XmppException(Kind.STREAM_ERROR,
                (sentByUs ? "closed the stream: " : "server closed the stream: ") + error, null, error, null, null);
    }

    public static XmppException stanza(StanzaError error) {
        return new XmppException(Kind.STANZA_ERROR, "error reply: " + error.condition()
                + (error.text() == null ? "" : " (" + error.text() + ")"), null, null, error, null);
    }

    public static XmppException auth(String condition, String text) {
        return new XmppException(Kind.AUTH_FAILED, "authentication failed: " + condition
                + (text == null || text.isEmpty() ? "" : " (" + text + ")"), null, null, null, condition);
    }

    public Kind kind() {
        return kind;
    }

    /** The stream error, for {@link Kind#STREAM_ERROR}; else null. */
    public StreamError streamError() {
        return streamError;
    }

    /** The stanza error, for {@link Kind#STANZA_ERROR}; else null. */
    public StanzaError stanzaError() {
        return stanzaError;
    }

    /** The SASL failure condition, for {@link Kind#AUTH_FAILED}; else null. */
    public String saslCondition() {
        return saslCondition;
    }
}
