package org.openzoep.media.jitter;

import io.netty.buffer.ByteBuf;
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
 * <p>Parts (package-private, audio thread): {@link Playout} places packets and decides per frame
 * between decode, FEC, concealment and waiting; {@link ReorderStore} holds the packets;
 * {@link DelayEstimator} sets the target; {@link StretchController} accelerates or expands towards
 * it; {@link PcmFifo} holds decoded audio; {@link JitterStats} counts. This class is the entry: the
 * builder, the network-side hand-off and the statistics.
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
    private static final byte[] NO_PAYLOAD = new byte[0];
    /** Arrivals needed before the target is estimated from them. */
    public static final int MIN_ESTIMATE_PACKETS = 25;

    private final int clockRate;
    private final int sampleRate;

    // --- shared
    private final SpscPacketRing ring;

    // --- network thread
    private volatile long ringDrops;

    // --- audio thread
    private final DelayEstimator delay;
    private final Playout playout;

    // --- written by the audio thread, read by any
    private final JitterStats stats = new JitterStats();

    private JitterBuffer(Builder b) {
        this.clockRate = b.clockRate;
        this.sampleRate = b.decoder.sampleRate();
        this.ring = new SpscPacketRing(b.ringPackets, b.maxPayload);
        this.delay = new DelayEstimator(clockRate, b.minDelayMs, b.maxDelayMs, b.quantile, b.windowPackets,
                b.initialDelayMs);
        this.playout = new Playout(b.decoder, clockRate, new ReorderStore(b.storePackets, b.maxPayload), delay,
                stats, b.frameMs);
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

    // ------------------------------------------------------------------ audio thread

    /**
     * Audio thread: fills {@code out[offset, offset + samples)} with the next audio.
     *
     * @param out borrowed
     */
    public void get(short[] out, int offset, int samples) {
        drain();
        playout.get(out, offset, samples);
    }

    private void drain() {
        int i;
        while ((i = ring.peek()) >= 0) {
            int tag = ring.tag(i);
            if (tag == TAG_FLUSH) {
                playout.reset();
            } else {
                playout.accept(ring.data(i), tag == TAG_SKIP ? -1 : ring.length(i), ring.sequence(i),
                        ring.timestamp(i), ring.time(i));
            }
            ring.advance();
        }
        playout.updateTarget();
    }

    /** The {@code k}-th smallest of {@code a[0, n)}; see {@link DelayEstimator#select}. */
    static long select(long[] a, int n, int k) {
        return DelayEstimator.select(a, n, k);
    }

    // ------------------------------------------------------------------ statistics, any thread

    /** Packets taken from the hand-off ring by the audio thread. */
    public long received() {
        return stats.received;
    }

    public long decodedFrames() {
        return stats.decodedFrames;
    }

    public long duplicates() {
        return stats.duplicates;
    }

    /** Packets that arrived after their turn had passed. */
    public long late() {
        return stats.late;
    }

    /** Received packets thrown away unplayed because the store was reset by a jump or a flush. */
    public long discarded() {
        return stats.discarded;
    }

    /** Packets dropped by the network thread because the hand-off ring was full or the payload too large. */
    public long ringDrops() {
        return ringDrops;
    }

    /** Times the buffer started over (sequence jump, flush, or a stall of two seconds). */
    public long resets() {
        return stats.resets;
    }

    /** Missing frames whose next packet was there to try FEC on. */
    public long fecAttempts() {
        return stats.fecAttempts;
    }

    public long fecRecovered() {
        return stats.fecRecovered;
    }

    public long concealedFrames() {
        return stats.concealedFrames;
    }

    /** Concealed audio in milliseconds. */
    public double concealedMillis() {
        return stats.concealedSamples * 1000.0 / sampleRate;
    }

    /** Frames concealed because nothing at all was buffered. */
    public long underrunFrames() {
        return stats.underrunFrames;
    }

    public long decodeErrors() {
        return stats.decodeErrors;
    }

    public long accelerateOperations() {
        return stats.accelerated;
    }

    public long samplesRemoved() {
        return stats.samplesRemoved;
    }

    public long expandOperations() {
        return stats.expanded;
    }

    public long samplesInserted() {
        return stats.samplesInserted;
    }

    /** Frames played after a played frame (decoded or FEC-recovered), for the loss-burst model. */
    public long goodAfterGood() {
        return stats.goodAfterGood;
    }

    /** Concealed frames that followed a played frame. */
    public long lostAfterGood() {
        return stats.lostAfterGood;
    }

    /** Played frames that followed a concealed frame. */
    public long goodAfterLost() {
        return stats.goodAfterLost;
    }

    /** Concealed frames that followed a concealed frame. */
    public long lostAfterLost() {
        return stats.lostAfterLost;
    }

    /** Target delay in milliseconds. */
    public double targetDelayMillis() {
        return delay.publishedTargetTicks() * 1000.0 / clockRate;
    }

    /** Audio buffered after the last {@link #get}, in milliseconds. */
    public double currentDelayMillis() {
        return stats.currentDelayTicks * 1000.0 / clockRate;
    }
}
