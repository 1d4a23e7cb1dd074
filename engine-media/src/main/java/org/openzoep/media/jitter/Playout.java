package org.openzoep.media.jitter;

import java.util.Arrays;
import org.openzoep.media.codec.AudioDecoder;

/**
 * The audio side of the jitter buffer: places each packet taken from the hand-off ring by its
 * extended sequence number, and plays the store out frame by frame, deciding per frame between
 * decoding, FEC recovery, concealment and waiting.
 *
 * <ul>
 * <li>Placement: 16-bit sequence numbers and 32-bit timestamps are extended against the playout
 *     position (or, before playout, the first packet); duplicates and packets whose turn has passed
 *     are dropped and counted; a packet too far ahead of playout starts the buffer over.</li>
 * <li>Playout: nothing plays until the buffered level reaches the {@link DelayEstimator}'s target.
 *     A missing frame with later ones buffered is recovered from the next packet's FEC, else
 *     concealed; with nothing buffered it is concealed without advancing, so the delay grows; two
 *     seconds of that starts over. A timestamp gap without a sequence gap (DTX) or a run of
 *     non-audio numbers (RFC 4733 events) is filled without counting a loss.</li>
 * </ul>
 *
 * <p>Threads: the audio thread only; it owns the decoder and every part here. No lock, no
 * allocation after construction, no exception for packet content.
 *
 * <p>Buffers: packet payloads are borrowed and copied into the {@link ReorderStore}; PCM arrays
 * passed to {@link #get} are borrowed.
 */
final class Playout {

    private final AudioDecoder decoder;
    private final int clockRate;
    private final int sampleRate;
    private final ReorderStore store;
    private final DelayEstimator delay;
    private final StretchController stretch;
    private final PcmFifo fifo;
    private final JitterStats stats;
    private final short[] decoded;

    private boolean haveRef;
    private long seqRef;
    private long tsRef;
    private boolean playing;
    private long playSeq;
    private long playTs;
    private int frameSamples;
    private int consecutiveUnderruns;
    private boolean inEvent;

    Playout(AudioDecoder decoder, int clockRate, ReorderStore store, DelayEstimator delay, JitterStats stats,
            int frameMs) {
        this.decoder = decoder;
        this.clockRate = clockRate;
        this.sampleRate = decoder.sampleRate();
        this.store = store;
        this.delay = delay;
        this.stats = stats;
        int maxFrame = sampleRate * 120 / 1000;
        int maxPeriod = sampleRate * 15 / 1000;
        this.decoded = new short[maxFrame];
        this.stretch = new StretchController(clockRate, sampleRate, maxFrame);
        this.fifo = new PcmFifo(4 * (maxFrame + maxPeriod));
        this.frameSamples = sampleRate * frameMs / 1000;
    }

    private int ticks(int samples) {
        return clockRate == sampleRate ? samples : (int) ((long) samples * clockRate / sampleRate);
    }

    /** Re-estimates the target delay from the arrivals placed since the last call. */
    void updateTarget() {
        delay.update(ticks(frameSamples));
    }

    /** Fills {@code out[offset, offset + samples)} with the next audio. */
    void get(short[] out, int offset, int samples) {
        while (fifo.count() < samples) {
            produce(samples);
        }
        fifo.read(out, offset, samples);
        stats.currentDelayTicks = level();
    }

    /** Starts over: drops everything stored, forgets the arrival history and the reference. */
    void reset() {
        stats.discarded += store.clear();
        haveRef = false;
        playing = false;
        delay.reset();
        stats.resets++;
    }

    /** Places one packet; {@code len < 0} marks a non-audio packet whose sequence number is skipped. */
    void accept(byte[] data, int len, int seq16, int ts32, long arrivalNanos) {
        boolean skip = len < 0;
        if (!skip) {
            stats.received++;
        }
        if (!haveRef) {
            if (skip) {
                return; // nothing to anchor on yet
            }
            haveRef = true;
            seqRef = seq16 & 0xFFFF;
            tsRef = ts32 & 0xFFFFFFFFL;
        }
        long ref = playing ? playSeq : seqRef;
        long seq = ref + (short) (seq16 - (int) ref);
        long tsBase = playing ? playTs : tsRef;
        long ts = skip ? (store.hasHighest() ? store.highestTs() : tsBase) : tsBase + (ts32 - (int) tsBase);
        if (!playing && seq < seqRef) {
            seqRef = seq; // an earlier packet before playout started
        }
        if (skip && (playing && seq < playSeq || store.holds(seq))) {
            return;
        }
        if (playing && seq < playSeq) {
            if (store.played(seq)) {
                stats.duplicates++;
            } else {
                stats.late++;
            }
            delay.record(ts, arrivalNanos);
            return;
        }
        if (store.holds(seq)) {
            stats.duplicates++;
            return;
        }
        if (!skip) {
            delay.record(ts, arrivalNanos);
        }
        long base = playing ? playSeq : store.lowestSeq(seqRef);
        if (skip && (seq - base > store.mask() || store.slotTaken(seq))) {
            return;
        }
        if (seq - base > store.mask() || store.slotTaken(seq)) {
            // far ahead of playout (a jump, or a stall longer than the store): start over from here
            reset();
            haveRef = true;
            seqRef = seq16 & 0xFFFF;
            tsRef = ts32 & 0xFFFFFFFFL;
            seq = seqRef;
            ts = tsRef;
            delay.record(ts, arrivalNanos);
        }
        store.store(seq, ts, data, len);
    }

