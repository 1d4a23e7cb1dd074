package org.openzoep.xmpp.xml;

import java.nio.ByteBuffer;

/**
 * A byte-level look at the markup of a stream, run over each input before the Aalto reader sees
 * it, for what the reader would only report after buffering it whole:
 * <ul>
 *   <li>a start tag with more than {@link XmlLimits#maxAttributes()} attributes (namespace
 *       declarations included: every {@code =} outside a quoted value) or longer than
 *       {@link XmlLimits#maxStartTagBytes()}: Aalto collects a whole start tag before it reports
 *       one (100,000 attributes cost it seconds and gigabytes), so the count is kept here;</li>
 *   <li>a comment, a processing instruction other than the XML declaration, or a document type
 *       declaration (RFC 6120 §11.1, restricted XML): refused at {@code <!-}, {@code <?} or
 *       {@code <!D}, before their content is buffered, wherever they stand.</li>
 * </ul>
 * It tracks only where markup starts and ends: content, start and end tags, quoted attribute
 * values, CDATA sections and the XML declaration. Anything malformed is left to Aalto.
 *
 * <p>Thread: confined to its parser's feeding thread. Input is borrowed for the call.
 */
final class MarkupGuard {

    private static final int CONTENT = 0;
    private static final int LT = 1;
    private static final int BANG = 2;
    private static final int START_TAG = 3;
    private static final int VALUE = 4;
    private static final int END_TAG = 5;
    private static final int DECLARATION = 6;
    private static final int CDATA = 7;

    private final int maxAttributes;
    private final int maxTagBytes;
    private int state = CONTENT;
    /** Whether any markup came yet: only the first may be a {@code <?} (the XML declaration). */
    private boolean markupSeen;
    private int tagBytes;
    private int attributes;
    /** The quote that closes the current attribute value. */
    private byte quote;
    /** Recent {@code ?} (declaration) or {@code ]} (CDATA) bytes before a possible {@code >}. */
    private int closers;
    private String detail;
    private XmlViolation violation;

    MarkupGuard(XmlLimits limits) {
        this.maxAttributes = limits.maxAttributes();
        this.maxTagBytes = limits.maxStartTagBytes();
    }

    /** A new document starts (a stream restart). */
    void reset() {
        state = CONTENT;
        markupSeen = false;
        detail = null;
        violation = null;
    }

    /** The violation found by the last {@code scan} that stopped. */
    XmlViolation violation() {
        return violation;
    }

    /** What was wrong, naming the limit. */
    String detail() {
        return detail;
    }

    /**
     * Looks at {@code a[off, off+len)}.
     *
     * @return -1, or the index in {@code a} of the byte that broke a rule (see {@link #violation()})
     */
    int scan(byte[] a, int off, int len) {
        // Content, tags and values are walked in tight loops over locals (this pass sees every byte
        // of the stream); only the bytes after '<' (which kind of markup) go through step().
        int st = state;
        int tag = tagBytes;
        int attrs = attributes;
        int i = off;
        int end = off + len;
        while (i < end) {
            if (st == CONTENT) {
                while (i < end && a[i] != '<') {
                    i++;
                }
                if (i == end) {
                    break;
                }
            } else if (st == START_TAG || st == VALUE) {
                int from = i;
                byte q = quote;
                while (i < end) {
                    if (st == VALUE) {
                        while (i < end && a[i] != q) {
                            i++;
                        }
                        if (i == end) {
                            break;
                        }
                        i++;
                        st = START_TAG;
                        continue;
                    }
                    byte b = a[i++];
                    if (b == '\'' || b == '"') {
                        q = b;
                        st = VALUE;
                    } else if (b == '=') {
                        if (++attrs > maxAttributes) {
                            refuse(XmlViolation.POLICY_VIOLATION,
                                    "more than " + maxAttributes + " attributes on one element (maxAttributes)");
                            return i - 1;
                        }
                    } else if (b == '>') {
                        st = CONTENT;
                        break;
                    }
                }
                quote = q;
                tag += i - from;
                if (tag > maxTagBytes) {
                    tooLong();
                    return i - (tag - maxTagBytes);
                }
                continue;
            } else if (st == END_TAG) {
                while (i < end && a[i] != '>') {
                    i++;
                }
                if (i == end) {
                    break;
                }
            }
            state = st;
            tagBytes = tag;
            attributes = attrs;
            if (!step(a[i])) {
                return i;
            }
            st = state;
            tag = tagBytes;
            attrs = attributes;
            i++;
        }
        state = st;
        tagBytes = tag;
        attributes = attrs;
        return -1;
    }

    /**
     * Looks at the remaining bytes of {@code in}, without moving its position.
     *
     * @return -1, or the index in {@code in} of the byte that broke a rule
     */
    int scan(ByteBuffer in) {
        if (in.hasArray()) {
            int bad = scan(in.array(), in.arrayOffset() + in.position(), in.remaining());
            return bad < 0 ? -1 : bad - in.arrayOffset();
        }
        for (int i = in.position(), end = in.limit(); i < end; i++) {
            byte b = in.get(i);
            if ((state != CONTENT || b == '<') && !step(b)) {
                return i;
            }
        }
        return -1;
    }

    private boolean step(byte b) {
        switch (state) {
            case CONTENT -> state = LT; // only called on '<' here
            case LT -> {
                boolean first = !markupSeen;
                markupSeen = true;
                switch (b) {
                    case '/' -> state = END_TAG;
                    case '!' -> state = BANG;
                    case '?' -> {
                        if (!first) {
                            return refuse(XmlViolation.RESTRICTED_XML, "processing instructions are not allowed");
                        }
                        closers = 0;
                        state = DECLARATION;
                    }
                    default -> {
                        tagBytes = 2;
                        attributes = 0;
                        state = START_TAG;
                    }
                }
            }
            case BANG -> {
                if (b == '-') {
                    return refuse(XmlViolation.RESTRICTED_XML, "comments are not allowed");
                }
                if (b != '[') {
                    return refuse(XmlViolation.RESTRICTED_XML, "document type declarations are not allowed");
                }
                closers = 0;
                state = CDATA;
            }
            case START_TAG -> {
                if (++tagBytes > maxTagBytes) {
                    return tooLong();
                }
                switch (b) {
                    case '\'', '"' -> {
                        quote = b;
                        state = VALUE;
                    }
                    case '=' -> {
                        if (++attributes > maxAttributes) {
                            return refuse(XmlViolation.POLICY_VIOLATION,
                                    "more than " + maxAttributes + " attributes on one element (maxAttributes)");
                        }
                    }
                    case '>' -> state = CONTENT;
                    default -> {
                    }
                }
            }
            case VALUE -> {
                if (++tagBytes > maxTagBytes) {
                    return tooLong();
                }
                if (b == quote) {
                    state = START_TAG;
                }
            }
            case END_TAG -> {
                if (b == '>') {
                    state = CONTENT;
                }
            }
            case DECLARATION -> {
                if (b == '>' && closers > 0) {
                    state = CONTENT;
                }
                closers = b == '?' ? 1 : 0;
            }
            case CDATA -> {
                if (b == '>' && closers >= 2) {
                    state = CONTENT;
                }
                closers = b == ']' ? closers + 1 : 0;
            }
            default -> throw new IllegalStateException("state " + state);
        }
        return true;
    }

    private boolean tooLong() {
        return refuse(XmlViolation.POLICY_VIOLATION, "start tag longer than " + maxTagBytes + " bytes (maxStartTagBytes)");
    }

    private boolean refuse(XmlViolation v, String why) {
        violation = v;
        detail = why;
        return false;
    }
}
