package org.openzoep.media.jitter;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.openzoep.media.SpscPacketRing;
import org.openzoep.media.codec.AudioDecoder;

/**
 * An adaptive jitter buffer sized in milliseconds, after WebRTC's NetEq.
 *
 * <ul>
 * <li>Delay model: for each arriving packet, its arrival time minus its timestamp (both in
 *     timestamp units); relative to the smallest such value in the window of the last
 *     {@code windowPackets} packets this is how late it came. The target delay is a high quantile
 *     ({@code quantile}, default 0.95) of those relative delays plus one frame, clamped to
 *     [{@code minDelayMs}, {@code maxDelayMs}].</li>
 * <li>Placement: packets are stored by extended sequence number, so reordered packets find their
 *     place; duplicates and packets whose turn has passed are dropped and counted.</li>
 * <li>Loss: when the next frame is missing but later ones are there, it is recovered from the next
 *     packet's in-band FEC ({@link AudioDecoder#decodeFec}); only if that fails is it concealed
 *     ({@link AudioDecoder#conceal}). When nothing at all is buffered (the network stalled) the
 *     frame is concealed without advancing, which lets the delay grow to ride out the spike.</li>
 * <li>Adaptation: a smoothed buffer level is compared with the target; above it a pitch period is
 *     removed from a decoded frame (accelerate), below it one is inserted (expand), by
 *     {@link TimeStretcher}. Whole frames are never dropped for delay.</li>
 * </ul>
 *
 * <p>Threads: {@link #put} and {@link #flush} on the media network thread (producer);
 * {@link #get} on the audio thread (consumer), which owns the decoder. They share only an
 * {@link SpscPacketRing}. {@code get} takes no lock, allocates nothing and never throws for packet
 * content. Statistics are volatile single-writer fields readable from any thread.
 *
 * <p>Buffers: {@code put} borrows and copies the payload; PCM arrays are borrowed.
 */
public final class JitterBuffer {

    /** Ring tag marking a flush (new source): the audio side drops everything before it. */
    private static final int TAG_FLUSH = 1;
    /** Ring tag marking a sequence number used by a non-audio packet (e.g. a DTMF event). */
    private static final int TAG_SKIP = 2;
    private static final long EMPTY = Long.MIN_VALUE;
    /** Frames over which the buffer level is averaged (exponential). */
    private static final double LEVEL_FILTER = 32.0;

    // --- configuration
    private final AudioDecoder decoder;
    private final int clockRate;
    private final int sampleRate;
    private final int minDelayTicks;
    private final int maxDelayTicks;
    private final double quantile;
    private final int storeMask;
    private final int window;
    private final int initialTargetTicks;
    /** Arrivals needed before the target is estimated from them. */
    public static final int MIN_ESTIMATE_PACKETS = 25;

    // --- shared
    private final SpscPacketRing ring;

    // --- network thread
    private volatile long ringDrops;

    // --- audio thread: store
    private final long[] slotSeq;
    private final long[] slotTs;
    private final byte[][] slotData;
    private final int[] slotLen;
    private final long[] playedSeq;
    private int storeCount;
    private long highestSeq = EMPTY;
    private long highestTs;

    // --- audio thread: playout
    private boolean haveRef;
    private long seqRef;
    private long tsRef;
    private boolean playing;
    private long playSeq;
    private long playTs;
    private int frameSamples;
    private int consecutiveUnderruns;
    private boolean inEvent;
    private double filteredLevel;

    // --- audio thread: delay estimation
    private final long[] delays;
    private final long[] sorted;
    private int delayCount;
    private int delayPos;
    private boolean haveFirstArrival;
    private long firstArrivalNanos;
    private boolean delaysChanged;
    private int targetTicks;

    // --- audio thread: PCM
    private final short[] decoded;
    private final short[] stretched;
    private final short[] fifo;
    private int fifoStart;
    private int fifoCount;
    private final TimeStretcher stretcher;

