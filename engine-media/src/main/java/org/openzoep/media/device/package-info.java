/**
 * Audio devices as sources and sinks of 10 ms frames of 48 kHz mono 16-bit PCM (480 samples),
 * and the one dedicated audio thread that drives them ({@link org.openzoep.media.device.AudioLoop}).
 *
 * <p>Spec: none external; the frame format is the engine's (Opus runs at 48 kHz, RFC 7587).
 *
 * <p>Thread: a device's {@code start/read/write/stop} run only on its audio thread; it is opened
 * and closed by its owner while no loop runs it. {@link org.openzoep.media.device.FrameRing} is the
 * only crossing between the audio thread and the rest of the engine: one producer thread, one
 * consumer thread, no locks, no allocation.
 *
 * <p>Buffers: frame arrays passed to {@code read}/{@code write} are borrowed for the call and
 * owned by the caller (the loop preallocates two); devices own their native memory.
 */
package org.openzoep.media.device;
