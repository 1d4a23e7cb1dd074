package org.openzoep;

import java.nio.file.Path;
import java.util.Objects;
import org.openzoep.media.device.AudioSink;
import org.openzoep.media.device.AudioSource;

/**
 * Where a call's audio comes from and goes to. Frames are 10 ms, 48 kHz, mono, 16-bit.
 *
 * <ul>
 *   <li>{@link #of}: the application's own source and sink (e.g. a {@code WavSource}, a ring it
 *       fills), driven by the engine's audio clock;</li>
 *   <li>{@link #files}: play a WAV file into the call, record the call into a WAV file;</li>
 *   <li>{@link #silence}: send silence, discard what is heard;</li>
 *   <li>{@link #device}: a sound device through PortAudio, by name or index ("default" for the
 *       system's default), paced by the device itself.</li>
 * </ul>
 *
 * <p>Settings strings (the configuration iq's {@code <audio capture='…' playback='…'/>}) map by
 * {@link #parse}: {@code none}, {@code file:PATH}, or a device name.
 *
 * <p>Thread: immutable. A source and sink given to {@link #of} are then used only by the engine's
 * audio thread, and must follow {@link AudioSource}'s rules (no allocation, no locks).
 */
public final class CallAudio {

    /** What kind of endpoint. */
    public enum Kind { CUSTOM, FILES, SILENCE, DEVICE }

    private final Kind kind;
    private final AudioSource source;
    private final AudioSink sink;
    private final Path captureFile;
    private final Path playbackFile;
    private final String captureDevice;
    private final String playbackDevice;

    private CallAudio(Kind kind, AudioSource source, AudioSink sink, Path captureFile, Path playbackFile,
            String captureDevice, String playbackDevice) {
        this.kind = kind;
        this.source = source;
        this.sink = sink;
        this.captureFile = captureFile;
        this.playbackFile = playbackFile;
        this.captureDevice = captureDevice;
        this.playbackDevice = playbackDevice;
    }

    /** The application's source (what the call sends) and sink (what the call plays); either may be null. */
    public static CallAudio of(AudioSource source, AudioSink sink) {
        return new CallAudio(Kind.CUSTOM, source, sink, null, null, null, null);
    }

    /**
     * Plays {@code capture} (a 16-bit PCM WAV file, any rate and channels; null for silence) into
     * the call and records what is heard into {@code playback} (48 kHz mono; null to discard).
     */
    public static CallAudio files(Path capture, Path playback) {
        return new CallAudio(Kind.FILES, null, null, capture, playback, null, null);
    }

    public static CallAudio silence() {
        return new CallAudio(Kind.SILENCE, null, null, null, null, null, null);
    }

    /** PortAudio devices by name or index; "default" for the default input/output. */
    public static CallAudio device(String capture, String playback) {
        return new CallAudio(Kind.DEVICE, null, null, null, null, Objects.requireNonNull(capture),
                Objects.requireNonNull(playback));
    }

    /** From the configuration's capture and playback strings: {@code none}, {@code file:PATH} or a device. */
    public static CallAudio parse(String capture, String playback) {
        boolean capFile = capture == null || capture.equals("none") || capture.startsWith("file:");
        boolean playFile = playback == null || playback.equals("none") || playback.startsWith("file:");
        if (capFile && playFile) {
            Path c = capture != null && capture.startsWith("file:") ? Path.of(capture.substring(5)) : null;
            Path p = playback != null && playback.startsWith("file:") ? Path.of(playback.substring(5)) : null;
            return c == null && p == null ? silence() : files(c, p);
        }
        if (capFile != playFile) {
            throw new IllegalArgumentException("capture and playback must both be devices, or both files/none: '"
                    + capture + "', '" + playback + "'");
        }
        return device(capture, playback);
    }

    public Kind kind() {
        return kind;
    }

    public AudioSource source() {
        return source;
    }

    public AudioSink sink() {
        return sink;
    }

    public Path captureFile() {
        return captureFile;
    }

    public Path playbackFile() {
        return playbackFile;
    }

    public String captureDevice() {
        return captureDevice;
    }

    public String playbackDevice() {
        return playbackDevice;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CUSTOM -> "custom";
            case FILES -> "files(" + captureFile + " -> " + playbackFile + ")";
            case SILENCE -> "silence";
            case DEVICE -> "device(" + captureDevice + " / " + playbackDevice + ")";
        };
    }
}
