package org.openzoep.media.codec.opus;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hand-written JNA direct mapping of the libopus functions the engine needs.
 *
 * <p>Pointers are passed as {@code long} addresses (the codecs keep their PCM and payload
 * memory in direct buffers whose address they take once), so a call marshals nothing and
 * allocates nothing on the Java heap. {@code opus_encoder_ctl} and {@code opus_decoder_ctl} are
 * C variadic functions; they are bound here with fixed arity (one {@code int} or one pointer
 * after the request). On x86-64 System V and on Windows x64 a variadic callee reads integer and
 * pointer arguments from the same registers as a fixed-arity one, so this is exact there; it is
 * not valid on Apple arm64, where variadic arguments go on the stack. {@link #load} therefore
 * refuses Apple arm64 rather than corrupting codec state.
 *
 * <p>The binding is process-wide by nature (a class's native methods are registered once); what
 * was loaded is immutable and reported by {@link #info()}.
 *
 * <p>Library choice, in order: the system property {@code openzoep.opus.library} ({@code system},
 * {@code bundled} or a file path); otherwise the system libopus ({@code opus}, then
 * {@code libopus.so.0}); otherwise the copy in opus-java's natives jar
 * ({@code /natives/<platform>/libopus.<ext>}), extracted to a temporary file.
 */
public final class OpusNative {

    private static final Logger LOG = LoggerFactory.getLogger(OpusNative.class);

    public static final int OPUS_OK = 0;
    public static final int OPUS_BAD_ARG = -1;
    public static final int OPUS_BUFFER_TOO_SMALL = -2;
    public static final int OPUS_INTERNAL_ERROR = -3;
    public static final int OPUS_INVALID_PACKET = -4;
    public static final int OPUS_INVALID_STATE = -6;

    public static final int OPUS_APPLICATION_VOIP = 2048;
    public static final int OPUS_APPLICATION_AUDIO = 2049;
    public static final int OPUS_SIGNAL_VOICE = 3001;

    public static final int OPUS_SET_BITRATE_REQUEST = 4002;
    public static final int OPUS_GET_BITRATE_REQUEST = 4003;
    public static final int OPUS_SET_VBR_REQUEST = 4006;
    public static final int OPUS_SET_COMPLEXITY_REQUEST = 4010;
    public static final int OPUS_GET_COMPLEXITY_REQUEST = 4011;
    public static final int OPUS_SET_INBAND_FEC_REQUEST = 4012;
    public static final int OPUS_GET_INBAND_FEC_REQUEST = 4013;
    public static final int OPUS_SET_PACKET_LOSS_PERC_REQUEST = 4014;
    public static final int OPUS_GET_PACKET_LOSS_PERC_REQUEST = 4015;
    public static final int OPUS_SET_DTX_REQUEST = 4016;
    public static final int OPUS_GET_DTX_REQUEST = 4017;
    public static final int OPUS_SET_SIGNAL_REQUEST = 4024;
    public static final int OPUS_GET_LOOKAHEAD_REQUEST = 4027;
    public static final int OPUS_GET_LAST_PACKET_DURATION_REQUEST = 4039;
    public static final int OPUS_RESET_STATE = 4028;

    private static final String PROPERTY = "openzoep.opus.library";
    private static final OpusLibraryInfo INFO;
    private static final Throwable FAILURE;

    static {
        OpusLibraryInfo info = null;
        Throwable failure = null;
        try {
            info = load();
        } catch (Throwable t) {
            failure = t;
        }
        INFO = info;
        FAILURE = failure;
    }

    private OpusNative() {
    }

    /**
     * The libopus in use; loads it on first use.
     *
     * @throws IllegalStateException naming what was tried when no libopus could be loaded
     */
    public static OpusLibraryInfo info() {
        if (INFO == null) {
            throw new IllegalStateException("libopus could not be loaded (install Debian package libopus0, "
                    + "or keep opus-java-natives on the class path): " + FAILURE.getMessage(), FAILURE);
        }
        return INFO;
    }

    private static OpusLibraryInfo load() throws IOException {
        if (Platform.isMac() && Platform.isARM()) {
            throw new UnsupportedOperationException("fixed-arity binding of variadic opus_*_ctl is not valid on Apple arm64");
        }
        String choice = System.getProperty(PROPERTY, "");
        List<String> tried = new ArrayList<>();
        if (!choice.equals("bundled")) {
            List<String> names = choice.isEmpty() || choice.equals("system")
                    ? List.of("opus", "libopus.so.0")
                    : List.of(choice);
            for (String name : names) {
                try {
                    NativeLibrary lib = NativeLibrary.getInstance(name);
                    Native.register(OpusNative.class, lib);
                    return loaded(lib, false);
                } catch (UnsatisfiedLinkError e) {
                    tried.add(name + ": " + e.getMessage());
                }
            }
            if (!choice.isEmpty()) {
                throw new IOException("libopus not found as " + choice + ": " + tried);
            }
        }
        File bundled = extractBundled(tried);
        NativeLibrary lib = NativeLibrary.getInstance(bundled.getAbsolutePath());
        Native.register(OpusNative.class, lib);
        return loaded(lib, true);
    }

    private static OpusLibraryInfo loaded(NativeLibrary lib, boolean bundled) {
        OpusLibraryInfo info = new OpusLibraryInfo(opus_get_version_string(), lib.getFile() == null
                ? lib.getName() : lib.getFile().getAbsolutePath(), bundled);
        LOG.info("Opus: {} from {}{}", info.version(), info.path(), bundled ? " (bundled with opus-java)" : "");
        return info;
    }

    private static File extractBundled(List<String> tried) throws IOException {
        String ext = Platform.isWindows() ? "dll" : Platform.isMac() ? "dylib" : "so";
        String[] dirs = Platform.isMac()
                ? new String[] {Platform.RESOURCE_PREFIX, "darwin"}
                : new String[] {Platform.RESOURCE_PREFIX};
        for (String dir : dirs) {
            String resource = "/natives/" + dir + "/libopus." + ext;
            if (OpusNative.class.getResource(resource) != null) {
                File file = Native.extractFromResourcePath(resource, OpusNative.class.getClassLoader());
                file.deleteOnExit();
                return file;
            }
            tried.add("resource " + resource + ": absent");
        }
        throw new IOException("no system libopus and no bundled one for " + Platform.RESOURCE_PREFIX + ": " + tried);
    }

    // ---- encoder -------------------------------------------------------------------------------

    /** {@code OpusEncoder *opus_encoder_create(opus_int32 Fs, int channels, int application, int *error)}. */
    static native long opus_encoder_create(int fs, int channels, int application, int[] error);

    /** {@code opus_int32 opus_encode(OpusEncoder *st, const opus_int16 *pcm, int frame_size, unsigned char *data, opus_int32 max_data_bytes)}. */
    static native int opus_encode(long st, long pcm, int frameSize, long data, int maxDataBytes);

    /** {@code int opus_encoder_ctl(OpusEncoder *st, int request, opus_int32 value)} (a SET request). */
    static native int opus_encoder_ctl(long st, int request, int value);

    /** {@code int opus_encoder_ctl(OpusEncoder *st, int request, opus_int32 *value)} (a GET request). */
    static native int opus_encoder_ctl(long st, int request, long valuePointer);

    static native void opus_encoder_destroy(long st);

    // ---- decoder -------------------------------------------------------------------------------

    /** {@code OpusDecoder *opus_decoder_create(opus_int32 Fs, int channels, int *error)}. */
    static native long opus_decoder_create(int fs, int channels, int[] error);

    /** {@code int opus_decode(OpusDecoder *st, const unsigned char *data, opus_int32 len, opus_int16 *pcm, int frame_size, int decode_fec)}; {@code data == 0} conceals. */
    static native int opus_decode(long st, long data, int len, long pcm, int frameSize, int decodeFec);

    /** {@code int opus_decoder_ctl(OpusDecoder *st, int request, opus_int32 *value)} (a GET request). */
    static native int opus_decoder_ctl(long st, int request, long valuePointer);

    /** {@code int opus_decoder_ctl(OpusDecoder *st, int request)} (OPUS_RESET_STATE). */
    static native int opus_decoder_ctl(long st, int request);

    static native void opus_decoder_destroy(long st);

    /** {@code int opus_decoder_get_nb_samples(const OpusDecoder *dec, const unsigned char packet[], opus_int32 len)}. */
    static native int opus_decoder_get_nb_samples(long st, long packet, int len);

    // ---- misc ----------------------------------------------------------------------------------

    static native String opus_get_version_string();

    static native String opus_strerror(int error);

    /** Address of a direct buffer's first byte, taken once at setup and passed to libopus as a pointer. */
    static long address(java.nio.ByteBuffer direct) {
        return com.sun.jna.Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    /** Human-readable libopus error for a negative return value. */
    public static String errorString(int error) {
        info();
        return opus_strerror(error);
    }
}
