package org.openzoep.media.device.wav;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioSink;

/**
 * Records 10 ms, 48 kHz mono frames into a 16-bit PCM WAV file. The RIFF and data lengths are
 * written on {@link #close}; a file left unclosed has them at 0, which readers (and
 * {@link WavSource}) treat as "to the end of the file".
 *
 * <p>Thread: one writer at a time; {@link #write} allocates nothing but does a file write per
 * frame. Returns -1 once an I/O error has occurred (then {@link #error} tells which).
 */
public final class WavSink implements AudioSink, AutoCloseable {

    private static final int HEADER = 44;

    private final FileChannel channel;
    private final ByteBuffer frameBytes;
    private long samples;
    private volatile IOException error;

    private WavSink(FileChannel channel) {
        this.channel = channel;
        this.frameBytes = ByteBuffer.allocateDirect(AudioDevice.FRAME_SAMPLES * 2).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Creates (or truncates) {@code file} and writes a 48 kHz mono header. */
    public static WavSink create(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        WavSink sink = new WavSink(ch);
        ch.write(header(0), 0);
        ch.position(HEADER);
        return sink;
    }

    private static ByteBuffer header(long dataBytes) {
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        int rate = AudioDevice.SAMPLE_RATE;
        h.putInt(0x46464952).putInt((int) (36 + dataBytes)).putInt(0x45564157);
        h.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16);
        h.putInt(0x61746164).putInt((int) dataBytes);
        return h.flip();
    }

    @Override
    public int write(short[] frame, int offset) {
        if (error != null) {
            return -1;
        }
        frameBytes.clear();
        for (int i = 0; i < AudioDevice.FRAME_SAMPLES; i++) {
            frameBytes.putShort(frame[offset + i]);
        }
        frameBytes.flip();
        try {
            while (frameBytes.hasRemaining()) {
                channel.write(frameBytes);
            }
        } catch (IOException e) {
            error = e;
            return -1;
        }
        samples += AudioDevice.FRAME_SAMPLES;
        return AudioDevice.FRAME_SAMPLES;
    }

    /** Samples written so far. */
    public long samples() {
        return samples;
    }

    /** The first write error, or null. */
    public IOException error() {
        return error;
    }

    /** Writes the final lengths and closes the file. */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.write(header(samples * 2), 0);
        } finally {
            channel.close();
        }
    }
}
