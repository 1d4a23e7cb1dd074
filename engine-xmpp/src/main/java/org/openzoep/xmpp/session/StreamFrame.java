package org.openzoep.xmpp.session;

import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlViolation;

/**
 * What travels through the session pipeline besides top-level elements ({@link XmlElement}) and
 * stanzas: the edges of the XML stream (RFC 6120 §4.2, §4.4) and the parser's refusal of it.
 *
 * <p>{@link Open} and {@link Close} go both ways: inbound from {@link XmppFrameDecoder} when the
 * server opens or closes its stream, outbound to {@link StanzaEncoder} when we open or close ours.
 * {@link Violation} is inbound only. Immutable; no buffers.
 */
sealed interface StreamFrame {

    /** The one {@link Close} frame. */
    Close CLOSE = new Close();

    /**
     * A stream header.
     *
     * @param header the stream element's attributes (no children)
     * @param contentNamespace its default namespace ("" when none was declared)
     */
    record Open(XmlElement header, String contentNamespace) implements StreamFrame {
    }

    /** {@code </stream:stream>}. */
    record Close() implements StreamFrame {
    }

    /** The inbound XML broke a rule of RFC 6120 §11 or a limit; nothing more comes from this stream. */
    record Violation(XmlViolation violation, String detail) implements StreamFrame {
    }
}
