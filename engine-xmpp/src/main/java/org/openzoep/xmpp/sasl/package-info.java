/**
 * SASL client mechanisms (RFC 6120 §6, RFC 4422): SCRAM-SHA-512, SCRAM-SHA-256 and SCRAM-SHA-1
 * (RFC 5802, RFC 7677; SASLprep per RFC 4013), each also as {@code -PLUS} with channel binding
 * ({@code tls-exporter} RFC 9266, {@code tls-unique} and {@code tls-server-end-point} RFC 5929),
 * and PLAIN (RFC 4616), with a client-side preference order. The server's channel-binding types
 * come from XEP-0440; SCRAM's server-first-message is checked for a XEP-0474 downgrade-protection
 * hash ({@code h=}). A {@code -PLUS} mechanism wins whenever there is a common binding type; PLAIN
 * can be forbidden, channel binding required, and the SCRAM iteration count is capped
 * ({@link org.openzoep.xmpp.sasl.SaslMechanisms.Policy}).
 *
 * <p>Threads: a mechanism instance serves one authentication exchange on one thread at a time.
 * The key derivation (PBKDF2) is CPU work the session runs off the event loop in slices
 * ({@link org.openzoep.xmpp.sasl.SaslMechanism.Answer}), handed between compute tasks.
 *
 * <p>Buffers: none; challenges, responses and channel-binding data are byte arrays owned by the
 * caller.
 */
package org.openzoep.xmpp.sasl;
