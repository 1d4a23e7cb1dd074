package org.openzoep.media.device;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A single-producer, single-consumer ring of fixed-size PCM frames: how the audio thread meets
 * the rest of the engine without locks or allocation.
 *
 * <p>The producer calls {@link #write} (it is an {@link AudioSink}), the consumer {@link #read}
 * (an {@link AudioSource}). A full ring drops the new frame and counts an overrun; an empty ring
 * returns 0 and counts an underrun. Frames are copied in and out of one preallocated array;
 * the indices are published with release/acquire ordering.
 *
 * <p>Thread: exactly one producer thread and one consumer thread (they may be the same). The
 * counters and {@link #size} may be read from any thread.
 */
public final class FrameRing implements AudioSource, AudioSink {

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(FrameRing.class, "head", long.class);
            TAIL = l.findVarHandle(FrameRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final short[] slots;
    private final int capacity;
    private final int frameSamples;
    /** Next frame to read; written by the consumer only. */
    @SuppressWarnings("unused")
    private volatile long head;
    /** Next frame to write; written by the producer only. */
    @SuppressWarnings("unused")
    private volatile long tail;
    private volatile long overruns;
    private volatile long underruns;

    /** A ring of {@code capacity} frames of {@link AudioDevice#FRAME_SAMPLES} samples. */
    public FrameRing(int capacity) {
        this(capacity, AudioDevice.FRAME_SAMPLES);
    }

    public FrameRing(int capacity, int frameSamples) {
        if (capacity < 1 || frameSamples < 1) {
            throw new IllegalArgumentException("capacity and frame size must be positive");
        }
        this.capacity = capacity;
        this.frameSamples = frameSamples;
        this.slots = new short[capacity * frameSamples];
    }

    /** Producer: copies one frame in; returns the frame size, or 0 (and counts an overrun) when full. */
    @Override
    public int write(short[] frame, int offset) {
        long t = (long) TAIL.getOpaque(this);
        long h = (long) HEAD.getAcquire(this);
        if (t - h >= capacity) {
            overruns++;
            return 0;
        }
        System.arraycopy(frame, offset, slots, (int) (t % capacity) * frameSamples, frameSamples);
        TAIL.setRelease(this, t + 1);
        return frameSamples;
    }

    /** Consumer: copies one frame out; returns the frame size, or 0 (and counts an underrun) when empty. */
    @Override
    public int read(short[] frame, int offset) {
        long h = (long) HEAD.getOpaque(this);
        long t = (long) TAIL.getAcquire(this);
        if (h == t) {
            underruns++;
            return 0;
        }
        System.arraycopy(slots, (int) (h % capacity) * frameSamples, frame, offset, frameSamples);
        HEAD.setRelease(this, h + 1);
        return frameSamples;
    }

    /** Frames waiting; a snapshot. */
    public int size() {
        return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
    }

    public int capacity() {
        return capacity;
    }

    public int frameSamples() {
        return frameSamples;
    }

    /** Frames dropped because the ring was full. */
    public long overruns() {
        return overruns;
    }

    /** Reads that found the ring empty. */
    public long underruns() {
        return underruns;
    }
}
