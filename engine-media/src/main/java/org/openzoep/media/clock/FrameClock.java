package org.openzoep.media.clock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioDeviceException;
import org.openzoep.media.device.AudioLoop;
import org.openzoep.media.device.AudioSink;
import org.openzoep.media.device.AudioSource;
import org.openzoep.media.device.FrameSizeAdapter;
import org.openzoep.media.device.portaudio.PortAudio;
import org.openzoep.media.device.virtual.Clock;
import org.openzoep.media.session.Conference;

/**
 * The one media clock: it drives capture, {@link Conference#process} (decode, mix, encode) and
 * playout of every call, with and without a sound device. The per-frame code is one piece,
 * {@link FramePort#frame}; two pacings call it:
 * <ul>
 *   <li><b>Timer-paced</b> ({@link #attach}): a fixed number of threads (a function of the cores,
 *       never of the calls), each of which, every frame, runs every call attached to it: reads the
 *       call's source, runs its frame, writes its sink. A call goes to the thread with the fewest
 *       calls; the threads' frame starts are staggered over the period. A frame whose work ends
 *       after the next frame was due counts as a missed deadline; the thread then skips ahead
 *       instead of running late frames back to back.
 *   <li><b>Device-paced</b> ({@link #attachDevice}): the device's {@link AudioLoop} thread, paced by
 *       the device's blocking reads; a {@link FrameSizeAdapter} joins its 10 ms periods into the
 *       call's frame and splits the frame played back.
 * </ul>
 *
 * <p>Threads: {@link #attach}, {@link #attachDevice} and {@link Attachment#close} from any thread
 * but the audio threads (attach copies a small array under the clock's lock; close then waits, at
 * most a frame, until the call is out of use). The audio threads only read a volatile array,
 * allocate nothing, take no lock, log nothing, and catch what a source or sink throws (counted in
 * {@link #errors}). Statistics from any thread. Buffers: the PCM frames are the port's own arrays,
 * lent to the source, the conference and the sink for each call.
 */
public final class FrameClock implements AutoCloseable {

    /** One call on the clock; closing it detaches the call and waits until no audio thread uses it. */
    public interface Attachment extends AutoCloseable {
        /** Detaches; once this returns, no audio thread touches the call's conference, source or sink. */
        @Override
        void close();

        /** Frames run for this call so far. */
        long frames();
    }

    private static final TimedPort[] NONE = new TimedPort[0];

    private final Clock pacer;
    private final long frameNanos;
    private final int frameSamples;
    private final String threadPrefix;
    private final Worker[] workers;
    private final List<DevicePort> devices = new ArrayList<>();
    private volatile boolean running = true;
    private final AtomicLong errors = new AtomicLong();

    /**
     * @param threads timer-paced audio threads (the cores, typically)
     * @param frameMillis the frame every attached conference uses (20)
     * @param threadPrefix names the threads {@code prefix0}, {@code prefix1}, …
     */
    public FrameClock(int threads, int frameMillis, String threadPrefix) {
        this(threads, frameMillis, threadPrefix, Clock.system());
    }