    // --- statistics (single writer each)
    private volatile long resets;
    private volatile long fecAttempts;
    private boolean lastConcealed;
    private volatile long goodAfterGood;
    private volatile long lostAfterGood;
    private volatile long goodAfterLost;
    private volatile long lostAfterLost;
    private volatile long received;
    private volatile long decodedFrames;
    private volatile long duplicates;
    private volatile long late;
    private volatile long discarded;
    private volatile long fecRecovered;
    private volatile long concealedFrames;
    private volatile long concealedSamples;
    private volatile long underrunFrames;
    private volatile long decodeErrors;
    private volatile long accelerated;
    private volatile long samplesRemoved;
    private volatile long expanded;
    private volatile long samplesInserted;
    private volatile int currentDelayTicks;
    private volatile int publishedTargetTicks;

    private JitterBuffer(Builder b) {
        this.decoder = b.decoder;
        this.clockRate = b.clockRate;
        this.sampleRate = decoder.sampleRate();
        this.minDelayTicks = b.minDelayMs * clockRate / 1000;
        this.maxDelayTicks = b.maxDelayMs * clockRate / 1000;
        this.quantile = b.quantile;
        this.window = b.windowPackets;
        int capacity = b.storePackets;
        this.storeMask = capacity - 1;
        this.ring = new SpscPacketRing(b.ringPackets, b.maxPayload);
        this.slotSeq = new long[capacity];
        Arrays.fill(slotSeq, EMPTY);
        this.slotTs = new long[capacity];
        this.slotData = new byte[capacity][b.maxPayload];
        this.slotLen = new int[capacity];
        this.playedSeq = new long[capacity];
        Arrays.fill(playedSeq, EMPTY);
        this.delays = new long[window];
        this.sorted = new long[window];
        int maxFrame = sampleRate * 120 / 1000;
        int maxPeriod = sampleRate * 15 / 1000;
        this.decoded = new short[maxFrame];
        this.stretched = new short[maxFrame + maxPeriod];
        this.fifo = new short[4 * (maxFrame + maxPeriod)];
        this.frameSamples = sampleRate * b.frameMs / 1000;
        this.stretcher = new TimeStretcher(sampleRate);
        this.initialTargetTicks = Math.max(minDelayTicks, Math.min(maxDelayTicks, b.initialDelayMs * clockRate / 1000));
        this.targetTicks = initialTargetTicks;
        this.publishedTargetTicks = targetTicks;
    }

    public static Builder builder(AudioDecoder decoder, int clockRate) {
        return new Builder(decoder, clockRate);
    }

    /** Configuration; every value has a sensible default. */
    public static final class Builder {
        private final AudioDecoder decoder;
        private final int clockRate;
        private int minDelayMs = 20;
        private int maxDelayMs = 1000;
        private double quantile = 0.95;
        private int windowPackets = 256;
        private int storePackets = 128;
        private int ringPackets = 64;
        private int maxPayload = 1500;
        private int frameMs = 20;
        private int initialDelayMs = 80;

        private Builder(AudioDecoder decoder, int clockRate) {
            this.decoder = decoder;
            this.clockRate = clockRate;
        }

        public Builder minDelayMs(int v) {
            minDelayMs = v;
            return this;
        }

        public Builder maxDelayMs(int v) {
            maxDelayMs = v;
            return this;
        }

        /** Quantile of recent relative arrival delays the target covers, in (0, 1). */
        public Builder quantile(double v) {
            quantile = v;
            return this;
        }

        /** Packets whose arrival delays make up the estimate (a power of two is not required). */
        public Builder windowPackets(int v) {
            windowPackets = v;
            return this;
        }

        /** Reorder store size in packets; a power of two. */
        public Builder storePackets(int v) {
            storePackets = v;
            return this;
        }

        /** Network-to-audio ring size in packets; a power of two. */
        public Builder ringPackets(int v) {
            ringPackets = v;
            return this;
        }

        public Builder maxPayload(int v) {
            maxPayload = v;
            return this;
        }

        /** Target delay until enough arrivals ({@value #MIN_ESTIMATE_PACKETS}) have been seen to estimate it. */
        public Builder initialDelayMs(int v) {
            initialDelayMs = v;
            return this;
        }

