package org.openzoep.media.mix;

import java.util.Arrays;

/**
 * A conference mixer for fixed-size frames of 16-bit mono PCM.
 *
 * <p>Each frame, for every participant: the caller fills {@link Participant#input()} and says
 * whether it holds audio ({@link Participant#setFrame}) and, when known, its RFC 6464 level. Then
 * {@link #mix()} picks up to {@code maxSpeakers} (default 3) loudest active, unmuted participants,
 * sums their gained input in 32 bits, and writes to every participant's {@link Participant#output()}
 * the sum minus its own contribution (N-1), through one {@link Limiter} per output. Participants
 * who are not speaking all get the same mix, computed once.
 *
 * <p>Thread: confined to the mixing (audio) thread. {@link #mix()} allocates nothing.
 */
public final class Mixer {

    /** RFC 6464 level (-dBov) at or above which a participant counts as silent. */
    public static final int SILENT_LEVEL = 127;

    private final int frame;
    private final int maxSpeakers;
    private final Participant[] participants;
    private int count;
    private final int[] sum;
    private final int[] others;
    private final int[][] contribution;
    private final int[] selected;
    private final short[] sharedOutput;
    private final Limiter sharedLimiter = new Limiter();
    private int selectedCount;

    /**
     * @param maxParticipants capacity, fixed
     * @param frameSamples samples per frame
     * @param maxSpeakers how many of the loudest are mixed (3 recommended)
     */
    public Mixer(int maxParticipants, int frameSamples, int maxSpeakers) {
        this.frame = frameSamples;
        this.maxSpeakers = maxSpeakers;
        this.participants = new Participant[maxParticipants];
        this.sum = new int[frameSamples];
        this.others = new int[frameSamples];
        this.contribution = new int[maxSpeakers][frameSamples];
        this.selected = new int[maxSpeakers];
        this.sharedOutput = new short[frameSamples];
    }

    public Mixer(int maxParticipants, int frameSamples) {
        this(maxParticipants, frameSamples, 3);
    }

    public int frameSamples() {
        return frame;
    }

    public int size() {
        return count;
    }

    /** Adds a participant (not on the per-frame path: it allocates its buffers). */
    public Participant add() {
        if (count == participants.length) {
            throw new IllegalStateException("mixer full: " + count);
        }
        Participant p = new Participant(frame);
        participants[count++] = p;
        return p;
    }

    public void remove(Participant p) {
        for (int i = 0; i < count; i++) {
            if (participants[i] == p) {
                System.arraycopy(participants, i + 1, participants, i, count - i - 1);
                participants[--count] = null;
                return;
            }
        }
    }

    /** How many participants were mixed in the last frame. */
    public int speakersInLastFrame() {
        return selectedCount;
    }

    /** Mixes one frame. */
    public void mix() {
        selectSpeakers();
        Arrays.fill(sum, 0);
        for (int k = 0; k < selectedCount; k++) {
            Participant p = participants[selected[k]];
            p.speaking = true;
            int[] c = contribution[k];
            short[] in = p.input;
            int g = p.gainQ12;
            if (g == Participant.UNITY_Q12) {
                for (int i = 0; i < frame; i++) {
                    c[i] = in[i];
                    sum[i] += in[i];
                }
            } else {
                for (int i = 0; i < frame; i++) {
                    int v = (in[i] * g) >> 12;
                    c[i] = v;
                    sum[i] += v;
                }
            }
        }
        // everyone who is not speaking hears the same mix: compute it once
        sharedLimiter.apply(sum, sharedOutput, frame, peak(sum));
        for (int j = 0; j < count; j++) {
            Participant p = participants[j];
            int k = indexOf(j);
            if (k < 0) {
                p.speaking = false;
                System.arraycopy(sharedOutput, 0, p.output, 0, frame);
                continue;
            }
            int[] c = contribution[k];
            int peak = 0;
            for (int i = 0; i < frame; i++) {
                int v = sum[i] - c[i];
                others[i] = v;
                int a = v < 0 ? -v : v;
                if (a > peak) {
                    peak = a;
                }
            }
            p.limiter.apply(others, p.output, frame, peak);
        }
        for (int j = 0; j < count; j++) {
            participants[j].hasFrame = false; // inputs are per frame
        }
    }

