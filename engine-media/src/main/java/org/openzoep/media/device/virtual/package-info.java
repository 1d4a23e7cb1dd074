/**
 * A virtual audio device paced by a {@link org.openzoep.media.device.virtual.Clock}: the system
 * clock for real-time headless use, or a {@link org.openzoep.media.device.virtual.ManualClock}
 * that tests advance by hand. Capture comes from any source (a WAV file, a generator, silence),
 * playback goes to any sink.
 *
 * <p>Spec: none external.
 *
 * <p>Thread: the device runs on its audio thread like any device; a {@code ManualClock} is
 * advanced by the test thread.
 *
 * <p>Buffers: frames are borrowed per call, as everywhere in {@code device}.
 */
package org.openzoep.media.device.virtual;
