package org.openzoep.media.description;

import java.util.Locale;

/**
 * The direction attribute of a media line (RFC 3264 sections 5.1 and 6.1; XEP-0167 maps it onto
 * the content's {@code senders}). The answer to a direction is {@link #reverse()}: sendonly is
 * answered recvonly, recvonly sendonly, inactive inactive.
 */
public enum Direction {
    SENDRECV("sendrecv"),
    SENDONLY("sendonly"),
    RECVONLY("recvonly"),
    INACTIVE("inactive");

    private final String wire;

    Direction(String wire) {
        this.wire = wire;
    }

    /** The SDP attribute name: "sendrecv", "sendonly", "recvonly", "inactive". */
    public String wireName() {
        return wire;
    }

    /** The direction seen from the other end: sendonly and recvonly swap. */
    public Direction reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** True when this side sends media. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** True when this side receives media. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** Both flags at once. */
    public static Direction of(boolean sends, boolean receives) {
        return sends ? (receives ? SENDRECV : SENDONLY) : (receives ? RECVONLY : INACTIVE);
    }

    /**
     * The direction of an SDP attribute name (case-insensitive); null stands for an absent
     * attribute, which RFC 3264 section 5.1 reads as sendrecv.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Direction of(String wire) {
        if (wire == null) {
            return SENDRECV;
        }
        String w = wire.toLowerCase(Locale.ROOT);
        for (Direction d : values()) {
            if (d.wire.equals(w)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown direction '" + wire + "'");
    }
}
