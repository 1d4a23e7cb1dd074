package org.openzoep.media.clock;

import org.openzoep.media.session.Conference;

/**
 * One call's frame: the piece of code every pacing runs once per frame. {@link #frame} takes the
 * captured frame, runs the call's {@link Conference} (each member decodes its jitter buffer, the
 * mixer mixes N-1, each member encodes and queues its packet) and leaves what the local party hears
 * in {@link #playback}, which {@link #playout} hands out.
 *
 * <p>Thread: the audio thread that drives the call (a timer thread or a device loop), one at a time;
 * allocates nothing, takes no lock, never throws (a throwing conference is counted by the clock).
 * Buffers: the playback array is the port's; {@code captured} and {@code out} are borrowed.
 */
abstract class FramePort implements FrameClock.Attachment {
    final Conference conference;
    final short[] playback;
    private final FrameClock clock;
    private volatile long frames;

    FramePort(Conference conference, FrameClock clock) {
        this.conference = conference;
        this.clock = clock;
        this.playback = new short[conference.frameSamples()];
    }

    /** The frame: capture in, conference, playback out. */
    final void frame(short[] captured, int offset) {
        try {
            conference.process(captured, offset, playback, 0);
        } catch (RuntimeException e) {
            // a bug in a member must not end the audio thread of every call on it
            java.util.Arrays.fill(playback, (short) 0);
            clock.error();
        }
        frames++; // single writer: the one audio thread driving this call
    }

    /** Copies the last frame's playback into {@code out} at {@code offset}. */
    final void playout(short[] out, int offset) {
        System.arraycopy(playback, 0, out, offset, playback.length);
    }

    @Override
    public final long frames() {
        return frames;
    }

    final FrameClock clock() {
        return clock;
    }
}
