package org.openzoep.xmpp.xml;

/**
 * Bounds on what one stream may make the parser hold. Exceeding any of them ends the stream with
 * {@code <policy-violation/>} (RFC 6120 §4.9.3.14) before memory grows with the input.
 *
 * @param maxStanzaBytes  bytes of one top-level element (and of the stream header), default 256 KiB;
 *                        enforced to within 16 KiB (the largest piece handed to the XML reader)
 * @param maxDepth        element nesting below the stream element, default 32
 * @param maxAttributes   attributes on one element, default 64
 * @param maxTextLength   characters of text in one element, default 128 Ki
 */
public record XmlLimits(int maxStanzaBytes, int maxDepth, int maxAttributes, int maxTextLength) {

    public static final XmlLimits DEFAULT = new XmlLimits(256 * 1024, 32, 64, 128 * 1024);

    public XmlLimits {
        if (maxStanzaBytes < 1024 || maxDepth < 2 || maxAttributes < 4 || maxTextLength < 1) {
            throw new IllegalArgumentException("XML limits too small: " + maxStanzaBytes + " bytes, depth "
                    + maxDepth + ", " + maxAttributes + " attributes, text " + maxTextLength);
        }
    }
}
