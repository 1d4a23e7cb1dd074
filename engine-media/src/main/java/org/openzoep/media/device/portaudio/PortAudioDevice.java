package org.openzoep.media.device.portaudio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioDeviceException;

/**
 * A PortAudio blocking stream of 48 kHz mono 16-bit PCM in 10 ms buffers ({@code framesPerBuffer}
 * 480), full or half duplex.
 *
 * <p>JACK: PortAudio's blocking emulation for JACK (v19.6 and v19.7, {@code pa_jack.c}
 * {@code BlockingBegin}, marked FIXME there) sizes its ring buffers for exactly two channels of
 * 32-bit float whatever the stream was opened with, so a mono int16 stream has it copy four times
 * the caller's buffer and corrupt memory. On the JACK host API this device therefore opens the
 * stream as stereo float32, writes the mono frame to both channels and captures the first
 * (left) channel, converting in Java (scale 32768, exact both ways for 16-bit values). The same
 * emulation starts with its output FIFO full of silence (at least three JACK periods, rounded up
 * to a power of two: 2048 frames at 480-frame periods), which would all be output latency; so on
 * JACK the first playback frames are dropped until three periods of FIFO space are free
 * ({@link #trimmedFrames()}). That takes two periods off the loop latency and still leaves more
 * than two periods queued when JACK pulls, so the loop may be a period late without an underrun. {@link #read} is {@code Pa_ReadStream} into a preallocated native
 * frame, {@link #write} is {@code Pa_WriteStream} from another; both block, which paces the loop.
 * PortAudio's {@code paInputOverflowed} and {@code paOutputUnderflowed} results are counted as
 * {@link #overflows()} and {@link #underflows()}, and the frame still goes through.
 *
 * <p>Thread: opened by the owner; started, read, written and stopped only on the audio thread.
 * {@link #close} may come from any thread at any time, also while the audio thread is inside
 * {@code Pa_ReadStream} or {@code Pa_WriteStream} (aborting a JACK stream under a blocked read
 * leaves that read waiting for ever; closing it frees memory the read still uses). So the stream
 * is closed only by the thread that drives it, or once that thread has left PortAudio: a
 * single-owner handshake on two volatile flags (the audio thread's "in PortAudio", the owner's
 * "close requested"; each sets its own, then reads the other's) and one compare-and-set for who
 * closes. The audio thread takes no lock and allocates nothing for it. A close that finds the
 * audio thread inside PortAudio returns at once; the audio thread closes the stream as it comes
 * out, and every later call on it returns -1 (read, write) or does nothing. The device holds its
 * own {@code Pa_Initialize}, released after the stream's close, so the library's owner may
 * terminate its reference in the meantime. No allocation and no JNA callback per period.
 */
public final class PortAudioDevice implements AudioDevice {

    private final String name;
    private final boolean capture;
    private final boolean playback;
    private final ByteBuffer nativeMemory;
    private final long base;
    private final ShortBuffer captureFrame;
    private final ShortBuffer playbackFrame;
    private final java.nio.FloatBuffer captureFloats;
    private final java.nio.FloatBuffer playbackFloats;
    private final boolean stereoFloat;
    private final long captureAddress;
    private final long playbackAddress;
    /** Written once, by whichever thread wins {@link #closing}; read only by a thread that owns the stream then. */
    private long stream;
    /** Set by the audio thread around every PortAudio call on the stream. */
    private volatile boolean inPortAudio;
    /** Set by {@link #close}. */
    private volatile boolean closeRequested;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile long overflows;
    private volatile long underflows;
    private volatile int lastError;
    private boolean trimming;
    private volatile long trimmed;
    private final double inputLatency;
    private final double outputLatency;
    private final double sampleRate;

