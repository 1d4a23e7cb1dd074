package org.openzoep.media;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer/single-consumer ring of small packets, preallocated: each slot holds a
 * copy of up to {@code maxPacket} bytes plus a sequence number, a timestamp, a time and a tag. It is
 * how the media network thread hands packets to the audio thread (and back) without locks and
 * without allocating: the producer copies into the slot at the tail and publishes with a release
 * store; the consumer reads the slot at the head and frees it with a release store.
 *
 * <p>Thread: exactly one producer thread calls {@code offer}; exactly one consumer thread calls
 * {@code peek}/{@code consumer accessors}/{@code advance}. Buffers: {@code offer} borrows and copies;
 * the slot arrays handed to the consumer stay owned by the ring and are valid until {@link #advance}.
 */
public final class SpscPacketRing {

    private final int mask;
    private final int maxPacket;
    private final byte[][] data;
    private final int[] length;
    private final int[] seq;
    private final int[] timestamp;
    private final long[] time;
    private final int[] tag;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private long cachedHead;   // producer's view of head
    private long cachedTail;   // consumer's view of tail

    /**
     * @param capacity a power of two
     * @param maxPacket largest packet accepted, in bytes
     */
    public SpscPacketRing(int capacity, int maxPacket) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        this.mask = capacity - 1;
        this.maxPacket = maxPacket;
        this.data = new byte[capacity][maxPacket];
        this.length = new int[capacity];
        this.seq = new int[capacity];
        this.timestamp = new int[capacity];
        this.time = new long[capacity];
        this.tag = new int[capacity];
    }

    public int capacity() {
        return mask + 1;
    }

    public int maxPacket() {
        return maxPacket;
    }

    private int claim() {
        long t = tail.get();
        if (t - cachedHead > mask) {
            cachedHead = head.get();
            if (t - cachedHead > mask) {
                return -1;
            }
        }
        return (int) (t & mask);
    }

    private void publish(int i, int len, int sequence, int ts, long when, int tg) {
        length[i] = len;
        seq[i] = sequence;
        timestamp[i] = ts;
        time[i] = when;
        tag[i] = tg;
        tail.lazySet(tail.get() + 1);
    }

    /**
     * Producer: copies a packet in.
     *
     * @param src borrowed; {@code len} bytes from absolute index {@code off} are copied
     * @return false when the ring is full or the packet is too large (the caller counts the drop)
     */
    public boolean offer(ByteBuf src, int off, int len, int sequence, int ts, long when, int tg) {
        if (len < 0 || len > maxPacket) {
            return false;
        }
        int i = claim();
        if (i < 0) {
            return false;
        }
        src.getBytes(off, data[i], 0, len);
        publish(i, len, sequence, ts, when, tg);
        return true;
    }

    /** Producer: as {@link #offer(ByteBuf, int, int, int, int, long, int)} from an array (borrowed). */
    public boolean offer(byte[] src, int off, int len, int sequence, int ts, long when, int tg) {
        if (len < 0 || len > maxPacket) {
            return false;
        }
        int i = claim();
        if (i < 0) {
            return false;
        }
        System.arraycopy(src, off, data[i], 0, len);
        publish(i, len, sequence, ts, when, tg);
        return true;
    }

    /** Consumer: index of the oldest packet, or -1 when empty. */
    public int peek() {
        long h = head.get();
        if (h >= cachedTail) {
            cachedTail = tail.get();
            if (h >= cachedTail) {
                return -1;
            }
        }
        return (int) (h & mask);
    }

    /** Consumer: frees the packet returned by {@link #peek}. */
    public void advance() {
        head.lazySet(head.get() + 1);
    }

    /** Slot bytes, owned by the ring, valid until {@link #advance}. */
    public byte[] data(int i) {
        return data[i];
    }

    public int length(int i) {
        return length[i];
    }

    public int sequence(int i) {
        return seq[i];
    }

    public int timestamp(int i) {
        return timestamp[i];
    }

    public long time(int i) {
        return time[i];
    }

    public int tag(int i) {
        return tag[i];
    }

    /** Approximate number of queued packets (exact from either single thread at a quiet moment). */
    public int size() {
        return (int) (tail.get() - head.get());
    }
}
