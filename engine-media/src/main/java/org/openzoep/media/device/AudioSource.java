package org.openzoep.media.device;

/**
 * Something that yields 10 ms frames: a microphone, a file, a ring filled by the network side.
 *
 * <p>Thread: called on one thread only (the audio thread, or the one consumer of a ring).
 * Must not allocate, block on locks or throw; a device may block until the frame is due.
 */
@FunctionalInterface
public interface AudioSource {

    /**
     * Reads one frame of {@link AudioDevice#FRAME_SAMPLES} samples.
     *
     * @param frame destination, borrowed; written from {@code offset}
     * @return {@link AudioDevice#FRAME_SAMPLES}; 0 when no frame is available (an underrun for
     *     whoever needed it; the frame is then left untouched); negative on a device error
     */
    int read(short[] frame, int offset);
}
