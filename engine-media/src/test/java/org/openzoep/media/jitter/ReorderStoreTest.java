package org.openzoep.media.jitter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReorderStoreTest {

    private final byte[] payload = {1, 2, 3, 4};

    @Test
    void holdsPacketsByExtendedSequenceNumber() {
        ReorderStore s = new ReorderStore(8, 16);
        s.store(70_002, 200, payload, 3);
        s.store(70_000, 0, payload, 4);
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.holds(70_000)).isTrue();
        assertThat(s.holds(70_001)).isFalse();
        assertThat(s.holds(70_008)).isFalse(); // same slot as 70_000, other number
        assertThat(s.slotTaken(70_008)).isTrue();
        assertThat(s.lowestSeq(-1)).isEqualTo(70_000);
        assertThat(s.highestTs()).isEqualTo(200);
        assertThat(s.length(70_002)).isEqualTo(3);
        assertThat(s.data(70_002)).startsWith(1, 2, 3);
        assertThat(s.timestamp(70_000)).isZero();
    }

    @Test
    void skippedNumbersTakeASlotButAreNotTheHighestAudio() {
        ReorderStore s = new ReorderStore(8, 16);
        assertThat(s.hasHighest()).isFalse();
        s.store(5, 100, payload, -1);
        assertThat(s.holds(5)).isTrue();
        assertThat(s.isSkip(5)).isTrue();
        assertThat(s.hasHighest()).isFalse();
        s.store(4, 50, payload, 2);
        assertThat(s.hasHighest()).isTrue();
        assertThat(s.highestTs()).isEqualTo(50);
    }

    @Test
    void releaseRemembersWhatWasPlayed() {
        ReorderStore s = new ReorderStore(8, 16);
        s.store(3, 0, payload, 4);
        s.release(3);
        assertThat(s.count()).isZero();
        assertThat(s.holds(3)).isFalse();
        assertThat(s.played(3)).isTrue();
        assertThat(s.hasHighest()).isFalse();
        assertThat(s.lowestSeq(42)).isEqualTo(42);
        s.forgetPlayed(3);
        assertThat(s.played(3)).isFalse();
    }

    @Test
    void clearCountsWhatItDrops() {
        ReorderStore s = new ReorderStore(8, 16);
        s.store(1, 0, payload, 4);
        s.store(2, 960, payload, 4);
        s.release(1);
        assertThat(s.clear()).isEqualTo(1);
        assertThat(s.count()).isZero();
        assertThat(s.played(1)).isFalse();
        assertThat(s.slotTaken(2)).isFalse();
        assertThat(s.clear()).isZero();
    }
}