    /** Buffered audio in timestamp units: stored packets ahead of playout plus decoded samples. */
    private int level() {
        int pcm = ticks(fifo.count());
        if (store.count() == 0) {
            return pcm;
        }
        long from = playing ? playTs : store.timestamp(store.lowestSeq(seqRef));
        return (int) (store.highestTs() + ticks(frameSamples) - from) + pcm;
    }

    private void produce(int samples) {
        if (!playing) {
            if (store.count() == 0 || level() < delay.targetTicks()) {
                fifo.appendSilence(Math.max(samples, frameSamples));
                return;
            }
            playing = true;
            playSeq = store.lowestSeq(seqRef);
            playTs = store.timestamp(playSeq);
            stretch.start(level());
            consecutiveUnderruns = 0;
        }
        if (store.holds(playSeq) && store.isSkip(playSeq)) {
            store.release(playSeq); // a DTMF packet's number: not audio, not lost
            playSeq++;
            inEvent = true;
            return;
        }
        if (store.holds(playSeq)) {
            long ts = store.timestamp(playSeq);
            if (ts - playTs >= ticks(frameSamples) / 2 && ts - playTs < 10L * clockRate) {
                // a timestamp gap without a sequence gap: the sender paused (DTX); fill it
                int n = decoder.conceal(decoded, 0, frameSamples);
                fifo.append(decoded, 0, Math.max(n, 0), frameSamples);
                playTs += ticks(frameSamples);
                return;
            }
            stretch.observe(level());
            int n = decoder.decode(store.data(playSeq), 0, store.length(playSeq), decoded, 0, decoded.length);
            store.release(playSeq);
            playTs = ts;
            if (n <= 0) {
                stats.decodeErrors++;
                n = concealOne();
            } else {
                frameSamples = n;
                stats.decodedFrames++;
                stats.outcome(false);
            }
            playSeq++;
            playTs += ticks(n);
            consecutiveUnderruns = 0;
            inEvent = false;
            stretch.append(decoded, n, delay.targetTicks(), store.count() > 0, fifo, stats);
            return;
        }
        if (store.count() > 0) {
            // the frame is missing and later ones are here: lost (or too late); FEC, else PLC
            long next = playSeq + 1;
            int n = 0;
            if (store.holds(next)) {
                stats.fecAttempts++;
                n = decoder.decodeFec(store.data(next), 0, store.length(next), decoded, 0, frameSamples);
            }
            if (n > 0) {
                stats.fecRecovered++;
                stats.outcome(false);
            } else {
                n = concealOne();
            }
            store.forgetPlayed(playSeq); // not played: if it turns up later it is late, not a duplicate
            playSeq++;
            playTs += ticks(n);
            fifo.append(decoded, 0, n, frameSamples);
            return;
        }
        if (inEvent) {
            // the sender is sending an event instead of audio: its time passes, nothing is lost
            int n = decoder.conceal(decoded, 0, frameSamples);
            fifo.append(decoded, 0, Math.max(n, 0), frameSamples);
            playTs += ticks(frameSamples);
            return;
        }
        // nothing buffered: the network is late. Conceal without advancing, so the delay grows.
        stats.underrunFrames++;
        int n = concealOne();
        fifo.append(decoded, 0, n, frameSamples);
        if (++consecutiveUnderruns * frameSamples > sampleRate * 2) {
            reset(); // two seconds of nothing: rebuffer when packets return
        }
    }

    private int concealOne() {
        stats.outcome(true);
        int n = decoder.conceal(decoded, 0, frameSamples);
        if (n <= 0) {
            Arrays.fill(decoded, 0, frameSamples, (short) 0);
            n = frameSamples;
        }
        stats.concealedFrames++;
        stats.concealedSamples += n;
        return n;
    }
}
