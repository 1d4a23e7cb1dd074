package org.openzoep.media.device.portaudio;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.util.ArrayList;
import java.util.List;
import org.openzoep.media.device.AudioDeviceException;

/**
 * JNA direct mapping of the PortAudio v19 functions the engine uses. Pointers are {@code long}
 * addresses, C {@code unsigned long} is {@code long} (LP64). Loaded on first use from
 * {@code portaudio}, then {@code libportaudio.so.2}, or only from the name or path in the system
 * property {@code openzoep.portaudio.library} when set.
 */
final class PortAudioNative {

    static final int paNoError = 0;
    static final int paInputOverflowed = -9981;
    static final int paOutputUnderflowed = -9980;
    static final long paFloat32 = 0x00000001L;
    static final long paInt16 = 0x00000008L;
    static final int paJACK = 12;
    static final long paClipOff = 0x00000001L;
    static final long paDitherOff = 0x00000002L;

    private static final Throwable FAILURE;

    static {
        Throwable failure = null;
        try {
            load();
        } catch (Throwable t) {
            failure = t;
        }
        FAILURE = failure;
    }

    private PortAudioNative() {
    }

    private static void load() {
        if (Native.LONG_SIZE != 8) {
            throw new UnsupportedOperationException("the PortAudio binding maps C unsigned long as a 64-bit long (LP64 only)");
        }
        List<String> tried = new ArrayList<>();
        String forced = System.getProperty("openzoep.portaudio.library", "");
        for (String name : forced.isEmpty() ? List.of("portaudio", "libportaudio.so.2") : List.of(forced)) {
            try {
                Native.register(PortAudioNative.class, NativeLibrary.getInstance(name));
                return;
            } catch (UnsatisfiedLinkError e) {
                tried.add(name + ": " + e.getMessage());
            }
        }
        throw new UnsatisfiedLinkError(String.join("; ", tried));
    }

    /** Throws the typed, actionable failure when the library is absent. */
    static void check() {
        if (FAILURE != null) {
            throw new AudioDeviceException("PortAudio is not available: install the Debian package libportaudio2 "
                    + "(libportaudio.so.2); file and virtual devices still work. Cause: " + FAILURE.getMessage(), FAILURE);
        }
    }

    static native int Pa_Initialize();

    static native int Pa_Terminate();

    static native int Pa_GetVersion();

    static native String Pa_GetVersionText();

    static native String Pa_GetErrorText(int errorCode);

    static native int Pa_GetHostApiCount();

    /** {@code const PaHostApiInfo *}. */
    static native long Pa_GetHostApiInfo(int hostApi);

    static native int Pa_GetDeviceCount();

    static native int Pa_GetDefaultInputDevice();

    static native int Pa_GetDefaultOutputDevice();

    /** {@code const PaDeviceInfo *}. */
    static native long Pa_GetDeviceInfo(int device);

    static native int Pa_IsFormatSupported(long inputParameters, long outputParameters, double sampleRate);

    /** {@code Pa_OpenStream(PaStream **, const PaStreamParameters *in, *out, double, unsigned long, PaStreamFlags, PaStreamCallback *, void *)}. */
    static native int Pa_OpenStream(long streamOut, long inputParameters, long outputParameters, double sampleRate,
            long framesPerBuffer, long streamFlags, long callback, long userData);

    static native int Pa_StartStream(long stream);

    static native int Pa_StopStream(long stream);

    static native int Pa_AbortStream(long stream);

    static native int Pa_CloseStream(long stream);

    static native int Pa_ReadStream(long stream, long buffer, long frames);

    static native int Pa_WriteStream(long stream, long buffer, long frames);

    static native long Pa_GetStreamReadAvailable(long stream);

    static native long Pa_GetStreamWriteAvailable(long stream);

    /** {@code const PaStreamInfo *}. */
    static native long Pa_GetStreamInfo(long stream);

    static String error(int code) {
        return Pa_GetErrorText(code) + " (" + code + ")";
    }
}
