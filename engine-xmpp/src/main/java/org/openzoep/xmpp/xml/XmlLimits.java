package org.openzoep.xmpp.xml;

/**
 * Bounds on what one stream may make the parser hold. Exceeding any of them ends the stream with
 * {@code <policy-violation/>} (RFC 6120 §4.9.3.14) before memory grows with the input; the
 * violation's detail names the limit.
 *
 * @param maxStanzaBytes   bytes of one top-level element together with everything between it and
 *                         the previous one (whitespace, and whatever else the peer sends there), and
 *                         of the stream header; default 256 KiB; enforced to within 16 KiB (the
 *                         largest piece handed to the XML reader)
 * @param maxDepth         element nesting below the stream element, default 32
 * @param maxAttributes    attributes on one start tag, namespace declarations included, default 64;
 *                         counted on the bytes, before the XML reader sees the tag
 * @param maxTextLength    characters of text in one element, default 128 Ki
 * @param maxStartTagBytes bytes of one start tag ({@code <} to {@code >}), default 32 KiB; exact
 * @param maxNames         distinct element names, attribute names and namespace prefixes a stream
 *                         may add to the parser's shared name table, default 2,048 (an XMPP session
 *                         uses a few hundred); counted afresh when the shared table is renewed
 */
public record XmlLimits(int maxStanzaBytes, int maxDepth, int maxAttributes, int maxTextLength,
                        int maxStartTagBytes, int maxNames) {

    /** Default of {@link #maxStartTagBytes()}. */
    public static final int DEFAULT_MAX_START_TAG_BYTES = 32 * 1024;
    /** Default of {@link #maxNames()}. */
    public static final int DEFAULT_MAX_NAMES = 2048;

    public static final XmlLimits DEFAULT = new XmlLimits(256 * 1024, 32, 64, 128 * 1024);

    public XmlLimits {
        if (maxStanzaBytes < 1024 || maxDepth < 2 || maxAttributes < 4 || maxTextLength < 1
                || maxStartTagBytes < 256 || maxNames < 64) {
            throw new IllegalArgumentException("XML limits too small: " + maxStanzaBytes + " bytes, depth "
                    + maxDepth + ", " + maxAttributes + " attributes, text " + maxTextLength + ", start tag "
                    + maxStartTagBytes + " bytes, " + maxNames + " names");
        }
    }

    /** The first four limits, with the defaults for the start tag size and the names. */
    public XmlLimits(int maxStanzaBytes, int maxDepth, int maxAttributes, int maxTextLength) {
        this(maxStanzaBytes, maxDepth, maxAttributes, maxTextLength, DEFAULT_MAX_START_TAG_BYTES, DEFAULT_MAX_NAMES);
    }
}
