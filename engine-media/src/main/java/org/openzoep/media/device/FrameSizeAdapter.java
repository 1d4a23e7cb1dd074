package org.openzoep.media.device;

/**
 * Joins the device's 10 ms frames into the codec's longer frames (20, 40, 60 ms) on the capture
 * side, and splits the codec-sized frames the call produces into 10 ms frames on the playback
 * side, so an {@link AudioLoop} can drive a media session directly:
 * {@code new AudioLoop(device, adapter, adapter)} with
 * {@code new FrameSizeAdapter(960, session::captureFrame, session::playbackFrame)}.
 *
 * <p>Capture: every {@code codecSamples / 480} device frames, {@link Capture#captureFrame} gets one
 * joined frame. Playback: whenever the split buffer is used up, {@link Playback#playbackFrame} is
 * asked for the next codec frame. Both callbacks run on the audio thread, inside the loop's
 * {@code write}/{@code read}, and must not block or allocate; the adapter allocates only its two
 * buffers, here.
 *
 * <p>Thread: the audio thread only.
 */
public final class FrameSizeAdapter implements AudioSink, AudioSource {

    /** Takes one codec-sized captured frame; {@code pcm} is borrowed for the call. */
    @FunctionalInterface
    public interface Capture {
        void captureFrame(short[] pcm, int offset);
    }

    /** Fills one codec-sized frame to play; {@code out} is borrowed for the call. */
    @FunctionalInterface
    public interface Playback {
        void playbackFrame(short[] out, int offset);
    }

    private final int codecSamples;
    private final Capture capture;
    private final Playback playback;
    private final short[] captureBuffer;
    private final short[] playbackBuffer;
    private int captured;
    private int played;

    /**
     * @param codecSamples the codec frame, a multiple of {@link AudioDevice#FRAME_SAMPLES}
     * @param capture gets joined frames; null discards capture
     * @param playback asked for frames to play; null plays silence
     */
    public FrameSizeAdapter(int codecSamples, Capture capture, Playback playback) {
        if (codecSamples <= 0 || codecSamples % AudioDevice.FRAME_SAMPLES != 0) {
            throw new IllegalArgumentException("codec frame must be a multiple of 480 samples: " + codecSamples);
        }
        this.codecSamples = codecSamples;
        this.capture = capture;
        this.playback = playback;
        this.captureBuffer = new short[codecSamples];
        this.playbackBuffer = new short[codecSamples];
        this.played = codecSamples;
    }

    /** Capture side: one 10 ms device frame in. */
    @Override
    public int write(short[] frame, int offset) {
        System.arraycopy(frame, offset, captureBuffer, captured, AudioDevice.FRAME_SAMPLES);
        captured += AudioDevice.FRAME_SAMPLES;
        if (captured == codecSamples) {
            captured = 0;
            if (capture != null) {
                capture.captureFrame(captureBuffer, 0);
            }
        }
        return AudioDevice.FRAME_SAMPLES;
    }

    /** Playback side: one 10 ms device frame out. */
    @Override
    public int read(short[] frame, int offset) {
        if (played == codecSamples) {
            if (playback != null) {
                playback.playbackFrame(playbackBuffer, 0);
            } else {
                java.util.Arrays.fill(playbackBuffer, (short) 0);
            }
            played = 0;
        }
        System.arraycopy(playbackBuffer, played, frame, offset, AudioDevice.FRAME_SAMPLES);
        played += AudioDevice.FRAME_SAMPLES;
        return AudioDevice.FRAME_SAMPLES;
    }
}
