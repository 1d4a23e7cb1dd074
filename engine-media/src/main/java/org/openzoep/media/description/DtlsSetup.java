package org.openzoep.media.description;

import java.util.Locale;

/**
 * The DTLS setup role attribute (RFC 4145 section 4, RFC 5763 section 5; XEP-0320 {@code setup}).
 * An offer says {@link #ACTPASS}; the answer says {@link #ACTIVE} (it will send the ClientHello) or
 * {@link #PASSIVE}. {@link #HOLDCONN} postpones the connection and is not used by this engine.
 */
public enum DtlsSetup {
    ACTIVE("active"),
    PASSIVE("passive"),
    ACTPASS("actpass"),
    HOLDCONN("holdconn");

    private final String wire;

    DtlsSetup(String wire) {
        this.wire = wire;
    }

    /** The attribute value: "active", "passive", "actpass", "holdconn". */
    public String wireName() {
        return wire;
    }

    /**
     * The setup of an attribute value (case-insensitive); null for null (not signalled, which an
     * answerer treats as actpass).
     *
     * @throws IllegalArgumentException for any other value
     */
    public static DtlsSetup of(String wire) {
        if (wire == null) {
            return null;
        }
        String w = wire.toLowerCase(Locale.ROOT);
        for (DtlsSetup s : values()) {
            if (s.wire.equals(w)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown DTLS setup '" + wire + "'");
    }
}
