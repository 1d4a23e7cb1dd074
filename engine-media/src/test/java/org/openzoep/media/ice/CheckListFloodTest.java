package org.openzoep.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openzoep.media.FakeClock;

/**
 * A peer trickling 10,000 candidates (issue 12, H1): the checklist holds at most
 * {@value CheckList#MAX_PAIRS} pairs in all (RFC 8445 section 6.1.2.5: the limit is on pairs,
 * lower-priority pairs are discarded), however many local bases pair with them; the best pairs
 * are the ones kept, and checks still run.
 */
class CheckListFloodTest {
    final FakeClock clock = new FakeClock();

    @Test
    void tenThousandTrickledCandidatesLeaveAtMostAHundredPairs() {
        CheckList l = new CheckList(clock, CheckListTest.TA, CheckListTest.TIMEOUT, true);
        List<Base> bases = List.of(new Base(null, CheckListTest.address("192.0.2.1", 5000), 65535),
                new Base(null, CheckListTest.address("192.0.2.2", 5000), 65534),
                new Base(null, CheckListTest.address("192.0.2.3", 5000), 65533));
        for (int i = 0; i < 10_000; i++) {
            l.addRemote(CheckListTest.remote("f" + i, 1_000 + i, "198.51." + (100 + i / 60_000) + "." + (1 + (i / 250) % 250),
                    1024 + i), bases, true);
        }
        assertThat(l.pairs().size()).as("pairs after 10,000 candidates on 3 bases").isLessThanOrEqualTo(CheckList.MAX_PAIRS);
        // the pairs kept are the best ones: those of the highest-priority candidates admitted
        // (the first MAX_REMOTE_CANDIDATES; later ones are ignored)
        assertThat(l.pairs().get(0).remote.foundation()).isEqualTo("f" + (CheckList.MAX_REMOTE_CANDIDATES - 1));
        assertThat(l.pairs()).allMatch(p -> p.remote.priority() >= 1_000 + CheckList.MAX_REMOTE_CANDIDATES
                - CheckList.MAX_PAIRS / 3 - 1);
        CandidatePair first = l.next(clock.nanoTime(), null);
        assertThat(first).as("checks still run").isNotNull();
    }
}
