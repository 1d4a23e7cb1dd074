package org.openzoep.media.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * One ICE candidate (RFC 8445 section 5.1), as signalled in a XEP-0176 {@code <candidate/>}.
 *
 * @param foundation 1 to 32 ice-chars; equal for candidates of the same type, base IP, server and
 *     transport
 * @param component 1 (RTP; RTCP is multiplexed)
 * @param protocol "udp"
 * @param priority RFC 8445 section 5.1.2, unsigned 32 bits
 * @param address the transport address (resolved)
 * @param type host, server- or peer-reflexive, or relayed
 * @param related the base (for reflexive) or null
 * @param generation XEP-0176 generation, 0 until an ICE restart
 */
public record IceCandidate(String foundation, int component, String protocol, long priority,
        InetSocketAddress address, Type type, InetSocketAddress related, int generation) {

    public IceCandidate {
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
    }

    /** Candidate types with their RFC 8445 section 5.1.2.2 recommended type preferences. */
    public enum Type {
        HOST("host", 126),
        SRFLX("srflx", 100),
        PRFLX("prflx", 110),
        RELAY("relay", 0);

        private final String wire;
        private final int preference;

        Type(String wire, int preference) {
            this.wire = wire;
            this.preference = preference;
        }

        /** The SDP / XEP-0176 name: "host", "srflx", "prflx", "relay". */
        public String wireName() {
            return wire;
        }

        /** The type preference, 0..126. */
        public int preference() {
            return preference;
        }

        /** The type of a wire name (case-insensitive). */
        public static Type of(String wire) {
            for (Type t : values()) {
                if (t.wire.equalsIgnoreCase(wire)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown ICE candidate type: " + wire);
        }
    }

    /**
     * RFC 8445 section 5.1.2.1: {@code 2^24 * type preference + 2^8 * local preference + (256 -
     * component)}.
     *
     * @param localPreference 0..65535
     * @param component 1..256
     */
    public static long priority(Type type, int localPreference, int component) {
        if (localPreference < 0 || localPreference > 0xFFFF || component < 1 || component > 256) {
            throw new IllegalArgumentException("local preference " + localPreference + ", component " + component);
        }
        return ((long) type.preference() << 24) + ((long) localPreference << 8) + (256 - component);
    }

    /**
     * A foundation (RFC 8445 section 5.1.1.3): the same for the same type, base IP address, STUN
     * server address and transport; 8 hex digits.
     *
     * @param stunServer null for host and peer-reflexive candidates
     */
    public static String foundation(Type type, InetAddress base, InetAddress stunServer, String protocol) {
        CRC32 crc = new CRC32();
        crc.update(type.wireName().getBytes(StandardCharsets.US_ASCII));
        crc.update(base.getAddress());
        crc.update(0);
        if (stunServer != null) {
            crc.update(stunServer.getAddress());
        }
        crc.update(protocol.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        return String.format("%08x", crc.getValue());
    }

    /**
     * RFC 8445 section 6.1.2.3 pair priority: {@code 2^32*min(G,D) + 2*max(G,D) + (G>D ? 1 : 0)}.
     *
     * @param controlling priority of the controlling agent's candidate (G)
     * @param controlled priority of the controlled agent's candidate (D)
     */
    public static long pairPriority(long controlling, long controlled) {
        return (Math.min(controlling, controlled) << 32) + 2 * Math.max(controlling, controlled)
                + (controlling > controlled ? 1 : 0);
    }
}
