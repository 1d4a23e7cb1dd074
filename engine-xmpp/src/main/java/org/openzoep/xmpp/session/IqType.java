package org.openzoep.xmpp.session;

/** The four iq types of RFC 6120 §8.2.3, each with its wire name written once. */
enum IqType {
    GET("get"),
    SET("set"),
    RESULT("result"),
    ERROR("error");

    private final String wireName;

    IqType(String wireName) {
        this.wireName = wireName;
    }

    /** The value of the {@code type} attribute. */
    String wireName() {
        return wireName;
    }

    /** A request, which must be answered (RFC 6120 §8.2.3). */
    boolean isRequest() {
        return this == GET || this == SET;
    }

    /** The type with wire name {@code type}, or null for a missing or unknown one. */
    static IqType of(String type) {
        if (type != null) {
            for (IqType t : values()) {
                if (t.wireName.equals(type)) {
                    return t;
                }
            }
        }
        return null;
    }
}
