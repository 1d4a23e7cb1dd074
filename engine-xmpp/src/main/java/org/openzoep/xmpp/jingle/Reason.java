package org.openzoep.xmpp.jingle;

import org.openzoep.xmpp.xml.XmlElement;

/**
 * A Jingle {@code <reason/>} (XEP-0166 §7.4): a defined condition, an optional text, and an
 * optional more detailed element of another namespace (e.g. XEP-0167's {@code <crypto-required/>}).
 *
 * @param condition      the defined condition
 * @param text           human-readable text, or null
 * @param alternativeSid for {@link Condition#ALTERNATIVE_SESSION}: the {@code <sid/>} of the session to use, or null
 * @param detail         an application-specific condition element, or null
 */
public record Reason(Condition condition, String text, String alternativeSid, XmlElement detail) {

    /** The defined conditions. */
    public enum Condition {
        ALTERNATIVE_SESSION, BUSY, CANCEL, CONNECTIVITY_ERROR, DECLINE, EXPIRED, FAILED_APPLICATION, FAILED_TRANSPORT,
        GENERAL_ERROR, GONE, INCOMPATIBLE_PARAMETERS, MEDIA_ERROR, SECURITY_ERROR, SUCCESS, TIMEOUT,
        UNSUPPORTED_APPLICATIONS, UNSUPPORTED_TRANSPORTS;

        private final String wireName = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

        /** The element name, e.g. {@code failed-transport}. */
        public String wireName() {
            return wireName;
        }

        /** The condition named {@code wireName}, or null when there is none. */
        public static Condition of(String wireName) {
            for (Condition c : values()) {
                if (c.wireName.equals(wireName)) {
                    return c;
                }
            }
            return null;
        }
    }

    public Reason {
        if (condition == null) {
            throw new IllegalArgumentException("reason needs a condition");
        }
    }

    public Reason(Condition condition, String text) {
        this(condition, text, null, null);
    }

    public static Reason of(Condition condition) {
        return new Reason(condition, null, null, null);
    }

    public XmlElement toXml() {
        XmlElement.Builder c = XmlElement.builder(condition.wireName(), JingleNamespaces.JINGLE);
        if (alternativeSid != null) {
            c.textChild("sid", alternativeSid);
        }
        XmlElement.Builder b = XmlElement.builder("reason", JingleNamespaces.JINGLE).child(c.build());
        if (text != null) {
            b.textChild("text", text);
        }
        if (detail != null) {
            b.child(detail);
        }
        return b.build();
    }

    /** Reads a {@code <reason/>} in the Jingle namespace. */
    public static Reason parse(XmlElement e) throws JingleException {
        Condition condition = null;
        String text = null;
        String sid = null;
        XmlElement detail = null;
        for (XmlElement c : e.elements()) {
            if (c.namespace().equals(JingleNamespaces.JINGLE)) {
                if (c.name().equals("text")) {
                    text = c.text();
                } else if (condition == null && Condition.of(c.name()) != null) {
                    condition = Condition.of(c.name());
                    String s = c.childText("sid");
                    sid = s == null ? null : s.trim();
                }
            } else if (detail == null) {
                detail = c;
            }
        }
        if (condition == null) {
            throw JingleException.badRequest("<reason/> without a defined condition");
        }
        return new Reason(condition, text, sid, detail);
    }
}
