/**
 * STUN messages (RFC 8489, the successor of RFC 5389) as used by ICE (RFC 8445) and consent
 * freshness (RFC 7675): a view that parses a message in place over {@code (buffer, offset, length)}
 * and a writer that appends one to a buffer. Covered: the 20-byte header (class, method, magic
 * cookie, transaction id), MAPPED-ADDRESS, XOR-MAPPED-ADDRESS (IPv4 and IPv6), USERNAME, SOFTWARE,
 * ERROR-CODE, the ICE attributes PRIORITY, USE-CANDIDATE, ICE-CONTROLLED and ICE-CONTROLLING
 * (RFC 8445 section 16.1), MESSAGE-INTEGRITY (HMAC-SHA1 with a short-term credential, RFC 8489
 * section 14.5) and FINGERPRINT (CRC-32 XOR 0x5354554e, section 14.7). Long-term credentials,
 * MESSAGE-INTEGRITY-SHA256 and TURN are not implemented; the view still verifies a
 * MESSAGE-INTEGRITY made with any key it is given (RFC 5769 section 2.4 is tested that way).
 *
 * <p>Thread: views and writers are plain objects confined to the thread that made them (the ICE
 * agent's event loop). Malformed input never throws: {@link org.openzoep.media.stun.StunMessage#parse}
 * returns null and attribute getters return null or -1.
 *
 * <p>Buffers: a view borrows the buffer it was parsed from (valid while the caller holds it) and
 * never moves its indices or releases it; the writer borrows the output buffer and appends at its
 * writer index.
 */
package org.openzoep.media.stun;
