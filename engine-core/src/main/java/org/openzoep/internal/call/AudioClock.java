package org.openzoep.internal.call;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioSink;
import org.openzoep.media.device.AudioSource;
import org.openzoep.media.session.Conference;

/**
 * The engine's audio threads for calls that have no sound device of their own (files, silence,
 * the application's source and sink): a fixed number of threads (a function of the cores, never of
 * the calls), each of which, every 20 ms frame, runs every call attached to it: reads the call's
 * source, runs its {@link Conference} (decode, mix, encode) and writes its sink. A call is attached
 * to the thread with the fewest calls; the threads' frame starts are staggered over the period.
 *
 * <p>A frame whose work ends after the next frame was due counts as a missed deadline; the thread
 * then skips ahead instead of running late frames back to back.
 *
 * <p>Threads: {@link #attach}/{@link #detach} from any thread but the audio threads (they copy a
 * small array under the clock's lock; detach then waits, at most a frame, until the port is out of
 * use); the audio threads only read a volatile array, allocate nothing and take no lock.
 */
public final class AudioClock implements AutoCloseable {

    /** One call's audio: its conference and its source and sink (10 ms frames). */
    public static final class Port {
        final Conference conference;
        final AudioSource source;
        final AudioSink sink;
        final short[] capture;
        final short[] playback;

        public Port(Conference conference, AudioSource source, AudioSink sink) {
            this.conference = conference;
            this.source = source;
            this.sink = sink;
            this.capture = new short[conference.frameSamples()];
            this.playback = new short[conference.frameSamples()];
        }

        void run() {
            int n = capture.length;
            for (int off = 0; off < n; off += AudioDevice.FRAME_SAMPLES) {
                if (source == null || source.read(capture, off) != AudioDevice.FRAME_SAMPLES) {
                    Arrays.fill(capture, off, off + AudioDevice.FRAME_SAMPLES, (short) 0);
                }
            }
            conference.process(capture, 0, playback, 0);
            if (sink != null) {
                for (int off = 0; off < n; off += AudioDevice.FRAME_SAMPLES) {
                    sink.write(playback, off);
                }
            }
        }
    }

    private static final Port[] NONE = new Port[0];

    private final long frameNanos;
    private final String threadPrefix;
    private final Worker[] workers;
    private volatile boolean running = true;

    /**
     * @param threads audio threads
     * @param frameMillis the frame every attached conference uses (20)
     * @param threadPrefix names the threads {@code prefix0}, {@code prefix1}, …
     */
    public AudioClock(int threads, int frameMillis, String threadPrefix) {
        this.threadPrefix = threadPrefix;
        this.frameNanos = TimeUnit.MILLISECONDS.toNanos(frameMillis);
        this.workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(i);
            workers[i].thread.start();
        }
    }

    /** Starts running the port's call every frame. */
    public synchronized void attach(Port port) {
        Worker w = workers[0];
        for (Worker x : workers) {
            if (x.ports.length < w.ports.length) {
                w = x;
            }
        }
        Port[] p = Arrays.copyOf(w.ports, w.ports.length + 1);
        p[p.length - 1] = port;
        w.ports = p;
    }

    /**
     * Stops running the port's call. Once this returns, no audio thread is using the port (it waits
     * for a frame in progress to end), so its source, sink and codecs may be closed.
     */
    public void detach(Port port) {
        Worker owner = null;
        synchronized (this) {
            for (Worker w : workers) {
                Port[] p = w.ports;
                for (int i = 0; i < p.length; i++) {
                    if (p[i] == port) {
                        Port[] q = new Port[p.length - 1];
                        System.arraycopy(p, 0, q, 0, i);
                        System.arraycopy(p, i + 1, q, i, p.length - i - 1);
                        w.ports = q.length == 0 ? NONE : q;
                        owner = w;
                    }
                }
            }
        }
        if (owner == null) {
            return;
        }
        // the worker's sequence is odd while it runs a frame (it goes odd before reading ports):
        // an even value read after the swap means every later frame reads the new array
        long seq = owner.seq;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while ((seq & 1) == 1 && owner.seq == seq && running && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
    }

    /** Calls attached now. */
    public int calls() {
        int n = 0;
        for (Worker w : workers) {
            n += w.ports.length;
        }
        return n;
    }

    /** Frames run (per thread, summed). */
    public long frames() {
        long n = 0;
        for (Worker w : workers) {
            n += w.frames.get();
        }
        return n;
    }

    /** Frames whose work ended after the next frame was due, summed over the threads. */
    public long missedDeadlines() {
        long n = 0;
        for (Worker w : workers) {
            n += w.missed.get();
        }
        return n;
    }

    /** Longest time one thread spent on one frame, in nanoseconds, since the last reset. */
    public long maxFrameNanos() {
        long m = 0;
        for (Worker w : workers) {
            m = Math.max(m, w.maxWork);
        }
        return m;
    }

    /** Resets the counters (for measurements). */
    public void resetStats() {
        for (Worker w : workers) {
            w.missed.set(0);
            w.frames.set(0);
            w.maxWork = 0;
        }
    }

    @Override
    public void close() {
        running = false;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
            try {
                w.thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Worker implements Runnable {
        final Thread thread;
        volatile Port[] ports = NONE;
        /** Frames begun plus frames ended: odd while a frame runs. Written by the worker only. */
        volatile long seq;
        final AtomicLong frames = new AtomicLong();
        final AtomicLong missed = new AtomicLong();
        volatile long maxWork;

        final int index;

        Worker(int index) {
            this.index = index;
            this.thread = new Thread(this, threadPrefix + index);
            thread.setDaemon(true);
            thread.setPriority(Thread.MAX_PRIORITY);
        }

        @Override
        public void run() {
            // the threads' frames are spread over the frame period, so that their bursts of work
            // (and the network sends they trigger) do not all land on the cores at the same moment
            long next = System.nanoTime() + frameNanos + frameNanos * index / workers.length;
            while (running) {
                long now;
                while ((now = System.nanoTime()) < next && running) {
                    LockSupport.parkNanos(next - now);
                }
                seq++; // odd: in a frame (see detach)
                Port[] p = ports;
                long start = System.nanoTime();
                for (Port port : p) {
                    port.run();
                }
                seq++;
                long end = System.nanoTime();
                if (p.length > 0) {
                    frames.incrementAndGet();
                    if (end - start > maxWork) {
                        maxWork = end - start;
                    }
                }
                next += frameNanos;
                if (end > next) {
                    if (p.length > 0) {
                        missed.incrementAndGet();
                    }
                    // skip the frames already missed; the jitter buffers absorb the gap
                    next = end + frameNanos - (end - next) % frameNanos;
                }
            }
        }
    }
}
