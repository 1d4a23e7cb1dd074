/**
 * Streaming XML for XMPP: the non-blocking reader and the escaping writer.
 *
 * <p>Implements the XML subset of RFC 6120 §11 ("restricted XML"): no DTDs, comments, processing
 * instructions or entity references other than the five predefined ones; UTF-8 only. One
 * {@link org.openzoep.xmpp.xml.XmlStreamParser} per stream wraps an Aalto
 * {@code AsyncXMLStreamReader} that is fed straight from each {@code ByteBuf} (its backing array,
 * or its NIO view) and drained to {@code EVENT_INCOMPLETE} in the same call, so input is not copied
 * or kept.
 * Elements at depth 1 are built into immutable {@link org.openzoep.xmpp.xml.XmlElement} trees
 * directly from the parser events; {@link org.openzoep.xmpp.xml.XmlLimits} bounds their size.
 * A stream restart (after STARTTLS, after SASL) makes a new reader.
 *
 * <p>Threads: a parser and a writer belong to the thread that feeds them (the channel's event
 * loop, or the account's serial API executor); {@code XmlElement} is immutable and may be shared.
 *
 * <p>Buffers: {@link org.openzoep.xmpp.xml.XmlStreamParser#feed} borrows its input;
 * {@link org.openzoep.xmpp.xml.XmlWriter} writes into a buffer that its caller owns.
 */
package org.openzoep.xmpp.xml;
