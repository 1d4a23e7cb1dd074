package org.openzoep.xmpp.xml;

import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

/**
 * A non-blocking XMPP stream parser: bytes in, stream header and top-level elements out.
 *
 * <p>One Aalto {@link AsyncXMLStreamReader} is fed the NIO view of each input buffer and drained
 * to {@code EVENT_INCOMPLETE} in the same call, so input is never copied or kept between calls.
 * Elements at depth 1 are built from the parser events and handed to the {@link Handler} when
 * their end tag arrives; the stream element itself produces {@link Handler#streamOpened} and
 * {@link Handler#streamClosed}. Restricted XML (RFC 6120 §11) and {@link XmlLimits} are enforced
 * as the bytes arrive; the first violation is reported once through {@link Handler#failed} and the
 * parser ignores everything after it. {@link #restart()} (RFC 6120 §4.3.3: after STARTTLS and
 * SASL) starts a fresh document and may be called from inside a handler callback.
 *
 * <p>Thread: confined to the thread that feeds it. Handler callbacks run on that thread, inside
 * {@link #feed}.
 */
public final class XmlStreamParser {

    /** Receives what the stream carries. Called on the feeding thread. */
    public interface Handler {
        /**
         * The stream element opened.
         *
         * @param header the stream element's attributes (no children)
         * @param contentNamespace the default namespace declared on it ("" when none)
         */
        void streamOpened(XmlElement header, String contentNamespace);

        /** A complete top-level element (a stanza, features, a stream error, ...). */
        void element(XmlElement element);

        /** The peer closed the stream element. */
        void streamClosed();

        /** The input broke a rule; nothing more will be reported for this document. */
        void failed(XmlViolation violation, String detail);
    }

    /** Shared, configured once: Aalto's factory is thread-safe and shares its symbol tables. */
    private static final AsyncXMLInputFactory FACTORY = newFactory();

    private final XmlLimits limits;
    private final Handler handler;

    private AsyncXMLStreamReader<AsyncByteBufferFeeder> reader;
    private Utf8Validator utf8 = new Utf8Validator();
    /** How much of "<!DOCTYPE" the prolog has matched so far (Aalto cannot parse internal subsets). */
    private int doctypeMatch;
    private final List<XmlElement.Builder> stack = new ArrayList<>(8);
    private final List<int[]> textLengths = new ArrayList<>(8);
    private long fedBytes;
    private long stanzaStart = -1;
    private boolean headerSeen;
    private boolean done;
    private boolean restartRequested;