    /**
     * A clock whose timer threads wait on {@code pacer}: {@link Clock#system()} in production, a
     * {@code ManualClock} in tests (time moves only when the test says so).
     */
    public FrameClock(int threads, int frameMillis, String threadPrefix, Clock pacer) {
        if (threads < 1 || frameMillis < 10 || frameMillis % 10 != 0) {
            throw new IllegalArgumentException("threads " + threads + ", frame " + frameMillis + " ms");
        }
        this.pacer = Objects.requireNonNull(pacer);
        this.threadPrefix = threadPrefix;
        this.frameNanos = TimeUnit.MILLISECONDS.toNanos(frameMillis);
        this.frameSamples = AudioDevice.SAMPLE_RATE / 1000 * frameMillis;
        this.workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(i, threads);
        }
        for (Worker w : workers) {
            w.thread.start();
        }
    }

    /** Samples of one frame at 48 kHz (960 for 20 ms): every attached conference uses this frame. */
    public int frameSamples() {
        return frameSamples;
    }

    /**
     * Timer-paced: runs the call every frame on the least-loaded audio thread.
     *
     * @param source the local voice in 10 ms frames (a file, the application's); null: silence
     * @param sink takes what the local party hears in 10 ms frames; null: discarded
     */
    public Attachment attach(Conference conference, AudioSource source, AudioSink sink) {
        TimedPort port = new TimedPort(this, checked(conference), source, sink);
        synchronized (this) {
            if (!running) {
                throw new IllegalStateException("the frame clock is closed");
            }
            Worker w = workers[0];
            for (Worker x : workers) {
                if (x.ports.length < w.ports.length) {
                    w = x;
                }
            }
            TimedPort[] p = Arrays.copyOf(w.ports, w.ports.length + 1);
            p[p.length - 1] = port;
            w.ports = p;
        }
        return port;
    }

    /**
     * Device-paced: opens a PortAudio device by name or index ("default" for the defaults) and
     * runs the call on its audio thread. Blocks while PortAudio opens the device: not on an event
     * loop.
     *
     * @throws AudioDeviceException when PortAudio is missing or the device cannot be found or opened
     */
    public Attachment attachDevice(Conference conference, String capture, String playback) {
        checked(conference);
        PortAudio pa = PortAudio.initialize();
        try {
            PortAudio.DeviceInfo in = "default".equals(capture) ? pa.defaultInput() : pa.find(capture);
            PortAudio.DeviceInfo out = "default".equals(playback) ? pa.defaultOutput() : pa.find(playback);
            if (in == null && out == null) {
                throw new AudioDeviceException("no default sound device: name one of " + pa.devices());
            }
            return attachDevice(conference, pa.open(in, out, 0), pa);
        } catch (RuntimeException e) {
            pa.close();
            throw e;
        }
    }

    /**
     * Device-paced on a device that is already open (a {@code VirtualDevice}, a PortAudio device the
     * caller chose); the attachment owns it from now on and closes it on {@link Attachment#close}.
     */
    public Attachment attachDevice(Conference conference, AudioDevice device) {
        return attachDevice(checked(conference), device, null);
    }

    private Attachment attachDevice(Conference conference, AudioDevice device, AutoCloseable library) {
        DevicePort port = new DevicePort(this, conference, device, library);
        synchronized (this) {
            if (!running) {
                port.closeDevice();
                throw new IllegalStateException("the frame clock is closed");
            }
            devices.add(port);
        }
        port.loop.start();
        return port;
    }

    private Conference checked(Conference conference) {
        if (conference.frameSamples() != frameSamples) {
            throw new IllegalArgumentException("conference frame of " + conference.frameSamples()
                    + " samples; this clock runs " + frameSamples);
        }
        return conference;
    }

    /** Removes a timer-paced port and waits until its worker is out of the frame that may use it. */
    void detach(TimedPort port) {
        Worker owner = null;
        synchronized (this) {
            for (Worker w : workers) {
                TimedPort[] p = w.ports;
                for (int i = 0; i < p.length; i++) {
                    if (p[i] == port) {
                        TimedPort[] q = new TimedPort[p.length - 1];
                        System.arraycopy(p, 0, q, 0, i);
                        System.arraycopy(p, i + 1, q, i, p.length - i - 1);
                        w.ports = q.length == 0 ? NONE : q;
                        owner = w;
                    }
                }
            }
        }
        if (owner == null || Thread.currentThread() == owner.thread) {
            return;
        }
        // the worker's sequence is odd while it runs a frame (it goes odd before reading ports):
        // an even value read after the swap means every later frame reads the new array
        long seq = owner.seq;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while ((seq & 1) == 1 && owner.seq == seq && owner.thread.isAlive() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
    }

    synchronized void forget(DevicePort port) {
        devices.remove(port);
    }

    void error() {
        errors.incrementAndGet();
    }

    /** Calls attached now, timer- and device-paced. */
    public synchronized int calls() {
        int n = devices.size();
        for (Worker w : workers) {
            n += w.ports.length;
        }
        return n;
    }

    /** Calls on a sound device now. */
    public synchronized int deviceCalls() {
        return devices.size();
    }

    /** Timer-paced frames run (per thread, summed; a thread with no call runs none). */
    public long frames() {
        long n = 0;
        for (Worker w : workers) {
            n += w.frames.get();
        }
        return n;
    }

    /** Timer-paced frames whose work ended after the next frame was due, summed over the threads. */
    public long missedDeadlines() {
        long n = 0;
        for (Worker w : workers) {
            n += w.missed.get();
        }
        return n;
    }

    /** Longest time one timer thread spent on one frame, in nanoseconds, since the last reset. */
    public long maxFrameNanos() {
        long m = 0;
        for (Worker w : workers) {
            m = Math.max(m, w.maxWork);
        }
        return m;
    }

    /** Exceptions a source, sink or conference threw on an audio thread (the frame was skipped). */
    public long errors() {
        return errors.get();
    }

    /**
     * True when every timer thread has run all frames due at {@code nanoTime} (of the pacer) and
     * waits for a later one: lets a test driving a manual clock know a step is over.
     */
    boolean idleAfter(long nanoTime) {
        for (Worker w : workers) {
            if (w.next <= nanoTime) {
                return false;
            }
        }
        return true;
    }

    /** Resets the timer threads' counters (for measurements). */
    public void resetStats() {
        for (Worker w : workers) {
            w.missed.set(0);
            w.frames.set(0);
            w.maxWork = 0;
        }
    }

    /** Stops the timer threads and the device calls still attached. */
    @Override
    public void close() {
        List<DevicePort> open;
        synchronized (this) {
            running = false;
            open = new ArrayList<>(devices);
        }
        for (DevicePort d : open) {
            d.close();
        }
        try {
            for (Worker w : workers) {
                // a worker waiting for its next frame ends by then; one still alive after three
                // frames waits on a clock that does not move (a test's) and is interrupted
                w.thread.join(TimeUnit.NANOSECONDS.toMillis(3 * frameNanos));
                if (w.thread.isAlive()) {
                    w.thread.interrupt();
                    w.thread.join(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A timer thread. */
    private final class Worker implements Runnable {
        final Thread thread;
        final int index;
        final int count;
        volatile TimedPort[] ports = NONE;
        /** Frames begun plus frames ended: odd while a frame runs. Written by the worker only. */
        volatile long seq;
        final AtomicLong frames = new AtomicLong();
        final AtomicLong missed = new AtomicLong();
        volatile long maxWork;
        /** When the next frame is due (pacer time); read by {@link #idleAfter}. */
        volatile long next;

        Worker(int index, int count) {
            this.index = index;
            this.count = count;
            this.thread = new Thread(this, threadPrefix + index);
            thread.setDaemon(true);
            thread.setPriority(Thread.MAX_PRIORITY);
        }

        @Override
        public void run() {
            // the threads' frames are spread over the frame period, so that their bursts of work
            // (and the network sends they trigger) do not all land on the cores at the same moment
            long next = pacer.nanoTime() + frameNanos + frameNanos * index / count;
            this.next = next;
            while (running) {
                if (!pacer.awaitUntil(next) || !running) {
                    if (!running) {
                        return;
                    }
                    Thread.interrupted(); // only close interrupts; anything else is not ours to keep
                    continue;
                }
                seq++; // odd: in a frame (see detach)
                TimedPort[] p = ports;
                long start = pacer.nanoTime();
                for (TimedPort port : p) {
                    port.runTimed();
                }
                seq++;
                long end = pacer.nanoTime();
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
                this.next = next;
            }
        }
    }

    /** A call driven by the device's {@link AudioLoop}. */
    static final class DevicePort extends FramePort {
        private final FrameClock clock;
        private final AudioDevice device;
        private final AutoCloseable library;
        final AudioLoop loop;
        private boolean closed;

        DevicePort(FrameClock clock, Conference conference, AudioDevice device, AutoCloseable library) {
            super(conference, clock);
            this.clock = clock;
            this.device = device;
            this.library = library;
            FrameSizeAdapter adapter = new FrameSizeAdapter(conference.frameSamples(), this::frame, this::playout);
            this.loop = new AudioLoop(device, adapter, adapter);
        }

        /** The device loop's counters (periods, overruns, underruns, late periods). */
        AudioLoop.Stats loopStats() {
            return loop.stats();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                loop.stop(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            clock.forget(this);
            closeDevice();
        }

        void closeDevice() {
            try {
                device.close();
            } finally {
                if (library != null) {
                    try {
                        library.close();
                    } catch (Exception e) {
                        // PortAudio's terminate does not fail in practice; nothing to undo here
                    }
                }
            }
        }
    }
}
