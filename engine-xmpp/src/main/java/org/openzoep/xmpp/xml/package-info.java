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
 * <p>Limits: each ends the stream with a stream error (through
 * {@link org.openzoep.xmpp.xml.XmlStreamParser.Handler#failed}, whose detail names the limit)
 * before memory grows with the input. Per stream, in {@link org.openzoep.xmpp.xml.XmlLimits}:
 * <table>
 *   <caption>Parser limits</caption>
 *   <tr><th>limit</th><th>default</th><th>when exceeded</th></tr>
 *   <tr><td>{@code maxStanzaBytes}: a top-level element with the bytes between it and the previous
 *       one (whitespace included), or the stream header</td><td>256 KiB (to within 16 KiB)</td>
 *       <td>{@code policy-violation}</td></tr>
 *   <tr><td>{@code maxStartTagBytes}: one start tag</td><td>32 KiB</td><td>{@code policy-violation}
 *       at the byte that passes it</td></tr>
 *   <tr><td>{@code maxAttributes}: attributes of one start tag, namespace declarations included</td>
 *       <td>64</td><td>{@code policy-violation} at the next {@code =}, before the XML reader sees
 *       the tag</td></tr>
 *   <tr><td>{@code maxDepth}: nesting below the stream element</td><td>32</td>
 *       <td>{@code policy-violation}</td></tr>
 *   <tr><td>{@code maxTextLength}: characters of text in one element</td><td>128 Ki</td>
 *       <td>{@code policy-violation}</td></tr>
 *   <tr><td>{@code maxNames}: new element/attribute names and prefixes a stream adds to the shared
 *       name table</td><td>2,048</td><td>{@code policy-violation}</td></tr>
 * </table>
 * Comments, processing instructions (other than the XML declaration) and DTDs are refused as
 * {@code restricted-xml} at their first bytes, wherever they stand. In all: the name table that
 * all parsers share is replaced by an empty one once it holds more than 8,192 names
 * ({@code SharedNames}).
 *
 * <p>Threads: a parser and a writer belong to the thread that feeds them (the channel's event
 * loop, or the account's serial API executor); {@code XmlElement} is immutable and may be shared.
 *
 * <p>Buffers: {@link org.openzoep.xmpp.xml.XmlStreamParser#feed} borrows its input;
 * {@link org.openzoep.xmpp.xml.XmlWriter} writes into a buffer that its caller owns.
 */
package org.openzoep.xmpp.xml;
