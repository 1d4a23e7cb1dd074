package org.openzoep.media.clock;

import java.util.Arrays;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioSink;
import org.openzoep.media.device.AudioSource;
import org.openzoep.media.session.Conference;

/**
 * A timer-paced call: each frame reads the source in 10 ms pieces (silence where it has none),
 * runs {@link FramePort#frame}, and writes the playback to the sink in 10 ms pieces.
 *
 * <p>Thread: {@link #runTimed} on the timer thread the call is attached to; {@link #close} from
 * any other thread. Buffers: the capture and playback arrays are the port's, lent to the source,
 * the conference and the sink for each call.
 */
final class TimedPort extends FramePort {
    private final AudioSource source;
    private final AudioSink sink;
    private final short[] capture;
    private volatile boolean closed;

    TimedPort(FrameClock clock, Conference conference, AudioSource source, AudioSink sink) {
        super(conference, clock);
        this.source = source;
        this.sink = sink;
        this.capture = new short[conference.frameSamples()];
    }

    void runTimed() {
        int n = capture.length;
        try {
            for (int off = 0; off < n; off += AudioDevice.FRAME_SAMPLES) {
                if (source == null || source.read(capture, off) != AudioDevice.FRAME_SAMPLES) {
                    Arrays.fill(capture, off, off + AudioDevice.FRAME_SAMPLES, (short) 0);
                }
            }
        } catch (RuntimeException e) {
            Arrays.fill(capture, (short) 0);
            clock().error();
        }
        frame(capture, 0);
        if (sink != null) {
            try {
                for (int off = 0; off < n; off += AudioDevice.FRAME_SAMPLES) {
                    sink.write(playback, off);
                }
            } catch (RuntimeException e) {
                clock().error();
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            clock().detach(this);
        }
    }
}
