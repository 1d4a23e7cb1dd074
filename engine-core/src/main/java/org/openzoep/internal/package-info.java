/**
 * The engine's implementation: the XML stream API ({@link org.openzoep.internal.XmlApi}, the
 * configuration schema), and calls: {@link org.openzoep.internal.CallManager} routes an account's
 * XEP-0353 messages and XEP-0166 iqs to one {@link org.openzoep.internal.CallSession} per call,
 * which runs the signalling state machine and owns the call's ICE agent, DTLS-SRTP transport,
 * media session and conference; {@link org.openzoep.internal.AudioClock} runs the conferences of
 * calls without a device; {@link org.openzoep.internal.CallResources} holds what every call of an
 * engine shares.
 *
 * <p>Threads: all signalling state is confined to the account's serial executor; ICE, DTLS and
 * timer callbacks hop onto it. Media packets stay on the event loop that owns the call's socket;
 * PCM stays on the audio thread. Buffers: none cross this package; stanzas are immutable.
 */
package org.openzoep.internal;