    public XmlStreamParser(XmlLimits limits, Handler handler) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.reader = FACTORY.createAsyncForByteBuffer();
    }

    private static AsyncXMLInputFactory newFactory() {
        InputFactoryImpl f = new InputFactoryImpl();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
        return f;
    }

    /** True once the stream closed or failed; further input is ignored. */
    public boolean isDone() {
        return done;
    }

    /**
     * Parses the readable bytes of {@code in}, which is borrowed: its reader index advances over
     * everything consumed, and the caller keeps ownership.
     *
     * @return false once the stream has failed or closed
     */
    public boolean feed(ByteBuf in) {
        int len = in.readableBytes();
        if (done || len == 0) {
            in.skipBytes(len);
            return !done;
        }
        if (in.nioBufferCount() == 1) {
            feed(in.nioBuffer(in.readerIndex(), len));
        } else {
            for (ByteBuffer b : in.nioBuffers(in.readerIndex(), len)) {
                if (!feed(b)) {
                    break;
                }
            }
        }
        in.skipBytes(len);
        return !done;
    }

    /** Parses the bytes of {@code bytes[offset, offset+length)}, borrowed. */
    public boolean feed(byte[] bytes, int offset, int length) {
        return done || length == 0 ? !done : feed(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Parses the remaining bytes of {@code in}, borrowed only for the duration of the call. */
    public boolean feed(ByteBuffer in) {
        if (done) {
            return false;
        }
        int len = in.remaining();
        if (len == 0) {
            return true;
        }
        fedBytes += len;
        if (!utf8.accept(in)) {
            fail(XmlViolation.NOT_WELL_FORMED, "invalid UTF-8");
            return false;
        }
        if (!headerSeen && hasDoctype(in)) {
            fail(XmlViolation.RESTRICTED_XML, "document type declarations are not allowed");
            return false;
        }
        try {
            reader.getInputFeeder().feedInput(in);
            drain();
        } catch (XMLStreamException e) {
            fail(classify(e), e.getMessage());
        } catch (RuntimeException e) {
            // Aalto reports some malformed input (e.g. broken UTF-8 in names) as runtime exceptions.
            fail(XmlViolation.NOT_WELL_FORMED, String.valueOf(e.getMessage()));
        }
        if (!done && restartRequested) {
            doRestart();
        }
        if (!done && (stanzaStart >= 0 || !headerSeen)) {
            long open = fedBytes - Math.max(0, stanzaStart);
            if (open > limits.maxStanzaBytes()) {
                fail(XmlViolation.POLICY_VIOLATION,
                        (headerSeen ? "stanza" : "stream header") + " larger than " + limits.maxStanzaBytes() + " bytes");
            }
        }
        return !done;
    }

    /**
     * Starts a new XML document on the same byte stream (RFC 6120 §4.3.3). Bytes already fed
     * after the element being handled are discarded, as the protocol guarantees there are none.
     */
    public void restart() {
        restartRequested = true;
    }

    private void doRestart() {
        restartRequested = false;
        try {
            reader.close();
        } catch (XMLStreamException ignored) {
            // closing an async reader releases nothing we depend on
        }
        reader = FACTORY.createAsyncForByteBuffer();
        utf8 = new Utf8Validator();
        doctypeMatch = 0;
        stack.clear();
        textLengths.clear();
        fedBytes = 0;
        stanzaStart = -1;
        headerSeen = false;
    }

    private static final byte[] DOCTYPE = "<!DOCTYPE".getBytes(StandardCharsets.US_ASCII);

    private boolean hasDoctype(ByteBuffer in) {
        for (int i = in.position(), end = in.limit(); i < end; i++) {
            byte b = in.get(i);
            if (b == DOCTYPE[doctypeMatch]) {
                if (++doctypeMatch == DOCTYPE.length) {
                    return true;
                }
            } else {
                doctypeMatch = b == '<' ? 1 : 0;
            }
        }
        return false;
    }

    private void drain() throws XMLStreamException {
        AsyncXMLStreamReader<AsyncByteBufferFeeder> r = reader;
        while (!done && !restartRequested) {
            int ev = r.next();
            switch (ev) {
                case AsyncXMLStreamReader.EVENT_INCOMPLETE:
                    return;
                case XMLStreamConstants.START_DOCUMENT: {
                    String enc = r.getCharacterEncodingScheme();
                    if (enc != null && !enc.equalsIgnoreCase("UTF-8")) {
                        fail(XmlViolation.UNSUPPORTED_ENCODING, "encoding '" + enc + "' declared; only UTF-8 is allowed");
                    }
                    break;
                }
                case XMLStreamConstants.START_ELEMENT:
                    startElement(r);
                    break;
                case XMLStreamConstants.END_ELEMENT:
                    endElement(r);
                    break;
                case XMLStreamConstants.CHARACTERS:
                case XMLStreamConstants.CDATA:
                case XMLStreamConstants.SPACE:
                    characters(r, ev);
                    break;
                case XMLStreamConstants.DTD:
                    fail(XmlViolation.RESTRICTED_XML, "document type declarations are not allowed");
                    break;
                case XMLStreamConstants.COMMENT:
                    fail(XmlViolation.RESTRICTED_XML, "comments are not allowed");
                    break;
                case XMLStreamConstants.PROCESSING_INSTRUCTION:
                    fail(XmlViolation.RESTRICTED_XML, "processing instructions are not allowed");
                    break;
                case XMLStreamConstants.ENTITY_REFERENCE:
                    fail(XmlViolation.RESTRICTED_XML, "entity reference &" + r.getLocalName() + "; is not allowed");
                    break;
                case XMLStreamConstants.END_DOCUMENT:
                    return;
                default:
                    break;
            }
        }
    }

    private void startElement(AsyncXMLStreamReader<AsyncByteBufferFeeder> r) {
        int depth = stack.size();
        if (!headerSeen) {
            String ns = r.getNamespaceURI();
            if (!"stream".equals(r.getLocalName()) || !XmlWriter.STREAM_NS.equals(ns)) {
                fail(XmlViolation.INVALID_NAMESPACE, "root element must be stream:stream in " + XmlWriter.STREAM_NS);
                return;
            }
            headerSeen = true;
            XmlElement.Builder b = XmlElement.builder("stream", XmlWriter.STREAM_NS);
            if (!copyAttributes(r, b)) {
                return;
            }
            String content = r.getNamespaceContext().getNamespaceURI("");
            stack.add(b);
            textLengths.add(new int[1]);
            handler.streamOpened(b.build(), content == null ? "" : content);
            return;
        }
        if (depth > limits.maxDepth()) {
            fail(XmlViolation.POLICY_VIOLATION, "elements nested deeper than " + limits.maxDepth());
            return;
        }
        if (depth == 1) {
            stanzaStart = r.getLocationInfo().getStartingByteOffset();
        }
        String ns = r.getNamespaceURI();
        XmlElement.Builder b = XmlElement.builder(r.getLocalName(), ns == null ? "" : ns);
        if (copyAttributes(r, b)) {
            stack.add(b);
            textLengths.add(new int[1]);
        }
    }

    private boolean copyAttributes(AsyncXMLStreamReader<AsyncByteBufferFeeder> r, XmlElement.Builder b) {
        int n = r.getAttributeCount();
        if (n > limits.maxAttributes()) {
            fail(XmlViolation.POLICY_VIOLATION, "more than " + limits.maxAttributes() + " attributes on one element");
            return false;
        }
        for (int i = 0; i < n; i++) {
            String ans = r.getAttributeNamespace(i);
            b.attr(ans == null ? "" : ans, r.getAttributeLocalName(i), r.getAttributeValue(i));
        }
        return true;
    }

    private void endElement(AsyncXMLStreamReader<AsyncByteBufferFeeder> r) throws XMLStreamException {
        int depth = stack.size();
        if (depth == 1) {
            stack.clear();
            textLengths.clear();
            done = true;
            handler.streamClosed();
            return;
        }
        XmlElement.Builder b = stack.remove(depth - 1);
        textLengths.remove(depth - 1);
        XmlElement e = b.build();
        if (depth - 1 > 1) {
            stack.get(depth - 2).child(e);
            return;
        }
        long end = r.getLocationInfo().getEndingByteOffset();
        long size = end - stanzaStart;
        stanzaStart = -1;
        if (size > limits.maxStanzaBytes()) {
            fail(XmlViolation.POLICY_VIOLATION, "stanza larger than " + limits.maxStanzaBytes() + " bytes");
            return;
        }
        handler.element(e);
    }

    private void characters(AsyncXMLStreamReader<AsyncByteBufferFeeder> r, int ev) {
        int depth = stack.size();
        if (depth <= 1) {
            if (ev != XMLStreamConstants.SPACE && !r.isWhiteSpace()) {
                if (depth == 0) {
                    fail(XmlViolation.NOT_WELL_FORMED, "text before the stream element");
                } else {
                    fail(XmlViolation.BAD_FORMAT, "text directly inside the stream element");
                }
            }
            return;
        }
        int[] count = textLengths.get(depth - 1);
        count[0] += r.getTextLength();
        if (count[0] > limits.maxTextLength()) {
            fail(XmlViolation.POLICY_VIOLATION, "element text longer than " + limits.maxTextLength() + " characters");
            return;
        }
        stack.get(depth - 1).text(r.getText());
    }

    private static XmlViolation classify(XMLStreamException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("entity")) {
            return XmlViolation.RESTRICTED_XML;
        }
        return XmlViolation.NOT_WELL_FORMED;
    }

    private void fail(XmlViolation v, String detail) {
        if (done) {
            return;
        }
        done = true;
        stack.clear();
        textLengths.clear();
        handler.failed(v, detail);
    }

    /**
     * Parses one element from a string, for tests, configuration and the application's API.
     *
     * @throws IllegalArgumentException with the violation when {@code xml} is not one restricted-XML element
     */
    public static XmlElement parseElement(CharSequence xml, String defaultNamespace) {
        List<XmlElement> out = new ArrayList<>(1);
        String[] error = new String[1];
        XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, new Handler() {
            @Override
            public void streamOpened(XmlElement header, String contentNamespace) {
            }

            @Override
            public void element(XmlElement element) {
                out.add(element);
            }

            @Override
            public void streamClosed() {
            }

            @Override
            public void failed(XmlViolation violation, String detail) {
                error[0] = violation.condition() + ": " + detail;
            }
        });
        String doc = "<stream:stream xmlns='" + defaultNamespace.replace("'", "&apos;") + "' xmlns:stream='"
                + XmlWriter.STREAM_NS + "'>" + xml + "</stream:stream>";
        p.feed(ByteBuffer.wrap(doc.getBytes(StandardCharsets.UTF_8)));
        if (error[0] != null) {
            throw new IllegalArgumentException(error[0]);
        }
        if (out.size() != 1) {
            throw new IllegalArgumentException("expected one element, found " + out.size());
        }
        return out.get(0);
    }
}
