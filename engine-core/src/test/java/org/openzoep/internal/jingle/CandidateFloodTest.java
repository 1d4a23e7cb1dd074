package org.openzoep.internal.jingle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openzoep.media.description.IceParameters;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.xmpp.jingle.Candidate;
import org.openzoep.xmpp.jingle.IceUdpTransport;

/**
 * Remote candidates at the Jingle boundary (issue 12, H1): addresses are IP literals only (host
 * names and mDNS {@code .local} names are left out, never looked up), and one transport yields at
 * most {@value JingleMapping#MAX_CANDIDATES} candidates however many the peer sends.
 */
class CandidateFloodTest {

    static Candidate candidate(int i, String ip) {
        return new Candidate(1, "f" + i, 0, "c" + i, ip, 0, 1024 + (i % 60_000), 2130706431L - i, "udp", "host", null,
                null);
    }

    @Test
    void namesAreLeftOutWithoutALookup() {
        for (String name : new String[] {"5e1c8a2b-0f3d-4c4e-9a7b-2d5f1e6c3b9a.local", "host.example.org", "localhost",
                "1.2.3.4.nip.io", "256.1.1.1", ""}) {
            assertThat(JingleMapping.toIce(candidate(1, name))).as("'%s'", name).isNull();
        }
        IceCandidate v6 = JingleMapping.toIce(candidate(2, "2001:db8::7"));
        assertThat(v6).isNotNull();
        assertThat(v6.address().getHostString()).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void tenThousandCandidatesInOneTransportAreCapped() {
        List<Candidate> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(candidate(i, "198.51." + (100 + i / 62_500) + "." + (i % 250 + 1)));
        }
        IceParameters ice = JingleMapping.toIce(new IceUdpTransport("ufrag", "passwordpasswordpassword", null, many));
        assertThat(ice.candidates().size()).isLessThanOrEqualTo(100);
        assertThat(ice.candidates().get(0).foundation()).as("the peer's first (its preferred) ones").isEqualTo("f0");
    }
}
