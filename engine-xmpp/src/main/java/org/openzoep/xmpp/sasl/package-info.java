/**
 * SASL client mechanisms (RFC 6120 §6, RFC 4422): SCRAM-SHA-256 and SCRAM-SHA-1 (RFC 5802,
 * RFC 7677; no channel binding, so never a {@code -PLUS} variant; SASLprep per RFC 4013) and
 * PLAIN (RFC 4616), with a client-side preference order. PLAIN is chosen only on an encrypted
 * stream and never when the server offers a SCRAM mechanism we support.
 *
 * <p>Threads: a mechanism instance serves one authentication exchange on one thread. The key
 * derivation (PBKDF2) is CPU work the session runs off the event loop.
 *
 * <p>Buffers: none; challenges and responses are byte arrays owned by the caller.
 */
package org.openzoep.xmpp.sasl;