    PortAudioDevice(PortAudio.DeviceInfo in, PortAudio.DeviceInfo out, double suggestedLatencyMillis, boolean stereoFloat) {
        this.stereoFloat = stereoFloat;
        this.capture = in != null;
        this.playback = out != null;
        this.name = in != null && out != null && in.index() == out.index() ? in.name()
                : (in == null ? "-" : in.name()) + "/" + (out == null ? "-" : out.name());
        // One native block: [stream pointer 8][in params 32][out params 32][capture frame][playback frame]
        int frameBytes = stereoFloat ? FRAME_SAMPLES * 2 * 4 : FRAME_SAMPLES * 2;
        nativeMemory = ByteBuffer.allocateDirect(8 + 32 + 32 + 2 * frameBytes).order(ByteOrder.nativeOrder());
        base = com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(nativeMemory));
        long inParams = in == null ? 0 : base + 8;
        long outParams = out == null ? 0 : base + 40;
        if (in != null) {
            params(8, in.index(), suggestedLatencyMillis > 0 ? suggestedLatencyMillis / 1000 : in.defaultLowInputLatency());
        }
        if (out != null) {
            params(40, out.index(), suggestedLatencyMillis > 0 ? suggestedLatencyMillis / 1000 : out.defaultLowOutputLatency());
        }
        ByteBuffer captureBytes = nativeMemory.duplicate().position(72).limit(72 + frameBytes).slice().order(ByteOrder.nativeOrder());
        ByteBuffer playbackBytes = nativeMemory.duplicate().position(72 + frameBytes).limit(72 + 2 * frameBytes).slice()
                .order(ByteOrder.nativeOrder());
        captureFrame = captureBytes.asShortBuffer();
        playbackFrame = playbackBytes.asShortBuffer();
        captureFloats = captureBytes.asFloatBuffer();
        playbackFloats = playbackBytes.asFloatBuffer();
        captureAddress = base + 72;
        playbackAddress = base + 72 + frameBytes;
        // the device's own reference to the library (PortAudio counts them), released by the close
        int init = PortAudioNative.Pa_Initialize();
        if (init != PortAudioNative.paNoError) {
            throw new AudioDeviceException("Pa_Initialize failed: " + PortAudioNative.error(init));
        }
        int rc = PortAudioNative.Pa_OpenStream(base, inParams, outParams, SAMPLE_RATE, FRAME_SAMPLES,
                PortAudioNative.paClipOff | PortAudioNative.paDitherOff, 0, 0);
        if (rc != PortAudioNative.paNoError) {
            PortAudioNative.Pa_Terminate();
            throw new AudioDeviceException(String.format(Locale.ROOT, "Pa_OpenStream(%s, 48000 Hz %s, 480 frames): %s",
                    name, stereoFloat ? "stereo float32" : "mono int16", PortAudioNative.error(rc)));
        }
        stream = nativeMemory.getLong(0);
        long info = PortAudioNative.Pa_GetStreamInfo(stream);
        com.sun.jna.Pointer p = new com.sun.jna.Pointer(info);
        // struct PaStreamInfo { int structVersion; double inputLatency; double outputLatency; double sampleRate; }
        inputLatency = info == 0 ? 0 : p.getDouble(8);
        outputLatency = info == 0 ? 0 : p.getDouble(16);
        sampleRate = info == 0 ? 0 : p.getDouble(24);
    }

    private void params(int offset, int device, double latencySeconds) {
        // struct PaStreamParameters { int device; int channelCount; unsigned long sampleFormat;
        //   double suggestedLatency; void *hostApiSpecificStreamInfo; }
        nativeMemory.putInt(offset, device);
        nativeMemory.putInt(offset + 4, stereoFloat ? 2 : 1);
        nativeMemory.putLong(offset + 8, stereoFloat ? PortAudioNative.paFloat32 : PortAudioNative.paInt16);
        nativeMemory.putDouble(offset + 16, latencySeconds);
        nativeMemory.putLong(offset + 24, 0);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean hasCapture() {
        return capture;
    }

    @Override
    public boolean hasPlayback() {
        return playback;
    }

    /**
     * Audio thread: claims the stream for one PortAudio call; false when a close was requested
     * (then the stream is closed here if nobody did yet, and must not be touched).
     */
    private boolean enter() {
        inPortAudio = true;
        if (closeRequested) {
            inPortAudio = false;
            closeStream();
            return false;
        }
        return true;
    }

    /** Audio thread: out of PortAudio; closes the stream if a close came meanwhile. */
    private void leave() {
        inPortAudio = false;
        if (closeRequested) {
            closeStream();
        }
    }

    @Override
    public void start() {
        trimming = stereoFloat && playback;
        if (!enter()) {
            throw new AudioDeviceException("Pa_StartStream(" + name + "): the device is closed");
        }
        int rc;
        try {
            rc = PortAudioNative.Pa_StartStream(stream);
        } finally {
            leave();
        }
        if (rc != PortAudioNative.paNoError) {
            throw new AudioDeviceException("Pa_StartStream(" + name + "): " + PortAudioNative.error(rc));
        }
    }

    @Override
    public int read(short[] frame, int offset) {
        if (!capture) {
            return 0;
        }
        if (!enter()) {
            return -1;
        }
        int rc = PortAudioNative.Pa_ReadStream(stream, captureAddress, FRAME_SAMPLES);
        leave();
        if (rc == PortAudioNative.paInputOverflowed) {
            overflows++;
        } else if (rc != PortAudioNative.paNoError) {
            lastError = rc;
            return -1;
        }
        if (stereoFloat) {
            for (int i = 0; i < FRAME_SAMPLES; i++) {
                float v = captureFloats.get(2 * i) * 32768f;
                frame[offset + i] = (short) (v >= 32767f ? 32767 : v <= -32768f ? -32768 : Math.round(v));
            }
        } else {
            captureFrame.get(0, frame, offset, FRAME_SAMPLES);
        }
        return FRAME_SAMPLES;
    }

    @Override
    public int write(short[] frame, int offset) {
        if (!playback) {
            return FRAME_SAMPLES;
        }
        if (trimming) {
            if (!enter()) {
                return -1;
            }
            long available = PortAudioNative.Pa_GetStreamWriteAvailable(stream);
            leave();
            if (available < 3L * FRAME_SAMPLES) {
                trimmed++;
                return FRAME_SAMPLES;
            }
            trimming = false;
        }
        if (stereoFloat) {
            for (int i = 0; i < FRAME_SAMPLES; i++) {
                float v = frame[offset + i] / 32768f;
                playbackFloats.put(2 * i, v);
                playbackFloats.put(2 * i + 1, v);
            }
        } else {
            playbackFrame.put(0, frame, offset, FRAME_SAMPLES);
        }
        if (!enter()) {
            return -1;
        }
        int rc = PortAudioNative.Pa_WriteStream(stream, playbackAddress, FRAME_SAMPLES);
        leave();
        if (rc == PortAudioNative.paOutputUnderflowed) {
            underflows++;
        } else if (rc != PortAudioNative.paNoError) {
            lastError = rc;
            return -1;
        }
        return FRAME_SAMPLES;
    }

    @Override
    public void stop() {
        if (enter()) {
            PortAudioNative.Pa_StopStream(stream);
            leave();
        }
    }

    @Override
    public long overflows() {
        return overflows;
    }

    @Override
    public long underflows() {
        return underflows;
    }

    /** Playback frames dropped at start to drain PortAudio's pre-filled JACK output FIFO (see the class comment). */
    public long trimmedFrames() {
        return trimmed;
    }

    /** The last PortAudio error a read or write returned, as text; null when none. */
    public String lastError() {
        int e = lastError;
        return e == 0 ? null : PortAudioNative.error(e);
    }

    /** Input latency PortAudio reports for the open stream, in milliseconds. */
    public double inputLatencyMillis() {
        return inputLatency * 1000;
    }

    /** Output latency PortAudio reports for the open stream, in milliseconds. */
    public double outputLatencyMillis() {
        return outputLatency * 1000;
    }

    /** The stream's actual sample rate. */
    public double sampleRate() {
        return sampleRate;
    }

    /**
     * Any thread: closes the stream (stopping it if the loop did not), now if the audio
     * thread is not inside PortAudio, else as soon as it comes out (see the class comment).
     * Idempotent; never waits for the audio thread.
     */
    @Override
    public void close() {
        closeRequested = true;
        if (!inPortAudio) {
            closeStream();
        }
    }

    /** The one close, by whichever thread gets here first once no PortAudio call is in progress. */
    private void closeStream() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        long s = stream;
        // stop, not abort: pa_jack's abort right after a blocking read returned crashed libjack's
        // process thread in the rig (SIGSEGV after some dozens of closes); stop (what the loop
        // does at its end) drains a period or two and ran a thousand closes clean
        PortAudioNative.Pa_StopStream(s);
        PortAudioNative.Pa_CloseStream(s);
        stream = 0;
        PortAudioNative.Pa_Terminate();
    }
}
