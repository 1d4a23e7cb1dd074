package org.openzoep.media.device;

/**
 * A full- or half-duplex audio device of 10 ms, 48 kHz, mono, 16-bit frames: captures with
 * {@link #read}, plays with {@link #write}. Real devices pace the loop by blocking in
 * {@code read}; a half-duplex playback device blocks in {@code write}.
 *
 * <p>Implementations: {@code portaudio.PortAudioDevice} (sound hardware through PortAudio),
 * {@code virtual.VirtualDevice} (paced by a clock, for tests and headless use), and any
 * source/sink pair from {@code wav}.
 *
 * <p>Thread: {@link #start}, {@link #read}, {@link #write} and {@link #stop} run on the audio
 * thread only, none of them allocates; {@link #close} is called by the owner after the loop has
 * stopped, or (when the loop did not stop in time) while it may still be inside a blocking read
 * or write: a device over a native stream then leaves the stream's close to the audio thread (as
 * {@code PortAudioDevice} does). Counters may be read from any thread.
 */
public interface AudioDevice extends AudioSource, AudioSink, AutoCloseable {

    int SAMPLE_RATE = 48000;
    /** Samples in one 10 ms frame at 48 kHz, mono. */
    int FRAME_SAMPLES = 480;
    long FRAME_NANOS = 10_000_000L;

    /** A name for logs and device selection. */
    String name();

    /** True when {@link #read} captures sound; otherwise it returns 0 at once or paces only. */
    boolean hasCapture();

    /** True when {@link #write} plays sound. */
    boolean hasPlayback();

    /** Starts streaming; called on the audio thread just before the first {@code read}. */
    void start();

    /** Stops streaming; called on the audio thread after the last {@code write}. */
    void stop();

    /** Capture frames the device dropped because we read too late (device-reported). */
    default long overflows() {
        return 0;
    }

    /** Playback periods the device played silence because we wrote too late (device-reported). */
    default long underflows() {
        return 0;
    }

    @Override
    void close();
}
