package org.openzoep.xmpp.xml;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.openzoep.testkit.FuzzInput;

/**
 * Fuzz target: the XMPP stream parser fed arbitrary bytes in arbitrary pieces.
 *
 * <p>Input ({@link FuzzInput}): the stream bytes from the front; from the back a flags byte
 * (bit 0: the smallest limits {@link XmlLimits} allows) and, per piece, its size (0: all the rest)
 * and the kind of buffer it arrives in (heap {@code ByteBuf} at an offset, direct {@code ByteBuf},
 * a two-component {@code CompositeByteBuf}, a {@code byte[]} slice, a direct {@code ByteBuffer}).
 *
 * <p>Each input is parsed three times: whole in one heap buffer, in the chosen pieces with the
 * Aalto reader renewed after every stanza, and in the chosen pieces with a stream restart (RFC
 * 6120 §4.3.3) after every {@code <proceed/>} and {@code <success/>}, as the session does. Each run
 * must: throw nothing (every refusal arrives as one {@link XmlViolation}); report nothing after a
 * failure or the stream's end; deliver only elements within the limits, and no more text and
 * attribute values than bytes fed. With the default limits the first two runs must agree: both
 * fail or neither does, and the elements of one are a prefix of the other's (equal when neither
 * failed). A hang is caught by the fuzzer's per-input timeout.
 *
 * <p>Corpus: {@code XmlStreamParserFuzzTestInputs/stream/}, seeded from the RFC 6120/6121 session
 * fixtures and the XEP examples ({@code org.openzoep.xmpp.fuzz.FuzzSeeds}).
 */
class XmlStreamParserFuzzTest {

    /** The smallest limits XmlLimits accepts, so the fuzzer reaches every one of them. */
    static final XmlLimits SMALL = new XmlLimits(1024, 2, 4, 64, 256, 64);

    @FuzzTest(maxDuration = "30s")
    void stream(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int flags = in.choice();
        XmlLimits limits = (flags & 1) != 0 ? SMALL : XmlLimits.DEFAULT;
        List<int[]> kinds = new ArrayList<>();
        List<byte[]> pieces = new ArrayList<>();
        while (in.remaining() > 0) {
            int size = in.choice();
            int kind = in.choice();
            byte[] piece = in.bytes(size == 0 ? in.remaining() : size);
            if (piece.length > 0) {
                pieces.add(piece);
                kinds.add(new int[] {kind});
            }
        }
        byte[] whole = concat(pieces);

        Run a = new Run(limits, 8, false);
        feed(a, whole, 0);
        Run b = new Run(limits, 1, false);
        Run c = new Run(limits, 8, true);
        for (int i = 0; i < pieces.size(); i++) {
            feed(b, pieces.get(i), kinds.get(i)[0]);
            feed(c, pieces.get(i), kinds.get(i)[0]);
        }
        for (Run r : new Run[] {a, b, c}) {
            r.check(whole.length);
        }
        if (limits == XmlLimits.DEFAULT) {
            if ((a.failure == null) != (b.failure == null)) {
                throw new AssertionError("whole input " + (a.failure == null ? "passed" : "failed: " + a.failure)
                        + ", in pieces " + (b.failure == null ? "passed" : "failed: " + b.failure));
            }
            List<XmlElement> shorter = a.elements.size() <= b.elements.size() ? a.elements : b.elements;
            List<XmlElement> longer = shorter == a.elements ? b.elements : a.elements;
            if (!longer.subList(0, shorter.size()).equals(shorter)
                    || a.failure == null && shorter.size() != longer.size()) {
                throw new AssertionError("whole input gave " + a.elements + ", in pieces " + b.elements);
            }
            if (a.closed != b.closed) {
                throw new AssertionError("stream closed whole " + a.closed + ", in pieces " + b.closed);
            }
        }
    }

