/**
 * Calls: {@link org.openzoep.internal.call.CallRegistry} routes an account's XEP-0353 messages and
 * XEP-0166 iqs to one call each, makes incoming calls and answers Jingle requests for unknown
 * sessions; {@link org.openzoep.internal.call.CallResources} holds what every call of an engine
 * shares (event loops, DTLS certificate and handshake pool, the media clock).
 *
 * <p>Thread: all signalling state is confined to the account's serial executor; ICE, DTLS and
 * timer callbacks hop onto it. Media packets stay on the event loop that owns the call's socket;
 * PCM stays on the audio thread. Buffers: none cross this package; stanzas are immutable.
 */
package org.openzoep.internal.call;
