package org.openzoep.media.jitter;

import java.util.Arrays;

/**
 * The jitter buffer's reorder store: packets held by extended sequence number in a power-of-two
 * ring of slots, plus a record of which number each slot last played (to tell a duplicate from a
 * late packet).
 *
 * <p>A slot whose stored length is negative holds the number of a non-audio packet (an RFC 4733
 * event): it occupies its place in the sequence but carries no payload.
 *
 * <p>Threads: the audio thread only (owned by {@link Playout}); no lock, no allocation after
 * construction.
 *
 * <p>Buffers: {@link #store} copies the payload into a preallocated slot; {@link #data} lends the
 * slot's array until the slot is {@linkplain #release released}.
 */
final class ReorderStore {

    /** Marks an empty slot (and "no highest sequence number yet"). */
    static final long EMPTY = Long.MIN_VALUE;

    private final int mask;
    private final long[] slotSeq;
    private final long[] slotTs;
    private final byte[][] slotData;
    private final int[] slotLen;
    private final long[] playedSeq;
    private int count;
    private long highestSeq = EMPTY;
    private long highestTs;

    /** @param capacity slots, a power of two */
    ReorderStore(int capacity, int maxPayload) {
        this.mask = capacity - 1;
        this.slotSeq = new long[capacity];
        Arrays.fill(slotSeq, EMPTY);
        this.slotTs = new long[capacity];
        this.slotData = new byte[capacity][maxPayload];
        this.slotLen = new int[capacity];
        this.playedSeq = new long[capacity];
        Arrays.fill(playedSeq, EMPTY);
    }

    /** Slots minus one: the furthest a stored number may lie ahead of the lowest. */
    int mask() {
        return mask;
    }

    /** Packets (and skipped numbers) held. */
    int count() {
        return count;
    }

    /** Whether {@code seq} is held. */
    boolean holds(long seq) {
        return slotSeq[(int) (seq & mask)] == seq;
    }

    /** Whether the slot {@code seq} would go in holds some other number. */
    boolean slotTaken(long seq) {
        return slotSeq[(int) (seq & mask)] != EMPTY;
    }

    /** Whether {@code seq} was the last number played from its slot. */
    boolean played(long seq) {
        return playedSeq[(int) (seq & mask)] == seq;
    }

    /** Forgets that {@code seq}'s slot played anything: a later arrival of it counts as late. */
    void forgetPlayed(long seq) {
        playedSeq[(int) (seq & mask)] = EMPTY;
    }

    /** Whether the held {@code seq} is a skipped (non-audio) number. */
    boolean isSkip(long seq) {
        return slotLen[(int) (seq & mask)] < 0;
    }

    long timestamp(long seq) {
        return slotTs[(int) (seq & mask)];
    }

    /** Borrowed: the held payload of {@code seq}, valid for {@link #length} bytes until released. */
    byte[] data(long seq) {
        return slotData[(int) (seq & mask)];
    }

    int length(long seq) {
        return slotLen[(int) (seq & mask)];
    }

    /** Whether an audio packet is held (so {@link #highestTs} is meaningful). */
    boolean hasHighest() {
        return highestSeq != EMPTY;
    }

    /** Timestamp of the highest-numbered audio packet held. */
    long highestTs() {
        return highestTs;
    }

    /**
     * Holds {@code seq} in its slot, which the caller has checked is free.
     *
     * @param data borrowed; {@code len} bytes copied; {@code len < 0} marks a skipped number
     */
    void store(long seq, long ts, byte[] data, int len) {
        int slot = (int) (seq & mask);
        slotSeq[slot] = seq;
        slotTs[slot] = ts;
        slotLen[slot] = len;
        count++;
        if (len < 0) {
            return;
        }
        System.arraycopy(data, 0, slotData[slot], 0, len);
        if (highestSeq == EMPTY || seq > highestSeq) {
            highestSeq = seq;
            highestTs = ts;
        }
    }

    /** Lowest number held, or {@code ifEmpty} when nothing is. */
    long lowestSeq(long ifEmpty) {
        if (count == 0) {
            return ifEmpty;
        }
        long low = Long.MAX_VALUE;
        for (int s = 0; s <= mask; s++) {
            if (slotSeq[s] != EMPTY && slotSeq[s] < low) {
                low = slotSeq[s];
            }
        }
        return low;
    }

    /** Frees the held {@code seq}'s slot and remembers it as played. */
    void release(long seq) {
        int slot = (int) (seq & mask);
        playedSeq[slot] = slotSeq[slot];
        slotSeq[slot] = EMPTY;
        count--;
        if (count == 0) {
            highestSeq = EMPTY;
        }
    }

    /** Empties every slot and forgets what was played; returns how many slots were held. */
    int clear() {
        int dropped = 0;
        for (int s = 0; s <= mask; s++) {
            if (slotSeq[s] != EMPTY) {
                dropped++;
            }
            slotSeq[s] = EMPTY;
            playedSeq[s] = EMPTY;
        }
        count = 0;
        highestSeq = EMPTY;
        return dropped;
    }
}
