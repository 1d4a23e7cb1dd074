package org.openzoep.xmpp.xml;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

/**
 * A non-blocking XMPP stream parser: bytes in, stream header and top-level elements out.
 *
 * <p>An Aalto {@link AsyncXMLStreamReader} is fed each input where it lies — the backing array of
 * a heap buffer (Aalto's fastest path), else the NIO view — and drained to
 * {@code EVENT_INCOMPLETE} in the same call, so input is not copied or kept between calls (one
 * exception: a document whose input switches from heap to direct buffers in mid-stanza has that
 * piece copied). Elements at depth 1 are built from the parser events, in per-depth scratch arrays
 * reused from stanza to stanza, and handed to the {@link Handler} when their end tag arrives; the stream element itself produces {@link Handler#streamOpened} and
 * {@link Handler#streamClosed}. Restricted XML (RFC 6120 §11) and {@link XmlLimits} are enforced
 * as the bytes arrive: a {@link MarkupGuard} looks at each input before Aalto does (attributes and
 * bytes per start tag; comments, PIs and DTDs refused at their first bytes), the bytes since the
 * last top-level element are counted, and each reader's newly learned names are counted against the
 * stream's budget ({@link SharedNames}). The first violation is reported once through {@link Handler#failed} and the
 * parser ignores everything after it; what precedes a refused byte in the same input (invalid
 * UTF-8, refused markup) is parsed first, so its stanzas, or the end of the stream, still arrive. {@link #restart()} (RFC 6120 §4.3.3: after STARTTLS and
 * SASL) starts a fresh document and may be called from inside a handler callback.
 *
 * <p>Every few stanzas, between two of them, the Aalto reader is renewed (closed, and a new one
 * primed with the stream element's namespace declarations): closing merges the names it learned
 * into the factory's shared symbol table, which an idle session would otherwise hold a private copy
 * of; that table is renewed when it grows past a bound ({@link SharedNames}). Aalto's byte offsets count from the start of the array it was handed, so the parser keeps
 * its own byte counts; input is handed over in pieces of at most 16 KiB, and the stanza size limit
 * holds to within one piece.
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

    private final XmlLimits limits;
    private final Handler handler;
    /** Where readers come from, with the name table they share. */
    private final SharedNames shared;
    /** The current reader's name count; null when {@link #reader} is. */
    private SharedNames.Reader names;
    /** The shared table {@link #namesBefore} refers to. */
    private SharedNames.Generation generation;
    /** Names this stream's earlier readers added to {@link #generation}'s table. */
    private int namesBefore;
    /** Counts attributes and start tag bytes, and refuses comments and PIs, before Aalto sees them. */
    private final MarkupGuard guard;

    /**
     * The Aalto reader of the current document, made at its first input and of that input's kind:
     * over a byte array when the input has one (heap buffers, Aalto's fastest path), else over NIO
     * buffers. Null between a restart or renewal and the next input.
     */
    private AsyncXMLStreamReader<?> reader;
    private boolean arrayReader;
    /** After a renewal: the stream element's declarations, fed to the next reader before any input. */
    private byte[] replay;
    private static final byte[] NO_BYTES = new byte[0];
    private Utf8Validator utf8 = new Utf8Validator();
    /** Open elements below the stream element, index 0 = depth 1; reused from stanza to stanza. */
    private Frame[] frames = new Frame[4];
    /** Elements open, counting the stream element. */
    private int depth;
    /** Bytes given to the current reader (Aalto's own count of past input). */
    private long fedBytes;
    /** Where the current feed starts in the array or buffer handed to Aalto: its offsets include it. */
    private int feedSkew;
    /**
     * Where the bytes counted against {@link XmlLimits#maxStanzaBytes()} start, in {@link #fedBytes}
     * terms: the end of the last top-level element or of the stream header, so that whitespace and
     * anything else between stanzas counts too.
     */
    private long limitFrom;
    /** Largest piece handed to Aalto at once, so that size limits are enforced to within it. */
    private static final int MAX_FEED = 16 * 1024;
    private boolean headerSeen;
    private boolean done;
    private boolean restartRequested;
    /** Namespace declarations of the stream element (prefix or "" for the default, then URI), replayed on renewal. */
    private String[] rootNamespaces = new String[0];
    /** Aalto's byte offset just past the last complete top-level element. */
    private long boundary = -1;
    private int stanzasOnReader;
    private final int renewAfter;
    private int renewals;

    public XmlStreamParser(XmlLimits limits, Handler handler) {
        this(limits, handler, 8);
    }

    /** As above, renewing the Aalto reader after every {@code renewAfter} stanzas (tests use 1). */
    XmlStreamParser(XmlLimits limits, Handler handler, int renewAfter) {
        this(limits, handler, renewAfter, SharedNames.DEFAULT);
    }

    /** As above, with readers from {@code shared} (tests use their own). */
    XmlStreamParser(XmlLimits limits, Handler handler, int renewAfter, SharedNames shared) {
        this.renewAfter = renewAfter;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.shared = Objects.requireNonNull(shared, "shared");
        this.guard = new MarkupGuard(limits);
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
        if (in.hasArray()) {
            feedArray(in.array(), in.arrayOffset() + in.readerIndex(), len);
        } else if (in.nioBufferCount() == 1) {
            feedBuffer(in.nioBuffer(in.readerIndex(), len));
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
        return done || length == 0 ? !done : feedArray(bytes, offset, length);
    }

    /** Parses the remaining bytes of {@code in}, borrowed only for the duration of the call. */
    public boolean feed(ByteBuffer in) {
        if (done || !in.hasRemaining()) {
            return !done;
        }
        if (in.hasArray()) {
            return feedArray(in.array(), in.arrayOffset() + in.position(), in.remaining());
        }
        return feedBuffer(in);
    }

    private boolean feedArray(byte[] a, int off, int len) {
        while (len > MAX_FEED) {
            if (!feedArray(a, off, MAX_FEED)) {
                return false;
            }
            off += MAX_FEED;
            len -= MAX_FEED;
        }
        fedBytes += len;
        // Aalto gets what comes before a byte that breaks a rule (invalid UTF-8, or markup the
        // guard refuses), so the stanzas before it arrive, and so does the end of the stream.
        int badUtf8 = utf8.firstInvalid(a, off, len);
        if (badUtf8 >= 0) {
            len = badUtf8 - off;
        }
        int bad = guard.scan(a, off, len);
        if (bad >= 0) {
            len = bad - off;
        }
        try {
            if (reader == null) {
                newReader(true);
            }
            if (arrayReader) {
                AsyncByteArrayFeeder feeder = (AsyncByteArrayFeeder) reader.getInputFeeder();
                feedSkew = off;
                feeder.feedInput(a, off, len);
                drain();
                if (boundary == fedBytes && feeder.needMoreInput() && !done && !restartRequested) {
                    // Between stanzas with nothing pending: keep no reference to the caller's
                    // (pooled) array while the session idles.
                    feeder.feedInput(NO_BYTES, 0, 0);
                }
            } else {
                feedSkew = off;
                ((AsyncByteBufferFeeder) reader.getInputFeeder()).feedInput(ByteBuffer.wrap(a, off, len));
                drain();
            }
        } catch (XMLStreamException e) {
            fail(classify(e), e.getMessage());
        } catch (RuntimeException e) {
            // Aalto reports some malformed input (e.g. broken UTF-8 in names) as runtime exceptions.
            fail(XmlViolation.NOT_WELL_FORMED, String.valueOf(e.getMessage()));
        }
        failAt(bad, badUtf8);
        return afterInput();
    }

    /** After the bytes before a refused one were parsed: the violation found first, if any. */
    private void failAt(int badMarkup, int badUtf8) {
        if (badMarkup >= 0) {
            fail(guard.violation(), guard.detail());
        } else if (badUtf8 >= 0) {
            fail(XmlViolation.NOT_WELL_FORMED, "invalid UTF-8");
        }
    }

    private boolean feedBuffer(ByteBuffer in) {
        int len = in.remaining();
        if (len > MAX_FEED) {
            ByteBuffer piece = in.duplicate();
            for (int p = in.position(); p < in.limit(); p += MAX_FEED) {
                piece.limit(Math.min(in.limit(), p + MAX_FEED)).position(p);
                if (!feedBuffer(piece)) {
                    return false;
                }
            }
            return !done;
        }
        fedBytes += len;
        int badUtf8 = utf8.firstInvalid(in);
        if (badUtf8 >= 0) {
            in = in.duplicate().limit(badUtf8);
            len = in.remaining();
        }
        int bad = guard.scan(in);
        if (bad >= 0) {
            in = in.duplicate().limit(bad);
            len = in.remaining();
        }
        try {
            if (reader == null) {
                newReader(false);
            }
            if (arrayReader) {
                // The input changed kind within a document (heap, then direct): rare, so copy.
                byte[] copy = new byte[len];
                in.duplicate().get(copy);
                feedSkew = 0;
                ((AsyncByteArrayFeeder) reader.getInputFeeder()).feedInput(copy, 0, len);
            } else {
                feedSkew = in.position();
                ((AsyncByteBufferFeeder) reader.getInputFeeder()).feedInput(in);
            }
            drain();
        } catch (XMLStreamException e) {
            fail(classify(e), e.getMessage());
        } catch (RuntimeException e) {
            fail(XmlViolation.NOT_WELL_FORMED, String.valueOf(e.getMessage()));
        }
        failAt(bad, badUtf8);
        return afterInput();
    }

    /** Makes the reader for a document (or its continuation after a renewal). */
    private void newReader(boolean array) throws XMLStreamException {
        arrayReader = array;
        names = shared.newReader(array);
        reader = names.stax();
        if (names.generation() != generation) {
            // The names this stream taught the previous table went with it.
            generation = names.generation();
            namesBefore = 0;
        }
        if (replay == null) {
            return;
        }
        feedSkew = 0;
        if (array) {
            ((AsyncByteArrayFeeder) reader.getInputFeeder()).feedInput(replay, 0, replay.length);
        } else {
            ((AsyncByteBufferFeeder) reader.getInputFeeder()).feedInput(ByteBuffer.wrap(replay));
        }
        replay = null;
        int ev;
        do {
            ev = reader.next();
        } while (ev != XMLStreamConstants.START_ELEMENT && ev != AsyncXMLStreamReader.EVENT_INCOMPLETE);
        if (ev != XMLStreamConstants.START_ELEMENT) {
            throw new XMLStreamException("renewed reader did not accept the stream element");
        }
    }

    /** After each input: restart, renewal, scratch release and the size limit. */
    private boolean afterInput() {
        if (!done && restartRequested) {
            doRestart();
        }
        // The first renewal comes early (a session's features and bind result), so an account that
        // then goes idle holds a reader that shares the factory's names.
        int threshold = renewals == 0 ? Math.min(2, renewAfter) : renewAfter;
        if (depth == 1 && !done && stanzasOnReader >= threshold && boundary == fedBytes) {
            renewReader();
        }
        if (depth <= 1) {
            releaseScratch(); // between stanzas: keep nothing of the last one reachable
        }
        if (!done && fedBytes - limitFrom > limits.maxStanzaBytes()) {
            fail(XmlViolation.POLICY_VIOLATION, (headerSeen ? "stanza (with the bytes since the previous one)"
                    : "stream header") + " larger than " + limits.maxStanzaBytes() + " bytes (maxStanzaBytes)");
        }
        return !done;
    }

    /**
     * Replaces the Aalto reader between two stanzas with a fresh one primed with the stream
     * element's namespace declarations. Closing a reader merges the names it learned into the
     * factory's shared symbol table; a long-lived reader would otherwise keep its own copy of that
     * table, several kilobytes per idle session.
     */
    private void renewReader() {
        StringBuilder head = new StringBuilder(160).append("<stream:stream");
        boolean streamBound = false;
        for (int i = 0; i < rootNamespaces.length; i += 2) {
            String prefix = rootNamespaces[i];
            streamBound |= prefix.equals("stream");
            head.append(prefix.isEmpty() ? " xmlns" : " xmlns:" + prefix).append("='")
                    .append(rootNamespaces[i + 1].replace("&", "&amp;").replace("'", "&apos;")).append('\'');
        }
        if (!streamBound) {
            head.append(" xmlns:stream='").append(XmlWriter.STREAM_NS).append('\'');
        }
        byte[] bytes = head.append('>').toString().getBytes(StandardCharsets.UTF_8);
        closeReader();
        replay = bytes;
        fedBytes = bytes.length;
        boundary = fedBytes;
        limitFrom = fedBytes;
        stanzasOnReader = 0;
        renewals++;
    }

    /** How often the reader was renewed (for tests). */
    int renewals() {
        return renewals;
    }

    private void releaseScratch() {
        for (Frame f : frames) {
            if (f == null) {
                break;
            }
            f.clear();
        }
    }

    /**
     * Starts a new XML document on the same byte stream (RFC 6120 §4.3.3). Bytes already fed
     * after the element being handled are discarded, as the protocol guarantees there are none.
     */
    public void restart() {
        restartRequested = true;
    }

    private void closeReader() {
        if (reader != null) {
            namesBefore += names.learned();
            try {
                reader.close(); // also merges the names it learned into the shared symbol table
            } catch (XMLStreamException ignored) {
                // closing an async reader releases nothing we depend on
            }
            shared.closed(names);
            reader = null;
            names = null;
        }
    }

    private void doRestart() {
        restartRequested = false;
        closeReader();
        replay = null;
        boundary = -1;
        stanzasOnReader = 0;
        utf8 = new Utf8Validator();
        guard.reset();
        depth = 0;
        fedBytes = 0;
        limitFrom = 0;
        headerSeen = false;
    }

    private void drain() throws XMLStreamException {
        AsyncXMLStreamReader<?> r = reader;
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

    private void startElement(AsyncXMLStreamReader<?> r) throws XMLStreamException {
        if (namesBefore + names.learned() > limits.maxNames()) {
            fail(XmlViolation.POLICY_VIOLATION, "more than " + limits.maxNames() + " distinct names on one stream (maxNames)");
            return;
        }
        if (!headerSeen) {
            String ns = r.getNamespaceURI();
            if (!"stream".equals(r.getLocalName()) || !XmlWriter.STREAM_NS.equals(ns)) {
                fail(XmlViolation.INVALID_NAMESPACE, "root element must be stream:stream in " + XmlWriter.STREAM_NS);
                return;
            }
            headerSeen = true;
            limitFrom = Math.max(0, Math.min(fedBytes, r.getLocationInfo().getEndingByteOffset() - feedSkew));
            int nsCount = r.getNamespaceCount();
            rootNamespaces = new String[nsCount * 2];
            for (int i = 0; i < nsCount; i++) {
                String prefix = r.getNamespacePrefix(i);
                String uri = r.getNamespaceURI(i);
                rootNamespaces[2 * i] = prefix == null ? "" : prefix;
                rootNamespaces[2 * i + 1] = uri == null ? "" : uri;
            }
            Frame header = new Frame();
            header.reset("stream", XmlWriter.STREAM_NS);
            if (!copyAttributes(r, header)) {
                return;
            }
            String content = r.getNamespaceContext().getNamespaceURI("");
            depth = 1;
            handler.streamOpened(header.build(), content == null ? "" : content);
            return;
        }
        if (depth > limits.maxDepth()) {
            fail(XmlViolation.POLICY_VIOLATION, "elements nested deeper than " + limits.maxDepth() + " (maxDepth)");
            return;
        }
        if (depth > frames.length) {
            frames = Arrays.copyOf(frames, frames.length * 2);
        }
        Frame f = frames[depth - 1];
        if (f == null) {
            f = frames[depth - 1] = new Frame();
        }
        String ns = r.getNamespaceURI();
        f.reset(r.getLocalName(), ns == null ? "" : ns);
        if (copyAttributes(r, f)) {
            depth++;
        }
    }

    private boolean copyAttributes(AsyncXMLStreamReader<?> r, Frame f) {
        int n = r.getAttributeCount();
        if (n > limits.maxAttributes()) {
            fail(XmlViolation.POLICY_VIOLATION, "more than " + limits.maxAttributes() + " attributes on one element (maxAttributes)");
            return false;
        }
        // Aalto has already refused duplicate attributes, so they go straight in.
        for (int i = 0; i < n; i++) {
            String ans = r.getAttributeNamespace(i);
            f.attr(ans == null ? "" : ans, r.getAttributeLocalName(i), r.getAttributeValue(i));
        }
        return true;
    }

    private void endElement(AsyncXMLStreamReader<?> r) throws XMLStreamException {
        if (depth == 1) {
            depth = 0;
            done = true;
            handler.streamClosed();
            return;
        }
        depth--;
        XmlElement e = frames[depth - 1].build();
        if (depth > 1) {
            frames[depth - 2].child(e);
            return;
        }
        // Aalto's offsets count from the start of the array or buffer it was handed, not of the feed.
        boundary = r.getLocationInfo().getEndingByteOffset() - feedSkew;
        limitFrom = boundary;
        stanzasOnReader++;
        handler.element(e);
    }

    private void characters(AsyncXMLStreamReader<?> r, int ev) {
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
        Frame f = frames[depth - 2];
        f.textLength += r.getTextLength();
        if (f.textLength > limits.maxTextLength()) {
            fail(XmlViolation.POLICY_VIOLATION, "element text longer than " + limits.maxTextLength() + " characters (maxTextLength)");
            return;
        }
        f.text(r.getText());
    }

    /**
     * One open element: its name, attributes and children so far, in arrays that are reused for
     * the element at the same depth of the next stanza, so building a stanza allocates only the
     * exact-size arrays of the finished {@link XmlElement}s.
     */
    private static final class Frame {
        private static final String[] NO_ATTRS = new String[0];
        private static final Object[] NO_CHILDREN = new Object[0];

        String name;
        String namespace;
        String[] attrs = new String[12];
        int attrLength;
        Object[] children = new Object[4];
        int childCount;
        int textLength;
        /** High-water marks of slots filled since the last {@link #clear()}. */
        int dirtyChildren;
        int dirtyAttrs;

        void reset(String name, String namespace) {
            this.name = name;
            this.namespace = namespace;
            attrLength = 0;
            childCount = 0;
            textLength = 0;
        }

        void attr(String ns, String local, String value) {
            if (attrLength + 3 > attrs.length) {
                attrs = Arrays.copyOf(attrs, attrs.length * 2);
            }
            attrs[attrLength++] = ns;
            attrs[attrLength++] = local;
            attrs[attrLength++] = value;
        }

        void child(Object c) {
            if (childCount == children.length) {
                children = Arrays.copyOf(children, children.length * 2);
            }
            children[childCount++] = c;
        }

        void text(String t) {
            if (childCount > 0 && children[childCount - 1] instanceof String prev) {
                children[childCount - 1] = prev.concat(t);
            } else {
                child(t);
            }
        }

        XmlElement build() {
            String[] a = attrLength == 0 ? NO_ATTRS : Arrays.copyOf(attrs, attrLength);
            Object[] c = childCount == 0 ? NO_CHILDREN : Arrays.copyOf(children, childCount);
            dirtyChildren = Math.max(dirtyChildren, childCount);
            dirtyAttrs = Math.max(dirtyAttrs, attrLength);
            return XmlElement.ofParts(name, namespace, a, c);
        }

        /** Drops the references the scratch arrays still hold to finished elements. */
        void clear() {
            Arrays.fill(children, 0, Math.max(dirtyChildren, childCount), null);
            Arrays.fill(attrs, 0, Math.max(dirtyAttrs, attrLength), null);
            dirtyChildren = 0;
            dirtyAttrs = 0;
            childCount = 0;
            attrLength = 0;
        }
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
        releaseScratch(); // drop references to the partial stanza
        // Dropped unclosed: closing would merge what a hostile peer taught it into the shared table.
        reader = null;
        names = null;
        depth = 0;
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
