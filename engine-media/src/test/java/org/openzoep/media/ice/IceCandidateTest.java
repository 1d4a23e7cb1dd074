package org.openzoep.media.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.openzoep.media.ice.IceCandidate.Type;

/** RFC 8445 section 5.1.2 priorities, section 5.1.1.3 foundations, section 6.1.2.3 pair priorities. */
class IceCandidateTest {

    @Test
    void priorityFormulaWithTheRecommendedTypePreferences() {
        // 2^24 * type preference + 2^8 * local preference + (256 - component)
        assertThat(IceCandidate.priority(Type.HOST, 65535, 1)).isEqualTo(2130706431L);
        assertThat(IceCandidate.priority(Type.PRFLX, 65535, 1)).isEqualTo(1862270975L);
        assertThat(IceCandidate.priority(Type.SRFLX, 65535, 1)).isEqualTo(1694498815L);
        assertThat(IceCandidate.priority(Type.RELAY, 65535, 1)).isEqualTo(16777215L);
        assertThat(IceCandidate.priority(Type.HOST, 0, 2)).isEqualTo((126L << 24) + 254);
        assertThat(IceCandidate.priority(Type.HOST, 65534, 1)).isLessThan(IceCandidate.priority(Type.HOST, 65535, 1));
        assertThatThrownBy(() -> IceCandidate.priority(Type.HOST, 65536, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IceCandidate.priority(Type.HOST, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wireNames() {
        for (Type t : Type.values()) {
            assertThat(Type.of(t.wireName())).isEqualTo(t);
        }
        assertThat(Type.SRFLX.wireName()).isEqualTo("srflx");
        assertThat(Type.of("PRFLX")).isEqualTo(Type.PRFLX);
        assertThatThrownBy(() -> Type.of("stun")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void foundationIsSharedExactlyByTypeBaseServerAndTransport() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        InetAddress stun1 = InetAddress.getByName("198.51.100.1");
        InetAddress stun2 = InetAddress.getByName("198.51.100.2");
        String f = IceCandidate.foundation(Type.SRFLX, a, stun1, "udp");
        assertThat(f).matches("[0-9a-f]{8}");
        assertThat(IceCandidate.foundation(Type.SRFLX, InetAddress.getByName("192.0.2.1"), stun1, "UDP")).isEqualTo(f);
        assertThat(IceCandidate.foundation(Type.SRFLX, b, stun1, "udp")).isNotEqualTo(f);
        assertThat(IceCandidate.foundation(Type.SRFLX, a, stun2, "udp")).isNotEqualTo(f);
        assertThat(IceCandidate.foundation(Type.HOST, a, null, "udp")).isNotEqualTo(f);
        assertThat(IceCandidate.foundation(Type.HOST, a, null, "udp"))
                .isNotEqualTo(IceCandidate.foundation(Type.PRFLX, a, null, "udp"))
                .isNotEqualTo(IceCandidate.foundation(Type.HOST, a, null, "tcp"));
    }

    @Test
    void pairPriorityFavoursTheControllingSideOnTies() {
        long g = IceCandidate.priority(Type.HOST, 65535, 1);
        long d = IceCandidate.priority(Type.SRFLX, 65535, 1);
        assertThat(IceCandidate.pairPriority(g, d)).isEqualTo((d << 32) + 2 * g + 1);
        assertThat(IceCandidate.pairPriority(d, g)).isEqualTo((d << 32) + 2 * g);
        assertThat(IceCandidate.pairPriority(g, g)).isEqualTo((g << 32) + 2 * g);
        // the largest possible priorities still fit in a positive long
        assertThat(IceCandidate.pairPriority(0xFFFFFFFFL >>> 1, 0xFFFFFFFFL >>> 1)).isPositive();
        // host/host outranks host/srflx from either side
        assertThat(IceCandidate.pairPriority(g, g)).isGreaterThan(IceCandidate.pairPriority(g, d));
    }
}
