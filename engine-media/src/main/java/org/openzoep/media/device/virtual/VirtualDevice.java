package org.openzoep.media.device.virtual;

import java.util.Arrays;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioSink;
import org.openzoep.media.device.AudioSource;

/**
 * A device with no hardware: {@link #read} waits for the next 10 ms tick of its {@link Clock}
 * and then takes a frame from its source (silence when there is none or it has run dry);
 * {@link #write} hands frames to its sink (or drops them). With {@link #unpaced} it does not wait
 * at all, which turns a file-to-file run into a fast batch job.
 *
 * <p>Thread: the audio thread, like any device. Allocation-free per period with the system clock.
 */
public final class VirtualDevice implements AudioDevice {

    private final String name;
    private final Clock clock;
    private final AudioSource source;
    private final AudioSink sink;
    private long startedAt;
    private long ticks;
    private volatile long sourceUnderruns;
    private volatile long sinkOverruns;

    private VirtualDevice(String name, Clock clock, AudioSource source, AudioSink sink) {
        this.name = name;
        this.clock = clock;
        this.source = source;
        this.sink = sink;
    }

    /** A device paced by {@code clock}; source and sink may be null (silence, discard). */
    public static VirtualDevice paced(String name, Clock clock, AudioSource source, AudioSink sink) {
        return new VirtualDevice(name, clock, source, sink);
    }

    /** A device that never waits: every read returns a frame at once. */
    public static VirtualDevice unpaced(String name, AudioSource source, AudioSink sink) {
        return new VirtualDevice(name, null, source, sink);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean hasCapture() {
        return source != null;
    }

    @Override
    public boolean hasPlayback() {
        return sink != null;
    }

    @Override
    public void start() {
        ticks = 0;
        startedAt = clock == null ? 0 : clock.nanoTime();
    }

    @Override
    public int read(short[] frame, int offset) {
        ticks++;
        if (clock != null && !clock.awaitUntil(startedAt + ticks * FRAME_NANOS)) {
            return -1;
        }
        if (source == null || source.read(frame, offset) <= 0) {
            if (source != null) {
                sourceUnderruns++;
            }
            Arrays.fill(frame, offset, offset + FRAME_SAMPLES, (short) 0);
        }
        return FRAME_SAMPLES;
    }

    @Override
    public int write(short[] frame, int offset) {
        if (sink == null) {
            return FRAME_SAMPLES;
        }
        int n = sink.write(frame, offset);
        if (n == 0) {
            sinkOverruns++;
        }
        return n;
    }

    @Override
    public void stop() {
    }

    /** Reads the source could not serve (silence captured instead). */
    public long sourceUnderruns() {
        return sourceUnderruns;
    }

    /** Writes the sink refused. */
    public long sinkOverruns() {
        return sinkOverruns;
    }

    @Override
    public void close() {
        if (source instanceof AutoCloseable c) {
            closeQuietly(c);
        }
        if (sink instanceof AutoCloseable c && sink != source) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing a file source or sink: nothing to recover
        }
    }
}
