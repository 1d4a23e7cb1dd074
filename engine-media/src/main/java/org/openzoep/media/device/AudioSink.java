package org.openzoep.media.device;

/**
 * Something that takes 10 ms frames: a loudspeaker, a file, a ring drained by the network side.
 *
 * <p>Thread: called on one thread only. Must not allocate, block on locks or throw; a device may
 * block until there is room.
 */
@FunctionalInterface
public interface AudioSink {

    /**
     * Writes one frame of {@link AudioDevice#FRAME_SAMPLES} samples.
     *
     * @param frame source, borrowed; read from {@code offset}
     * @return {@link AudioDevice#FRAME_SAMPLES}; 0 when the frame was dropped for lack of room (an
     *     overrun); negative on a device error
     */
    int write(short[] frame, int offset);
}
