package org.openzoep.xmpp.xml;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * The one escaping XML writer: serializes {@link XmlElement}s and stream headers straight into
 * a {@link ByteBuf} as UTF-8 (or into a {@link StringBuilder} for the application's XML API).
 *
 * <p>Names, text and attribute values are written as UTF-8; text and attribute values are escaped; characters XML 1.0 cannot carry (C0 controls other
 * than tab, LF and CR, lone surrogates, U+FFFE/U+FFFF) are replaced by U+FFFD, so nothing the
 * engine writes can make the peer close the stream as not-well-formed. A default namespace is
 * declared only where it differs from the parent's; elements of the stream namespace (features,
 * errors) carry the {@code stream:} prefix every stream header binds; {@code xml:} attributes use the reserved
 * prefix; other qualified attributes get a local prefix declaration.
 *
 * <p>Thread: stateless; the caller owns the destination.
 */
public final class XmlWriter {

    /** The namespace of the stream element (RFC 6120 §4.8.1). */
    public static final String STREAM_NS = "http://etherx.jabber.org/streams";

    private XmlWriter() {
    }

    /** Where serialized XML goes. */
    public interface Sink {
        /** Appends characters that need no escaping and are all ASCII. */
        void ascii(String s);

        /** Appends {@code s[start, end)} as-is (already escaped, valid XML characters). */
        void raw(CharSequence s, int start, int end);

        /**
         * Appends an element or attribute name. XML names are not ASCII (XML 1.0 §2.3: any letter,
         * e.g. {@code données}, {@code 名前}), so they are written like text, unescaped.
         */
        default void name(String s) {
            raw(s, 0, s.length());
        }
    }

    /** A sink appending UTF-8 to {@code out}, which the caller owns (borrowed). */
    public static Sink sink(ByteBuf out) {
        return new Sink() {
            @Override
            public void ascii(String s) {
                ByteBufUtil.writeAscii(out, s);
            }

            @Override
            public void raw(CharSequence s, int start, int end) {
                ByteBufUtil.writeUtf8(out, s, start, end);
            }
        };
    }

    /** A sink appending to {@code out}. */
    public static Sink sink(StringBuilder out) {
        return new Sink() {
            @Override
            public void ascii(String s) {
                out.append(s);
            }

            @Override
            public void raw(CharSequence s, int start, int end) {
                out.append(s, start, end);
            }
        };
    }

    /**
     * Writes {@code element} into {@code out} (borrowed), as a child of an element whose default
     * namespace is {@code parentNamespace} (null: none declared yet).
     */
    public static void write(ByteBuf out, XmlElement element, String parentNamespace) {
        write(sink(out), element, parentNamespace);
    }

    /** Writes {@code element} into {@code sink} as a child of {@code parentNamespace}. */
    public static void write(Sink sink, XmlElement element, String parentNamespace) {
        String ns = element.namespace();
        // Elements of the stream namespace (features, error) use the stream header's prefix.
        boolean streamNs = ns.equals(STREAM_NS);
        sink.ascii(streamNs ? "<stream:" : "<");
        sink.name(element.name());
        if (streamNs) {
            ns = parentNamespace == null ? "" : parentNamespace;
        } else if (!ns.equals(parentNamespace == null ? "" : parentNamespace)) {
            sink.ascii(" xmlns='");
            escape(sink, ns, true);
            sink.ascii("'");
        }
        writeAttributes(sink, element);
        int n = element.childCount();
        if (n == 0) {
            sink.ascii("/>");
            return;
        }
        sink.ascii(">");
        for (int i = 0; i < n; i++) {
            Object c = element.child(i);
            if (c instanceof XmlElement e) {
                write(sink, e, ns);
            } else {
                escape(sink, (String) c, false);
            }
        }
        sink.ascii(streamNs ? "</stream:" : "</");
        sink.name(element.name());
        sink.ascii(">");
    }

    /**
     * Writes an XML declaration and the opening tag of a stream: {@code header}'s attributes on
     * {@code <stream:stream>}, with {@code contentNamespace} as the default namespace.
     */
    public static void openStream(Sink sink, XmlElement header, String contentNamespace) {
        sink.ascii("<?xml version='1.0' encoding='UTF-8'?><stream:stream xmlns='");
        escape(sink, contentNamespace, true);
        sink.ascii("' xmlns:stream='" + STREAM_NS + "'");
        writeAttributes(sink, header);
        sink.ascii(">");
    }

    /** Writes the closing tag of a stream. */
    public static void closeStream(Sink sink) {
        sink.ascii("</stream:stream>");
    }

    private static void writeAttributes(Sink sink, XmlElement element) {
        int prefixes = 0;
        for (int i = 0, n = element.attrCount(); i < n; i++) {
            String ans = element.attrNamespace(i);
            sink.ascii(" ");
            if (ans.isEmpty()) {
                sink.name(element.attrName(i));
            } else if (ans.equals(XmlElement.XML_NS)) {
                sink.ascii("xml:");
                sink.name(element.attrName(i));
            } else {
                String prefix = "a" + prefixes++;
                sink.ascii("xmlns:" + prefix + "='");
                escape(sink, ans, true);
                sink.ascii("' " + prefix + ":");
                sink.name(element.attrName(i));
            }
            sink.ascii("='");
            escape(sink, element.attrValue(i), true);
            sink.ascii("'");
        }
    }

    /** Writes {@code s} escaped for text content or for a single-quoted attribute value. */
    static void escape(Sink sink, String s, boolean attribute) {
        int run = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            String rep = null;
            switch (c) {
                case '&' -> rep = "&amp;";
                case '<' -> rep = "&lt;";
                case '>' -> rep = "&gt;";
                case '\'' -> rep = attribute ? "&apos;" : null;
                case '"' -> rep = attribute ? "&quot;" : null;
                case '\t' -> rep = attribute ? "&#9;" : null;
                case '\n' -> rep = attribute ? "&#10;" : null;
                case '\r' -> rep = "&#13;";
                default -> {
                    if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
                        rep = "\uFFFD";
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                            i++;
                        } else {
                            rep = "\uFFFD";
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        rep = "\uFFFD";
                    }
                }
            }
            if (rep != null) {
                if (i > run) {
                    sink.raw(s, run, i);
                }
                if (rep.charAt(0) == '\uFFFD') {
                    sink.raw(rep, 0, 1);
                } else {
                    sink.ascii(rep);
                }
                run = i + 1;
            }
        }
        if (run < len) {
            sink.raw(s, run, len);
        }
    }
}
