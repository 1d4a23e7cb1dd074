/**
 * OpenZoep's embedding API: {@link org.openzoep.ZoepEngine}, its accounts and their calls.
 *
 * <p>An application builds one engine, registers accounts ({@code api_register_account}) and
 * drives each either with the OpenZoep XML stream (the article's vocabulary, documented in
 * {@code docs/api.md}) or with the typed Java API. Both reach the same session underneath.
 *
 * <p>Calls ({@link org.openzoep.Call}): XEP-0353 Jingle Message Initiation rings the callee's
 * devices; a XEP-0166/0167 Jingle RTP session with XEP-0176 ICE-UDP and XEP-0320 DTLS-SRTP carries
 * the audio; XEP-0115 caps and XEP-0030 disco advertise it; XEP-0215 finds STUN servers. Every
 * call is a conference inside: one mixer per call, the local party and its legs.
 *
 * <p>Threads: the engine owns one Netty event-loop group (threads = cores) shared by every
 * account and every call's sockets and timers, one API executor (threads = cores) on which each
 * account's work and callbacks run serially, the media clock's audio threads (threads = cores)
 * that run the calls without a sound device of their own, one audio thread per open sound device, DTLS
 * handshake threads only while handshakes run (at most {@code dtlsThreads}; a call beyond that
 * ends as {@code overloaded}), and close threads (at most cores) only while ended calls close their
 * codecs, devices and recordings. No thread is created per account or call.
 * Nothing in this API blocks.
 *
 * <p>The types here are interfaces ({@link org.openzoep.ZoepEngine}, {@link org.openzoep.Account},
 * {@link org.openzoep.Calls}, {@link org.openzoep.Call}, {@link org.openzoep.AccountListener}) and
 * immutable values; failures are the sealed {@link org.openzoep.ZoepException} hierarchy. The
 * engine is found through the {@link org.openzoep.EngineProvider} service. Everything below
 * {@code org.openzoep.internal} is implementation, and this package imports nothing from it.
 */
package org.openzoep;
