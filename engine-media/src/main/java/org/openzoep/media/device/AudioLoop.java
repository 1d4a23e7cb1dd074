package org.openzoep.media.device;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audio thread: one dedicated platform thread per device that, every 10 ms period, reads a
 * captured frame from the device and hands it to the capture consumer, then pulls a playback
 * frame from the producer and writes it to the device. The device's blocking {@code read} paces
 * the loop.
 *
 * <p>Per period the loop allocates nothing, takes no locks, logs nothing and never throws: a
 * producer with nothing to play yields silence and counts a playback underrun; a consumer with
 * no room counts a capture overrun; a device error is counted and the period skipped. Typical
 * consumer and producer: a {@link FrameRing} each, whose other ends the network side serves.
 *
 * <p>Timing: the loop records, per period, the time between the ends of successive captures
 * (the period actually held), its maximum, and the periods longer than 1.5 nominal periods
 * ("late"), for paced devices.
 *
 * <p>Thread: {@link #start} and {@link #stop} are called by the owner; everything else runs on
 * the loop's own thread. Statistics may be read from any thread.
 */
public final class AudioLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AudioLoop.class);

    private final AudioDevice device;
    private final AudioSink captureConsumer;
    private final AudioSource playbackProducer;
    private final short[] captureFrame = new short[AudioDevice.FRAME_SAMPLES];
    private final short[] playbackFrame = new short[AudioDevice.FRAME_SAMPLES];
    private final Thread thread;
    private volatile boolean running;
    private volatile Throwable failure;

    private volatile long periods;
    private volatile long captureOverruns;
    private volatile long playbackUnderruns;
    private volatile long deviceErrors;
    private volatile long latePeriods;
    private volatile long maxPeriodNanos;
    private volatile long firstPeriodAt;
    private volatile long lastPeriodAt;

    /**
     * @param device driven by this loop only, from {@link #start} until {@link #stop} returns
     * @param captureConsumer gets every captured frame; null discards capture
     * @param playbackProducer asked for every frame to play; null plays silence
     */
    public AudioLoop(AudioDevice device, AudioSink captureConsumer, AudioSource playbackProducer) {
        this.device = device;
        this.captureConsumer = captureConsumer;
        this.playbackProducer = playbackProducer;
        this.thread = new Thread(this::run, "openzoep-audio-" + device.name());
        this.thread.setDaemon(true);
        this.thread.setPriority(Thread.MAX_PRIORITY);
    }

    /** Starts the audio thread; it starts the device and runs until {@link #stop}. */
    public void start() {
        running = true;
        thread.start();
    }

    /**
     * Asks the loop to stop after the current period and waits up to {@code timeoutMillis} for the
     * device to be stopped. Returns false if the thread did not end in time (a device blocked).
     */
    public boolean stop(long timeoutMillis) throws InterruptedException {
        running = false;
        thread.join(Math.max(1, timeoutMillis / 2));
        if (thread.isAlive()) {
            // A clock-paced device waits interruptibly; a blocking native read ends within a period anyway.
            thread.interrupt();
            thread.join(Math.max(1, timeoutMillis / 2));
        }
        return !thread.isAlive();
    }

    /** The audio thread's id (for allocation and CPU accounting). */
    public long threadId() {
        return thread.getId();
    }

    private void run() {
        try {
            device.start();
        } catch (Throwable t) {
            failure = t;
            running = false;
            LOG.debug("audio device {} failed to start", device.name(), t);
            return;
        }
        long nominal = AudioDevice.FRAME_NANOS;
        long late = nominal + nominal / 2;
        long previous = 0;
        int failedReads = 0;
        while (running) {
            try {
                int n = device.read(captureFrame, 0);
                long now = System.nanoTime();
                if (previous != 0) {
                    long period = now - previous;
                    if (period > maxPeriodNanos) {
                        maxPeriodNanos = period;
                    }
                    if (period > late) {
                        latePeriods++;
                    }
                } else {
                    firstPeriodAt = now;
                }
                previous = now;
                lastPeriodAt = now;
                if (n < 0) {
                    // A failed read is no period: count it, and back off if the device keeps failing.
                    deviceErrors++;
                    if (++failedReads > 3) {
                        java.util.concurrent.locks.LockSupport.parkNanos(nominal);
                    }
                    continue;
                }
                failedReads = 0;
                if (n > 0 && captureConsumer != null && captureConsumer.write(captureFrame, 0) <= 0) {
                    captureOverruns++;
                }
                if (playbackProducer == null || playbackProducer.read(playbackFrame, 0) <= 0) {
                    if (playbackProducer != null) {
                        playbackUnderruns++;
                    }
                    java.util.Arrays.fill(playbackFrame, (short) 0);
                }
                if (device.write(playbackFrame, 0) < 0) {
                    deviceErrors++;
                }
                periods++;
            } catch (Throwable t) {
                // Never let the audio thread die on a bug in a consumer: count it and go on.
                deviceErrors++;
                failure = t;
            }
        }
        try {
            device.stop();
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Periods run so far. */
    public long periods() {
        return periods;
    }

    /** A snapshot of the counters (allocates; not for the audio thread). */
    public Stats stats() {
        long first = firstPeriodAt;
        long last = lastPeriodAt;
        long p = periods;
        double mean = p > 1 ? (last - first) / 1e6 / (p - 1) : 0;
        return new Stats(p, captureOverruns, playbackUnderruns, device.overflows(), device.underflows(), deviceErrors,
                latePeriods, TimeUnit.NANOSECONDS.toMicros(maxPeriodNanos) / 1000.0, mean);
    }

    /** The last error the loop caught (device start failure, or a throwing consumer), or null. */
    public Throwable failure() {
        return failure;
    }

    /** True while the audio thread runs. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        try {
            stop(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Loop statistics.
     *
     * @param periods periods run
     * @param captureOverruns captured frames the consumer had no room for
     * @param playbackUnderruns periods the producer had nothing to play (silence written)
     * @param deviceOverflows capture overflows the device reported
     * @param deviceUnderflows playback underflows the device reported
     * @param deviceErrors failed reads or writes, and exceptions caught
     * @param latePeriods periods that took more than 15 ms
     * @param maxPeriodMillis longest period
     * @param meanPeriodMillis mean period
     */
    public record Stats(long periods, long captureOverruns, long playbackUnderruns, long deviceOverflows,
            long deviceUnderflows, long deviceErrors, long latePeriods, double maxPeriodMillis, double meanPeriodMillis) {
    }
}
