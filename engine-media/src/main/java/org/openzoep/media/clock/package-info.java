/**
 * The one media clock: {@link org.openzoep.media.clock.FrameClock} runs every call's frame
 * (capture, {@code Conference.process}: decode, mix, encode; playout), paced by timer threads for
 * calls without a sound device (files, silence, the application's source and sink) or by the
 * device's own loop for calls on PortAudio.
 *
 * <p>Spec: none on the wire; frames are 48 kHz mono 16-bit, 20 ms per frame, 10 ms per device
 * period (the contract of {@code org.openzoep.media.device}).
 *
 * <p>Threads: the clock owns its timer threads (their number is a function of the cores, never of
 * the calls) and each device call's {@code AudioLoop} thread; they allocate nothing, take no lock
 * and never throw. Attach and detach come from API threads. Buffers: each attachment owns its
 * capture and playback arrays and lends them, per call, to the source, the conference and the sink.
 */
package org.openzoep.media.clock;
