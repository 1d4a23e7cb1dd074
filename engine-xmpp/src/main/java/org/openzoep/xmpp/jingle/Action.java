package org.openzoep.xmpp.jingle;

/** The XEP-0166 §7.2 actions. */
public enum Action {
    CONTENT_ACCEPT, CONTENT_ADD, CONTENT_MODIFY, CONTENT_REJECT, CONTENT_REMOVE, DESCRIPTION_INFO, SECURITY_INFO,
    SESSION_ACCEPT, SESSION_INFO, SESSION_INITIATE, SESSION_TERMINATE, TRANSPORT_ACCEPT, TRANSPORT_INFO,
    TRANSPORT_REJECT, TRANSPORT_REPLACE;

    private final String wireName = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

    /** The attribute value, e.g. {@code session-initiate}. */
    public String wireName() {
        return wireName;
    }

    /** The action named {@code wireName}, or null when there is none. */
    public static Action of(String wireName) {
        if (wireName != null) {
            for (Action a : values()) {
                if (a.wireName.equals(wireName)) {
                    return a;
                }
            }
        }
        return null;
    }
}
