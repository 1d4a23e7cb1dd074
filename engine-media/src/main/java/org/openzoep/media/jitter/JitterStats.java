package org.openzoep.media.jitter;

/**
 * The jitter buffer's audio-side counters, including the two-state loss-burst model (G.107
 * BurstR): each frame played or concealed is counted by what the frame before it was.
 *
 * <p>Threads: every field has a single writer, the audio thread; the counters are volatile so
 * {@link JitterBuffer}'s getters can read them from any thread. No lock, no allocation.
 *
 * <p>Buffers: none cross it.
 */
final class JitterStats {

    volatile long resets;
    volatile long fecAttempts;
    volatile long goodAfterGood;
    volatile long lostAfterGood;
    volatile long goodAfterLost;
    volatile long lostAfterLost;
    volatile long received;
    volatile long decodedFrames;
    volatile long duplicates;
    volatile long late;
    volatile long discarded;
    volatile long fecRecovered;
    volatile long concealedFrames;
    volatile long concealedSamples;
    volatile long underrunFrames;
    volatile long decodeErrors;
    volatile long accelerated;
    volatile long samplesRemoved;
    volatile long expanded;
    volatile long samplesInserted;
    /** Buffered audio after the last {@code get}, in timestamp units. */
    volatile int currentDelayTicks;

    private boolean lastConcealed;

    /** Audio thread: records whether the frame just produced was concealed. */
    void outcome(boolean concealed) {
        if (lastConcealed) {
            if (concealed) {
                lostAfterLost++;
            } else {
                goodAfterLost++;
            }
        } else {
            if (concealed) {
                lostAfterGood++;
            } else {
                goodAfterGood++;
            }
        }
        lastConcealed = concealed;
    }
}