        /** Expected packet duration, used until the first frame is decoded. */
        public Builder frameMs(int v) {
            frameMs = v;
            return this;
        }

        public JitterBuffer build() {
            if (Integer.bitCount(storePackets) != 1 || Integer.bitCount(ringPackets) != 1) {
                throw new IllegalArgumentException("store and ring sizes must be powers of two");
            }
            if (quantile <= 0 || quantile >= 1 || minDelayMs < 0 || maxDelayMs < minDelayMs || windowPackets < 2) {
                throw new IllegalArgumentException("bad jitter buffer configuration");
            }
            return new JitterBuffer(this);
        }
    }

    private int ticks(int samples) {
        return clockRate == sampleRate ? samples : (int) ((long) samples * clockRate / sampleRate);
    }

    // ------------------------------------------------------------------ network thread

    /**
     * Network thread: queues one packet for the audio thread.
     *
     * @param payload borrowed; {@code length} bytes from absolute index {@code offset} are copied
     * @param arrivalNanos arrival time on the media clock
     * @return false when dropped because the hand-off ring is full or the payload too large
     */
    public boolean put(ByteBuf payload, int offset, int length, int seq, int timestamp, long arrivalNanos) {
        if (ring.offer(payload, offset, length, seq, timestamp, arrivalNanos, 0)) {
            return true;
        }
        ringDrops++;
        return false;
    }

    /** Network thread: as {@link #put(ByteBuf, int, int, int, int, long)} from a borrowed array. */
    public boolean put(byte[] payload, int offset, int length, int seq, int timestamp, long arrivalNanos) {
        if (ring.offer(payload, offset, length, seq, timestamp, arrivalNanos, 0)) {
            return true;
        }
        ringDrops++;
        return false;
    }

    /**
     * Network thread: sequence number {@code seq} belongs to a packet of the same RTP stream that
     * carries no audio (an RFC 4733 event), so its absence from the audio is not a loss.
     */
    public void skip(int seq, long arrivalNanos) {
        if (!ring.offer(NO_PAYLOAD, 0, 0, seq, 0, arrivalNanos, TAG_SKIP)) {
            ringDrops++;
        }
    }

    /** Network thread: the source changed (new SSRC); the audio side starts over at this point. */
    public void flush() {
        if (!ring.offer(NO_PAYLOAD, 0, 0, 0, 0, 0, TAG_FLUSH)) {
            ringDrops++;
        }
    }

    private static final byte[] NO_PAYLOAD = new byte[0];

    // ------------------------------------------------------------------ audio thread

    /**
     * Audio thread: fills {@code out[offset, offset + samples)} with the next audio.
     *
     * @param out borrowed
     */
    public void get(short[] out, int offset, int samples) {
        drain();
        while (fifoCount < samples) {
            produce(samples);
        }
        System.arraycopy(fifo, fifoStart, out, offset, samples);
        fifoStart += samples;
        fifoCount -= samples;
        currentDelayTicks = level();
    }

    private void drain() {
        int i;
        while ((i = ring.peek()) >= 0) {
            int tag = ring.tag(i);
            if (tag == TAG_FLUSH) {
                reset();
            } else {
                accept(ring.data(i), tag == TAG_SKIP ? -1 : ring.length(i), ring.sequence(i), ring.timestamp(i),
                        ring.time(i));
            }
            ring.advance();
        }
        if (delaysChanged) {
            delaysChanged = false;
            updateTarget();
        }
    }

    private void reset() {
        for (int s = 0; s <= storeMask; s++) {
            if (slotSeq[s] != EMPTY) {
                discarded++;
            }
            slotSeq[s] = EMPTY;
            playedSeq[s] = EMPTY;
        }
        storeCount = 0;
        highestSeq = EMPTY;
        haveRef = false;
        playing = false;
        delayCount = 0;
        delayPos = 0;
        haveFirstArrival = false;
        targetTicks = initialTargetTicks;
        resets++;
    }

