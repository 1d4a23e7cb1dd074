package org.openzoep.media.device.wav;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openzoep.media.codec.Resampler;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioSource;

/**
 * Plays a WAV file as 10 ms, 48 kHz mono frames: 16-bit PCM at any rate and channel count, read
 * whole into memory when opened, mixed down to mono and resampled to 48 kHz. At the end it either
 * loops or returns 0 (no frame) from then on; the last partial frame is padded with silence.
 *
 * <p>Thread: one reader at a time; {@link #read} allocates nothing.
 */
public final class WavSource implements AudioSource {

    private final short[] pcm;
    private final boolean loop;
    private final int sourceRate;
    private final int sourceChannels;
    private int position;

    private WavSource(short[] pcm, boolean loop, int sourceRate, int sourceChannels) {
        this.pcm = pcm;
        this.loop = loop;
        this.sourceRate = sourceRate;
        this.sourceChannels = sourceChannels;
    }

    /** Opens and loads {@code file}; throws IOException naming what is wrong with it. */
    public static WavSource open(Path file, boolean loop) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException(file + ": not a RIFF WAVE file");
        }
        int pos = 12;
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int dataOffset = -1;
        int dataLength = 0;
        while (pos + 8 <= bytes.length) {
            int id = b.getInt(pos);
            long size = b.getInt(pos + 4) & 0xffffffffL;
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                if (size < 16 || body + 16 > bytes.length) {
                    throw new IOException(file + ": truncated fmt chunk");
                }
                format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2) & 0xffff;
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14) & 0xffff;
                if (format == 0xfffe && size >= 40) {
                    format = b.getShort(body + 24) & 0xffff; // SubFormat GUID starts with the format tag
                }
            } else if (id == 0x61746164) { // "data"
                dataOffset = body;
                // Streams written without knowing their length carry 0 or 0xffffffff: take the rest.
                dataLength = (int) Math.min(size == 0 || size == 0xffffffffL ? Long.MAX_VALUE : size, bytes.length - body);
                break;
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
        }
        if (format != 1 || bits != 16) {
            throw new IOException(file + ": only 16-bit PCM WAV is supported (format " + format + ", " + bits + " bits)");
        }
        if (channels < 1 || rate < 1000 || dataOffset < 0) {
            throw new IOException(file + ": missing or bad fmt/data chunk");
        }
        int frames = dataLength / (2 * channels);
        short[] mono = new short[frames];
        for (int i = 0; i < frames; i++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += b.getShort(dataOffset + (i * channels + c) * 2);
            }
            mono[i] = (short) (sum / channels);
        }
        short[] at48k = rate == AudioDevice.SAMPLE_RATE ? mono : Resampler.resampleAll(mono, rate, AudioDevice.SAMPLE_RATE);
        return new WavSource(at48k, loop, rate, channels);
    }

    @Override
    public int read(short[] frame, int offset) {
        int n = AudioDevice.FRAME_SAMPLES;
        if (pcm.length == 0 || (!loop && position >= pcm.length)) {
            return 0;
        }
        int copied = 0;
        while (copied < n) {
            int chunk = Math.min(n - copied, pcm.length - position);
            if (chunk <= 0) {
                if (!loop) {
                    java.util.Arrays.fill(frame, offset + copied, offset + n, (short) 0);
                    break;
                }
                position = 0;
                continue;
            }
            System.arraycopy(pcm, position, frame, offset + copied, chunk);
            position += chunk;
            copied += chunk;
        }
        return n;
    }

    /** True when a non-looping source has delivered its last frame. */
    public boolean finished() {
        return !loop && position >= pcm.length;
    }

    /** The file's audio as 48 kHz mono (the array itself: do not modify). */
    public short[] samples() {
        return pcm;
    }

    public int sourceRate() {
        return sourceRate;
    }

    public int sourceChannels() {
        return sourceChannels;
    }
}