    private static void feed(Run r, byte[] piece, int kind) {
        if (r.parser.isDone()) {
            return;
        }
        switch (kind % 5) {
            case 0 -> {
                // a heap buffer whose readable bytes start at an offset in its array
                byte[] backing = new byte[piece.length + 11];
                System.arraycopy(piece, 0, backing, 7, piece.length);
                ByteBuf buf = Unpooled.wrappedBuffer(backing).readerIndex(7).writerIndex(7 + piece.length);
                try {
                    r.parser.feed(buf);
                } finally {
                    buf.release();
                }
            }
            case 1 -> {
                ByteBuf buf = Unpooled.directBuffer(piece.length).writeBytes(piece);
                try {
                    r.parser.feed(buf);
                } finally {
                    buf.release();
                }
            }
            case 2 -> {
                int half = piece.length / 2;
                CompositeByteBuf buf = Unpooled.compositeBuffer();
                buf.addComponent(true, Unpooled.directBuffer(half + 1).writeBytes(piece, 0, half));
                buf.addComponent(true, Unpooled.buffer(piece.length - half).writeBytes(piece, half, piece.length - half));
                try {
                    r.parser.feed(buf);
                } finally {
                    buf.release();
                }
            }
            case 3 -> {
                byte[] backing = new byte[piece.length + 5];
                System.arraycopy(piece, 0, backing, 3, piece.length);
                r.parser.feed(backing, 3, piece.length);
            }
            default -> r.parser.feed(ByteBuffer.allocateDirect(piece.length).put(piece).flip());
        }
    }

    private static byte[] concat(List<byte[]> pieces) {
        int n = 0;
        for (byte[] p : pieces) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : pieces) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** One parse of the input, recording what the handler saw and checking the callback order. */
    private static final class Run implements XmlStreamParser.Handler {
        final XmlLimits limits;
        final boolean restartOnNegotiation;
        final XmlStreamParser parser;
        final List<XmlElement> elements = new ArrayList<>();
        String failure;
        boolean closed;
        boolean opened;
        long valueChars;

        Run(XmlLimits limits, int renewAfter, boolean restartOnNegotiation) {
            this.limits = limits;
            this.restartOnNegotiation = restartOnNegotiation;
            // each run its own name table, so that what earlier inputs taught it does not count
            this.parser = new XmlStreamParser(limits, this, renewAfter, new SharedNames(SharedNames.DEFAULT_MAX_SHARED));
        }

        private void notAfterEnd(String what) {
            if (failure != null || closed) {
                throw new AssertionError(what + " after " + (closed ? "the stream closed" : "failure " + failure));
            }
        }

        @Override
        public void streamOpened(XmlElement header, String contentNamespace) {
            notAfterEnd("streamOpened");
            if (opened) {
                throw new AssertionError("streamOpened twice without a restart");
            }
            opened = true;
            if (header == null || contentNamespace == null) {
                throw new AssertionError("null header or namespace");
            }
            checkElement(header, 1);
        }

        @Override
        public void element(XmlElement element) {
            notAfterEnd("element");
            if (!opened) {
                throw new AssertionError("element before streamOpened: " + element);
            }
            checkElement(element, 1);
            elements.add(element);
            if (restartOnNegotiation && (element.name().equals("proceed") || element.name().equals("success"))) {
                parser.restart();
                opened = false;
            }
        }

        @Override
        public void streamClosed() {
            notAfterEnd("streamClosed");
            if (!opened) {
                throw new AssertionError("streamClosed before streamOpened");
            }
            closed = true;
        }

        @Override
        public void failed(XmlViolation violation, String detail) {
            notAfterEnd("failed");
            if (violation == null || detail == null) {
                throw new AssertionError("failed(" + violation + ", " + detail + ")");
            }
            failure = violation + ": " + detail;
        }

        private void checkElement(XmlElement e, int level) {
            if (level > limits.maxDepth()) {
                throw new AssertionError("element at depth " + level + " > maxDepth " + limits.maxDepth());
            }
            if (e.attrCount() > limits.maxAttributes()) {
                throw new AssertionError(e.attrCount() + " attributes > maxAttributes");
            }
            if (e.name() == null || e.name().isEmpty() || e.namespace() == null) {
                throw new AssertionError("element without a name or namespace: " + e);
            }
            for (int i = 0; i < e.attrCount(); i++) {
                valueChars += e.attrValue(i).length();
            }
            int text = 0;
            for (int i = 0; i < e.childCount(); i++) {
                Object child = e.child(i);
                if (child instanceof XmlElement c) {
                    checkElement(c, level + 1);
                } else if (child instanceof String s) {
                    text += s.length();
                } else {
                    throw new AssertionError("child of type " + child);
                }
            }
            if (text > limits.maxTextLength()) {
                throw new AssertionError(text + " characters of text > maxTextLength");
            }
            valueChars += text;
        }

        void check(int bytesFed) {
            if (valueChars > bytesFed) {
                throw new AssertionError(valueChars + " characters of text and values out of " + bytesFed + " bytes");
            }
            if (parser.isDone() != (failure != null || closed)) {
                throw new AssertionError("isDone " + parser.isDone() + " but failure " + failure + ", closed " + closed);
            }
        }
    }
}