    /** Places one packet; {@code len < 0} marks a non-audio packet whose sequence number is skipped. */
    private void accept(byte[] data, int len, int seq16, int ts32, long arrivalNanos) {
        boolean skip = len < 0;
        if (!skip) {
            received++;
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
        long ts = skip ? (highestSeq != EMPTY ? highestTs : tsBase) : tsBase + (ts32 - (int) tsBase);
        if (!playing && seq < seqRef) {
            seqRef = seq; // an earlier packet before playout started
        }
        if (skip && (playing && seq < playSeq || slotSeq[(int) (seq & storeMask)] == seq)) {
            return;
        }
        if (playing && seq < playSeq) {
            if (playedSeq[(int) (seq & storeMask)] == seq) {
                duplicates++;
            } else {
                late++;
            }
            recordDelay(ts, arrivalNanos);
            return;
        }
        int slot = (int) (seq & storeMask);
        if (slotSeq[slot] == seq) {
            duplicates++;
            return;
        }
        if (!skip) {
            recordDelay(ts, arrivalNanos);
        }
        long base = playing ? playSeq : lowestSeq();
        if (skip && (seq - base > storeMask || slotSeq[slot] != EMPTY)) {
            return;
        }
        if (seq - base > storeMask || slotSeq[slot] != EMPTY) {
            // far ahead of playout (a jump, or a stall longer than the store): start over from here
            reset();
            haveRef = true;
            seqRef = seq16 & 0xFFFF;
            tsRef = ts32 & 0xFFFFFFFFL;
            seq = seqRef;
            ts = tsRef;
            slot = (int) (seq & storeMask);
            recordDelay(ts, arrivalNanos);
        }
        slotSeq[slot] = seq;
        slotTs[slot] = ts;
        slotLen[slot] = len;
        storeCount++;
        if (skip) {
            return;
        }
        System.arraycopy(data, 0, slotData[slot], 0, len);
        if (highestSeq == EMPTY || seq > highestSeq) {
            highestSeq = seq;
            highestTs = ts;
        }
    }

    private long lowestSeq() {
        if (storeCount == 0) {
            return seqRef;
        }
        long low = Long.MAX_VALUE;
        for (int s = 0; s <= storeMask; s++) {
            if (slotSeq[s] != EMPTY && slotSeq[s] < low) {
                low = slotSeq[s];
            }
        }
        return low;
    }

    private void recordDelay(long ts, long arrivalNanos) {
        if (!haveFirstArrival) {
            haveFirstArrival = true;
            firstArrivalNanos = arrivalNanos;
        }
        long arrivalTicks = (arrivalNanos - firstArrivalNanos) / 1000L * clockRate / 1_000_000L;
        delays[delayPos] = arrivalTicks - ts;
        delayPos = delayPos + 1 == window ? 0 : delayPos + 1;
        if (delayCount < window) {
            delayCount++;
        }
        delaysChanged = true;
    }

    private void updateTarget() {
        if (delayCount < MIN_ESTIMATE_PACKETS) {
            return;
        }
        // Arrays.sort is not used: on data made of a few sorted runs (a circular window always is)
        // the JDK's sort allocates merge buffers. Quickselect on a scratch copy allocates nothing.
        System.arraycopy(delays, 0, sorted, 0, delayCount);
        long min = Long.MAX_VALUE;
        for (int i = 0; i < delayCount; i++) {
            min = Math.min(min, sorted[i]);
        }
        int q = (int) Math.ceil(quantile * (delayCount - 1));
        long relative = select(sorted, delayCount, q) - min;
        long t = relative + ticks(frameSamples);
        targetTicks = (int) Math.max(minDelayTicks, Math.min(maxDelayTicks, t));
        publishedTargetTicks = targetTicks;
    }

    /** The {@code k}-th smallest of {@code a[0, n)} (Hoare's quickselect, in place, middle pivot). */
    static long select(long[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            long pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long tmp = a[i];
                    a[i] = a[j];
                    a[j] = tmp;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    /** Buffered audio in timestamp units: stored packets ahead of playout plus decoded samples. */
    private int level() {
        int pcm = ticks(fifoCount);
        if (storeCount == 0) {
            return pcm;
        }
        long from = playing ? playTs : slotTs[(int) (lowestSeq() & storeMask)];
        return (int) (highestTs + ticks(frameSamples) - from) + pcm;
    }

    private void produce(int samples) {
        if (!playing) {
            if (storeCount == 0 || level() < targetTicks) {
                appendSilence(Math.max(samples, frameSamples));
                return;
            }
            playing = true;
            playSeq = lowestSeq();
            playTs = slotTs[(int) (playSeq & storeMask)];
            filteredLevel = level();
            consecutiveUnderruns = 0;
        }
        int slot = (int) (playSeq & storeMask);
        if (slotSeq[slot] == playSeq && slotLen[slot] < 0) {
            release(slot); // a DTMF packet's number: not audio, not lost
            playSeq++;
            inEvent = true;
            return;
        }
        if (slotSeq[slot] == playSeq) {
            long ts = slotTs[slot];
            if (ts - playTs >= ticks(frameSamples) / 2 && ts - playTs < 10L * clockRate) {
                // a timestamp gap without a sequence gap: the sender paused (DTX); fill it
                int n = decoder.conceal(decoded, 0, frameSamples);
                appendFifo(decoded, 0, Math.max(n, 0), frameSamples);
                playTs += ticks(frameSamples);
                return;
            }
            // heavily smoothed, as NetEq's buffer-level filter: arrival bunching must not make the
            // buffer accelerate and expand in turn
            filteredLevel += (level() - filteredLevel) / LEVEL_FILTER;
            int n = decoder.decode(slotData[slot], 0, slotLen[slot], decoded, 0, decoded.length);
            release(slot);
            playTs = ts;
            if (n <= 0) {
                decodeErrors++;
                n = concealOne();
            } else {
                frameSamples = n;
                decodedFrames++;
                outcome(false);
            }
            playSeq++;
            playTs += ticks(n);
            consecutiveUnderruns = 0;
            inEvent = false;
            stretchAndAppend(n);
            return;
        }
        if (storeCount > 0) {
            // the frame is missing and later ones are here: lost (or too late); FEC, else PLC
            int next = (int) ((playSeq + 1) & storeMask);
            int n = 0;
            if (slotSeq[next] == playSeq + 1) {
                fecAttempts++;
                n = decoder.decodeFec(slotData[next], 0, slotLen[next], decoded, 0, frameSamples);
            }
            if (n > 0) {
                fecRecovered++;
                outcome(false);
            } else {
                n = concealOne();
            }
            playedSeq[slot] = EMPTY; // not played: if it turns up later it is late, not a duplicate
            playSeq++;
            playTs += ticks(n);
            appendFifo(decoded, 0, n, frameSamples);
            return;
        }
        if (inEvent) {
            // the sender is sending an event instead of audio: its time passes, nothing is lost
            int n = decoder.conceal(decoded, 0, frameSamples);
            appendFifo(decoded, 0, Math.max(n, 0), frameSamples);
            playTs += ticks(frameSamples);
            return;
        }
        // nothing buffered: the network is late. Conceal without advancing, so the delay grows.
        underrunFrames++;
        int n = concealOne();
        appendFifo(decoded, 0, n, frameSamples);
        if (++consecutiveUnderruns * frameSamples > sampleRate * 2) {
            reset(); // two seconds of nothing: rebuffer when packets return
        }
    }

    /** Records whether the frame just produced was concealed, for the loss-burst model (G.107 BurstR). */
    private void outcome(boolean concealed) {
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

    private int concealOne() {
        outcome(true);
        int n = decoder.conceal(decoded, 0, frameSamples);
        if (n <= 0) {
            Arrays.fill(decoded, 0, frameSamples, (short) 0);
            n = frameSamples;
        }
        concealedFrames++;
        concealedSamples += n;
        return n;
    }

    private void release(int slot) {
        playedSeq[slot] = slotSeq[slot];
        slotSeq[slot] = EMPTY;
        storeCount--;
        if (storeCount == 0) {
            highestSeq = EMPTY;
        }
    }

    private void stretchAndAppend(int n) {
        int frameTicks = ticks(n);
        double high = targetTicks + frameTicks;
        double low = targetTicks - frameTicks / 2.0;
        if (filteredLevel > high && storeCount > 0) {
            int m = stretcher.accelerate(decoded, 0, n, stretched, 0);
            if (m < n) {
                accelerated++;
                samplesRemoved += n - m;
                filteredLevel -= ticks(n - m);
            }
            appendFifo(stretched, 0, m, m);
        } else if (filteredLevel < low) {
            int m = stretcher.expand(decoded, 0, n, stretched, 0);
            if (m > n) {
                expanded++;
                samplesInserted += m - n;
                filteredLevel += ticks(m - n);
            }
            appendFifo(stretched, 0, m, m);
        } else {
            appendFifo(decoded, 0, n, n);
        }
    }

    private void appendSilence(int n) {
        makeRoom(n);
        Arrays.fill(fifo, fifoStart + fifoCount, fifoStart + fifoCount + n, (short) 0);
        fifoCount += n;
    }

    /** Appends {@code n} samples, padded with silence to at least {@code min}. */
    private void appendFifo(short[] src, int off, int n, int min) {
        makeRoom(Math.max(n, min));
        System.arraycopy(src, off, fifo, fifoStart + fifoCount, n);
        fifoCount += n;
        if (n < min) {
            Arrays.fill(fifo, fifoStart + fifoCount, fifoStart + fifoCount + (min - n), (short) 0);
            fifoCount += min - n;
        }
    }

    private void makeRoom(int n) {
        if (fifoStart + fifoCount + n > fifo.length) {
            System.arraycopy(fifo, fifoStart, fifo, 0, fifoCount);
            fifoStart = 0;
        }
    }

    // ------------------------------------------------------------------ statistics, any thread

    /** Packets taken from the hand-off ring by the audio thread. */
    public long received() {
        return received;
    }

    public long decodedFrames() {
        return decodedFrames;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Packets that arrived after their turn had passed. */
    public long late() {
        return late;
    }

    /** Received packets thrown away unplayed because the store was reset by a jump or a flush. */
    public long discarded() {
        return discarded;
    }

    /** Packets dropped by the network thread because the hand-off ring was full or the payload too large. */
    public long ringDrops() {
        return ringDrops;
    }

    /** Times the buffer started over (sequence jump, flush, or a stall of two seconds). */
    public long resets() {
        return resets;
    }

    /** Missing frames whose next packet was there to try FEC on. */
    public long fecAttempts() {
        return fecAttempts;
    }

    public long fecRecovered() {
        return fecRecovered;
    }

    public long concealedFrames() {
        return concealedFrames;
    }

    /** Concealed audio in milliseconds. */
    public double concealedMillis() {
        return concealedSamples * 1000.0 / sampleRate;
    }

    /** Frames concealed because nothing at all was buffered. */
    public long underrunFrames() {
        return underrunFrames;
    }

    public long decodeErrors() {
        return decodeErrors;
    }

    public long accelerateOperations() {
        return accelerated;
    }

    public long samplesRemoved() {
        return samplesRemoved;
    }

    public long expandOperations() {
        return expanded;
    }

    public long samplesInserted() {
        return samplesInserted;
    }

    /** Frames played after a played frame (decoded or FEC-recovered), for the loss-burst model. */
    public long goodAfterGood() {
        return goodAfterGood;
    }

    /** Concealed frames that followed a played frame. */
    public long lostAfterGood() {
        return lostAfterGood;
    }

    /** Played frames that followed a concealed frame. */
    public long goodAfterLost() {
        return goodAfterLost;
    }

    /** Concealed frames that followed a concealed frame. */
    public long lostAfterLost() {
        return lostAfterLost;
    }

    /** Target delay in milliseconds. */
    public double targetDelayMillis() {
        return publishedTargetTicks * 1000.0 / clockRate;
    }

    /** Audio buffered after the last {@link #get}, in milliseconds. */
    public double currentDelayMillis() {
        return currentDelayTicks * 1000.0 / clockRate;
    }
}
