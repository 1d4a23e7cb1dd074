package org.openzoep.xmpp.stanza;

import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlWriter;

/**
 * A stream error (RFC 6120 §4.9): a defined condition and an optional text. Receiving or sending
 * one ends the stream.
 *
 * @param condition a defined condition, e.g. {@code policy-violation}
 * @param text      human-readable text, or null
 */
public record StreamError(String condition, String text) {

    /** The namespace of stream error conditions. */
    public static final String NS = "urn:ietf:params:xml:ns:xmpp-streams";

    public StreamError {
        if (condition == null) {
            throw new IllegalArgumentException("stream error needs a condition");
        }
    }

    /** The {@code <stream:error/>} element. */
    public XmlElement toElement() {
        XmlElement.Builder b = XmlElement.builder("error", XmlWriter.STREAM_NS).child(XmlElement.of(condition, NS));
        if (text != null) {
            b.child(XmlElement.builder("text", NS).text(text).build());
        }
        return b.build();
    }

    /** Reads a {@code <stream:error/>} element; unknown shapes become {@code undefined-condition}. */
    public static StreamError from(XmlElement error) {
        String condition = "undefined-condition";
        String text = null;
        for (XmlElement c : error.elements()) {
            if (c.namespace().equals(NS)) {
                if (c.name().equals("text")) {
                    text = c.text();
                } else {
                    condition = c.name();
                }
            }
        }
        return new StreamError(condition, text);
    }

    @Override
    public String toString() {
        return text == null ? condition : condition + " (" + text + ")";
    }
}