    private int indexOf(int participantIndex) {
        for (int k = 0; k < selectedCount; k++) {
            if (selected[k] == participantIndex) {
                return k;
            }
        }
        return -1;
    }

    private static int peak(int[] x) {
        int peak = 0;
        for (int v : x) {
            int a = v < 0 ? -v : v;
            if (a > peak) {
                peak = a;
            }
        }
        return peak;
    }

    /** Keeps the indices of the loudest active participants, loudest first (insertion into a tiny array). */
    private void selectSpeakers() {
        selectedCount = 0;
        for (int j = 0; j < count; j++) {
            Participant p = participants[j];
            if (!p.hasFrame || p.muted) {
                continue;
            }
            int level = p.effectiveLevel();
            if (level >= SILENT_LEVEL) {
                continue;
            }
            int pos = selectedCount;
            while (pos > 0 && participants[selected[pos - 1]].effectiveLevel() > level) {
                pos--;
            }
            if (pos >= maxSpeakers) {
                continue;
            }
            int last = Math.min(selectedCount, maxSpeakers - 1);
            for (int m = last; m > pos; m--) {
                selected[m] = selected[m - 1];
            }
            selected[pos] = j;
            if (selectedCount < maxSpeakers) {
                selectedCount++;
            }
        }
    }

    /** One participant's buffers and settings; belongs to the mixing thread. */
    public static final class Participant {
        static final int UNITY_Q12 = 1 << 12;

        private final short[] input;
        private final short[] output;
        private final Limiter limiter = new Limiter();
        private boolean hasFrame;
        private int level = -1;
        private int measuredLevel = SILENT_LEVEL;
        private boolean voice;
        private boolean muted;
        private boolean speaking;
        private int gainQ12 = UNITY_Q12;

        private Participant(int frame) {
            this.input = new short[frame];
            this.output = new short[frame];
        }

        /** This frame's audio from the participant; fill before {@link Mixer#mix()}. */
        public short[] input() {
            return input;
        }

        /** What this participant hears (everyone mixed but itself), valid after {@link Mixer#mix()}. */
        public short[] output() {
            return output;
        }

        /**
         * Says that {@link #input()} holds this frame's audio.
         *
         * @param rfc6464Level the level from the packet's audio-level extension, 0 (loudest) to 127
         *     (silence) in -dBov, or -1 when the stream carries none (the level is then measured)
         * @param voice the extension's voice-activity flag (ignored when the level is measured)
         */
        public void setFrame(int rfc6464Level, boolean voice) {
            this.hasFrame = true;
            this.level = rfc6464Level;
            this.voice = voice;
            if (rfc6464Level < 0) {
                measuredLevel = measure(input);
            }
        }

        int effectiveLevel() {
            if (level < 0) {
                return measuredLevel;
            }
            return voice || level < SILENT_LEVEL ? level : SILENT_LEVEL;
        }

        private static int measure(short[] x) {
            long energy = 0;
            for (short v : x) {
                energy += v * v;
            }
            if (energy == 0) {
                return SILENT_LEVEL;
            }
            double rms = Math.sqrt((double) energy / x.length);
            int dbov = (int) Math.round(-20 * Math.log10(rms / 32768.0));
            return Math.max(0, Math.min(SILENT_LEVEL, dbov));
        }

        /** A muted participant is heard by no one (and still hears the others). */
        public void mute(boolean on) {
            muted = on;
        }

        public boolean muted() {
            return muted;
        }

        /** Gain applied to this participant's voice, 0..8 (linear). */
        public void gain(double linear) {
            if (!(linear >= 0 && linear <= 8)) {
                throw new IllegalArgumentException("gain " + linear);
            }
            gainQ12 = (int) Math.round(linear * UNITY_Q12);
        }

        /** Whether this participant was among the mixed speakers in the last frame. */
        public boolean speaking() {
            return speaking;
        }
    }
}
