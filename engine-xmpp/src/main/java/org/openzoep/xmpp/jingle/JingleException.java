package org.openzoep.xmpp.jingle;

import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * A Jingle request that must be refused, with the error to refuse it with (XEP-0166 §9): a
 * stanza error condition, and for Jingle's own cases the {@code urn:xmpp:jingle:errors:1}
 * application condition. {@link #errorReply(Stanza)} builds the reply.
 *
 * <p>Thread: immutable once thrown.
 */
public final class JingleException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The XEP-0166 §9 application conditions. */
    public enum Condition {
        OUT_OF_ORDER("out-of-order"), TIE_BREAK("tie-break"), UNKNOWN_SESSION("unknown-session"),
        UNSUPPORTED_INFO("unsupported-info");

        private final String wireName;

        Condition(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private final transient StanzaError error;
    private final Condition condition;

    private JingleException(StanzaError error, Condition condition) {
        super(error.condition() + (condition == null ? "" : "/" + condition.wireName())
                + (error.text() == null ? "" : ": " + error.text()), null, false, false);
        this.error = error;
        this.condition = condition;
    }

    /** A malformed request: {@code bad-request}, with {@code text} saying what is wrong. */
    public static JingleException badRequest(String text) {
        return new JingleException(StanzaError.of("modify", "bad-request", text), null);
    }

    /** {@code unexpected-request} + {@code <out-of-order/>}: the action does not fit the session's state. */
    public static JingleException outOfOrder() {
        return jingle("wait", "unexpected-request", Condition.OUT_OF_ORDER);
    }

    /** {@code conflict} + {@code <tie-break/>}: the other side's simultaneous request loses. */
    public static JingleException tieBreak() {
        return jingle("cancel", "conflict", Condition.TIE_BREAK);
    }

    /** {@code item-not-found} + {@code <unknown-session/>}: no such sid. */
    public static JingleException unknownSession() {
        return jingle("cancel", "item-not-found", Condition.UNKNOWN_SESSION);
    }

    /** {@code feature-not-implemented} + {@code <unsupported-info/>}: a session-info payload we do not know. */
    public static JingleException unsupportedInfo() {
        return jingle("modify", "feature-not-implemented", Condition.UNSUPPORTED_INFO);
    }

    private static JingleException jingle(String type, String condition, Condition app) {
        return new JingleException(StanzaError.of(type, condition, null)
                .withAppCondition(XmlElement.of(app.wireName(), JingleNamespaces.ERRORS)), app);
    }

    /** The stanza error to reply with. */
    public StanzaError error() {
        return error;
    }

    /** The Jingle application condition, or null for a plain {@code bad-request}. */
    public Condition condition() {
        return condition;
    }

    /** The error reply to {@code request} (same kind and id, back to the sender). */
    public Stanza errorReply(Stanza request) {
        return request.errorReply(error);
    }
}
