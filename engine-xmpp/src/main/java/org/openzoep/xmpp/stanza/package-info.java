/**
 * Stanzas (RFC 6120 §8, RFC 6121): JIDs, message, presence and iq, stanza and stream errors.
 *
 * <p>Every stanza is an immutable view over an {@link org.openzoep.xmpp.xml.XmlElement}, built
 * with a builder; extensions are keyed by qualified name and unknown extensions are kept. Stream
 * errors (RFC 6120 §4.9) and stanza errors (§8.3) are typed values, not exceptions.
 *
 * <p>Threads: immutable, shared freely. Buffers: none cross this package.
 */
package org.openzoep.xmpp.stanza;
