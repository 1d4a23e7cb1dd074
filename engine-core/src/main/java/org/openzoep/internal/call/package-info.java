/**
 * Calls as parts: a call is a conference plus legs; a leg is one signaller, one media path and
 * one state machine.
 *
 * <pre>
 *   Calls (API) / XmlApi
 *          │
 *   CallRegistry ── id → DefaultCall ── Conference (+ FrameClock attachment, the local audio)
 *                             └── Leg* ── LegState (enum transitions)
 *                                   ├── Signaller  (JingleSignaller; a SIP one later)
 *                                   └── MediaPath  (engine-media: ICE/UDP, DTLS/SDES/plain, codecs)
 * </pre>
 *
 * <ul>
 *   <li>{@link org.openzoep.internal.call.DefaultCall}: the application's {@link org.openzoep.Call};
 *       owns the {@code Conference}, puts it on the engine's {@code FrameClock} when media flows,
 *       keeps hold/mute and emits the events. Knows no signalling.</li>
 *   <li>{@link org.openzoep.internal.call.Leg}: runs RFC 3264 offer/answer ({@code OfferAnswer})
 *       between its {@link org.openzoep.internal.call.Signaller} and its {@code MediaPath}, and
 *       owns the ring, answer and setup timers; {@link org.openzoep.internal.call.LegState} is its
 *       transition table.</li>
 *   <li>{@link org.openzoep.internal.call.Signaller}: the protocol-neutral boundary a signalling
 *       implements (Jingle today: {@code internal.jingle}); {@link org.openzoep.internal.call.Signalling}
 *       makes outgoing ones.</li>
 *   <li>{@link org.openzoep.internal.call.CallResources}: what every call of an engine shares (the
 *       media paths' {@code MediaResources} with the bounded DTLS pool and the close executor,
 *       the one {@code FrameClock}).</li>
 * </ul>
 *
 * <p>Spec: RFC 3264 offer/answer over the session description model; the protocols are the
 * signallers'. Thread: every call's and leg's state is confined to its account's serial executor;
 * media path events hop onto it; the audio runs on the clock's threads. Buffers: none cross this
 * package (PCM frames belong to the clock's ports, packets to the media path).
 */
package org.openzoep.internal.call;
