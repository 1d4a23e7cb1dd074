package org.openzoep.xmpp.jingle;

import org.openzoep.xmpp.xml.XmlElement;

/**
 * An RTP informational message (XEP-0167 §7), the payload of a {@code session-info}.
 *
 * @param kind    which message
 * @param creator for mute/unmute: the creator of the content concerned ({@code initiator} or
 *                {@code responder}); null otherwise
 * @param name    for mute/unmute: the content's name, or null for all contents
 */
public record SessionInfo(Kind kind, String creator, String name) {

    /** The XEP-0167 §7 messages. */
    public enum Kind {
        ACTIVE, HOLD, UNHOLD, MUTE, UNMUTE, RINGING;

        private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

        public String wireName() {
            return wireName;
        }

        static Kind of(String wireName) {
            for (Kind k : values()) {
                if (k.wireName.equals(wireName)) {
                    return k;
                }
            }
            return null;
        }
    }

    public SessionInfo {
        if (kind == null) {
            throw new IllegalArgumentException("session info needs a kind");
        }
        boolean muting = kind == Kind.MUTE || kind == Kind.UNMUTE;
        if (muting != (creator != null) || !muting && name != null) {
            throw new IllegalArgumentException("creator (and optionally name) go with mute/unmute only");
        }
    }

    public static SessionInfo of(Kind kind) {
        return new SessionInfo(kind, null, null);
    }

    public XmlElement toXml() {
        return XmlElement.builder(kind.wireName(), JingleNamespaces.RTP_INFO).attr("creator", creator)
                .attr("name", name).build();
    }

    /** The message this element is, or null when it is not an RTP informational message. */
    static SessionInfo parseOrNull(XmlElement e) throws JingleException {
        if (!e.namespace().equals(JingleNamespaces.RTP_INFO)) {
            return null;
        }
        Kind k = Kind.of(e.name());
        if (k == null) {
            return null;
        }
        if (k == Kind.MUTE || k == Kind.UNMUTE) {
            String creator = Xml.required(e, "creator");
            if (!creator.equals("initiator") && !creator.equals("responder")) {
                throw JingleException.badRequest("<" + e.name() + "/> creator must be initiator or responder");
            }
            return new SessionInfo(k, creator, e.attr("name"));
        }
        return of(k);
    }
}
