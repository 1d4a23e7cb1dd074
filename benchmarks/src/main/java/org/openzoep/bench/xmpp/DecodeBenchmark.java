package org.openzoep.bench.xmpp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlLimits;
import org.openzoep.xmpp.xml.XmlStreamParser;
import org.openzoep.xmpp.xml.XmlViolation;

/**
 * Stanza decode: the same {@link XmppCorpus} bytes parsed by OpenZoep's {@link XmlStreamParser}
 * and by Smack 4.4 the way {@code XMPPTCPConnection}'s reader does it. One invocation parses the
 * whole stream (header, features, {@code N} stanzas, close) with a fresh parser; the score is per
 * top-level element (stanza), so ops/s is stanzas/s and {@code gc.alloc.rate.norm} is bytes
 * allocated per stanza.
 *
 * <p>OpenZoep is fed a {@code ByteBuf} the way the Netty pipeline hands it over ({@code chunk}
 * bytes per read, or the whole stream at once with {@code chunk = 0}), heap or direct; every
 * element is wrapped in an {@code org.openzoep.xmpp.stanza.Stanza} when it is one, as the session
 * does. Smack decodes the bytes through {@code BufferedReader(InputStreamReader(UTF-8))} and
 * {@code PacketParserUtils.getParserFor(Reader)} and then mirrors {@code PacketReader.parsePackets}:
 * {@code parseStanza(parser, incomingStreamXmlEnvironment)} per message/presence/iq and the
 * {@code AbstractXMPPConnection.parseFeatures} switch for {@code stream:features}.
 *
 * <p>Thread: each state is confined to its benchmark thread. Buffers: the benchmark owns and
 * releases its input buffers; the parser only borrows them.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class DecodeBenchmark {

    /** Top-level elements per invocation (features + stanzas); must match the corpus. */
    static final int ELEMENTS = 10 * XmppCorpus.ROUNDS + 1;

    private byte[] stream;

    @Setup(Level.Trial)
    public void loadCorpus() {
        XmppCorpus corpus = new XmppCorpus();
        if (corpus.topLevelElements() != ELEMENTS) {
            throw new IllegalStateException("corpus has " + corpus.topLevelElements() + " elements, expected " + ELEMENTS);
        }
        stream = corpus.stream();
    }

    // ---------------- OpenZoep ----------------

    /** The OpenZoep input: one buffer holding the stream, fed in windows of {@code chunk} bytes. */
    @State(Scope.Thread)
    public static class ZoepInput {
        /** Bytes per read; 0 feeds the whole stream in one call. */
        @Param({"4096", "0"})
        public int chunk;

        /** {@code heap} or {@code direct} (Netty's epoll/NIO reads land in direct buffers). */
        @Param({"direct", "heap"})
        public String buffer;

        ByteBuf buf;
        int length;

        @Setup(Level.Trial)
        public void setUp(DecodeBenchmark b) {
            length = b.stream.length;
            buf = "direct".equals(buffer) ? Unpooled.directBuffer(length) : Unpooled.buffer(length);
            buf.writeBytes(b.stream);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            buf.release();
        }
    }

    /** Counts and consumes what the parser reports, like the session's handler. */
    static final class CountingHandler implements XmlStreamParser.Handler {
        private final Blackhole bh;
        int elements;
        boolean closed;

        CountingHandler(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void streamOpened(XmlElement header, String contentNamespace) {
            bh.consume(header);
        }

        @Override
        public void element(XmlElement element) {
            elements++;
            if (org.openzoep.xmpp.stanza.Stanza.isStanza(element)) {
                bh.consume(org.openzoep.xmpp.stanza.Stanza.of(element));
            } else {
                bh.consume(element);
            }
        }

        @Override
        public void streamClosed() {
            closed = true;
        }

        @Override
        public void failed(XmlViolation violation, String detail) {
            throw new IllegalStateException(violation + ": " + detail);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int openzoep(ZoepInput in, Blackhole bh) {
        CountingHandler h = new CountingHandler(bh);
        XmlStreamParser parser = new XmlStreamParser(XmlLimits.DEFAULT, h);
        ByteBuf buf = in.buf;
        int len = in.length;
        int step = in.chunk == 0 ? len : in.chunk;
        for (int off = 0; off < len; off += step) {
            // A window of the one buffer: what one channelRead would carry, without allocating.
            buf.setIndex(off, Math.min(len, off + step));
            parser.feed(buf);
        }
        buf.setIndex(0, len);
        if (h.elements != ELEMENTS || !h.closed) {
            throw new IllegalStateException("openzoep parsed " + h.elements + " elements, closed=" + h.closed);
        }
        return h.elements;
    }

    // ---------------- Smack 4.4 ----------------

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int smack(Blackhole bh) throws Exception {
        // XMPPTCPConnection.initReaderAndWriter(): bytes to chars, then Smack's pull parser.
        Reader reader = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(stream), "UTF-8"));
        XmlPullParser parser = PacketParserUtils.getParserFor(reader);
        int n = SmackReader.parsePackets(parser, bh);
        if (n != ELEMENTS) {
            throw new IllegalStateException("smack parsed " + n + " elements");
        }
        return n;
    }

    /**
     * Checks both parsers on the corpus once and prints what they produced (a smoke test). With
     * {@code openzoep|smack SECONDS} it instead loops that side for a while, for a profiler
     * attached outside JMH (JFR allocation sampling), bounded by the given time.
     */
    public static void main(String[] args) throws Exception {
        DecodeBenchmark b = new DecodeBenchmark();
        b.loadCorpus();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        if (args.length == 2) {
            ZoepInput in = new ZoepInput();
            in.buffer = System.getProperty("buffer", "direct");
            in.chunk = 4096;
            in.setUp(b);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Integer.parseInt(args[1]));
            long n = 0;
            while (System.nanoTime() < end) {
                n += "smack".equals(args[0]) ? b.smack(bh) : b.openzoep(in, bh);
            }
            in.tearDown();
            System.out.println(args[0] + ": " + n + " elements parsed");
            return;
        }
        for (String type : new String[] {"direct", "heap"}) {
            for (int chunk : new int[] {0, 4096, 1}) {
                ZoepInput in = new ZoepInput();
                in.buffer = type;
                in.chunk = chunk;
                in.setUp(b);
                System.out.println("openzoep " + type + " chunk " + chunk + ": " + b.openzoep(in, bh) + " elements");
                in.tearDown();
            }
        }
        System.out.println("smack: " + b.smack(bh) + " elements, StAX reader "
                + javax.xml.stream.XMLInputFactory.newInstance().createXMLStreamReader(new java.io.StringReader("<a/>"))
                        .getClass().getName());
        XmlPullParser p = PacketParserUtils.getParserFor(new String(b.stream, StandardCharsets.UTF_8));
        Stanza first = null;
        while (first == null) {
            if (p.next() == XmlPullParser.Event.START_ELEMENT && "message".equals(p.getName())) {
                first = PacketParserUtils.parseStanza(p, XmlEnvironment.EMPTY);
            }
        }
        System.out.println("smack first message: " + first.toXML());
        bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    }
}
