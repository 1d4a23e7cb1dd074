package org.openzoep.xmpp.stanza;

import org.openzoep.xmpp.xml.XmlElement;

/**
 * A stanza error (RFC 6120 §8.3): an error type, a defined condition and an optional text.
 *
 * @param type      {@code cancel}, {@code continue}, {@code modify}, {@code auth} or {@code wait}
 * @param condition a defined condition element name, e.g. {@code not-authorized}
 * @param text      human-readable text, or null
 * @param appCondition an application-specific condition element (§8.3.2), or null
 */
public record StanzaError(String type, String condition, String text, XmlElement appCondition) {

    /** The namespace of stanza error conditions. */
    public static final String NS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    public StanzaError {
        if (type == null || condition == null) {
            throw new IllegalArgumentException("stanza error needs a type and a condition");
        }
    }

    public StanzaError(String type, String condition, String text) {
        this(type, condition, text, null);
    }

    public static StanzaError of(String type, String condition, String text) {
        return new StanzaError(type, condition, text, null);
    }

    /** This error with an application-specific condition element added. */
    public StanzaError withAppCondition(XmlElement element) {
        return new StanzaError(type, condition, text, element);
    }

    /** The {@code <error/>} element, in {@code contentNamespace} (jabber:client). */
    public XmlElement toElement(String contentNamespace) {
        XmlElement.Builder b = XmlElement.builder("error", contentNamespace).attr("type", type)
                .child(XmlElement.of(condition, NS));
        if (text != null) {
            b.child(XmlElement.builder("text", NS).attr(XmlElement.XML_NS, "lang", "en").text(text).build());
        }
        if (appCondition != null) {
            b.child(appCondition);
        }
        return b.build();
    }

    /** Reads an {@code <error/>} element; unknown shapes become {@code undefined-condition}. */
    public static StanzaError from(XmlElement error) {
        String type = error.attr("type");
        String condition = "undefined-condition";
        String text = null;
        XmlElement app = null;
        for (XmlElement c : error.elements()) {
            if (c.namespace().equals(NS)) {
                if (c.name().equals("text")) {
                    text = c.text();
                } else {
                    condition = c.name();
                }
            } else if (app == null) {
                app = c;
            }
        }
        return new StanzaError(type == null ? "cancel" : type, condition, text, app);
    }
}
