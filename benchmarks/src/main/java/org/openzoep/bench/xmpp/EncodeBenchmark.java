package org.openzoep.bench.xmpp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlStreamParser;
import org.openzoep.xmpp.xml.XmlWriter;

/**
 * Stanza encode: the corpus's 200 stanzas, parsed once in setup by each library, serialized again
 * per invocation. OpenZoep: {@link XmlWriter#write(ByteBuf, XmlElement, String)} into a buffer
 * from Netty's pooled allocator (as the session's {@code StanzaEncoder} does with {@code ctx.alloc()}),
 * then released as the socket write would. Smack 4.4: {@code PacketWriter.writePackets()}'s path,
 * {@code toXML(outgoingStreamXmlEnvironment)} and {@code XmlStringBuilder.write(Writer, env)}
 * into {@code BufferedWriter(OutputStreamWriter(UTF-8))}, flushed per stanza (the writer flushes
 * whenever its queue is empty), into an output stream that only counts bytes. Score per stanza.
 *
 * <p>Thread: each state is confined to its benchmark thread. Buffers: each pooled buffer is
 * allocated and released inside the invocation.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class EncodeBenchmark {

    static final int STANZAS = 10 * XmppCorpus.ROUNDS;

    private XmlElement[] zoep;
    private Stanza[] smack;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final XmlEnvironment outgoing = XmlEnvironment.builder().withNamespace("jabber:client").build();
    private CountingStream socket;
    private Writer writer;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        List<String> stanzas = new XmppCorpus().stanzas();
        if (stanzas.size() != STANZAS) {
            throw new IllegalStateException("corpus has " + stanzas.size() + " stanzas, expected " + STANZAS);
        }
        zoep = new XmlElement[STANZAS];
        smack = new Stanza[STANZAS];
        for (int i = 0; i < STANZAS; i++) {
            zoep[i] = XmlStreamParser.parseElement(stanzas.get(i), "jabber:client");
            // Alone, a stanza needs the content namespace that the stream element declared.
            String s = stanzas.get(i);
            int name = s.indexOf(' ');
            smack[i] = PacketParserUtils.parseStanza(s.substring(0, name) + " xmlns='jabber:client'" + s.substring(name));
        }
        socket = new CountingStream();
        writer = new BufferedWriter(new OutputStreamWriter(socket, StandardCharsets.UTF_8));
    }

    @Benchmark
    @OperationsPerInvocation(STANZAS)
    public long openzoep(Blackhole bh) {
        long bytes = 0;
        for (XmlElement e : zoep) {
            ByteBuf out = alloc.buffer(256);
            try {
                XmlWriter.write(out, e, "jabber:client");
                bytes += out.readableBytes();
                bh.consume(out);
            } finally {
                out.release();
            }
        }
        return bytes;
    }

    @Benchmark
    @OperationsPerInvocation(STANZAS)
    public long smack() throws Exception {
        long before = socket.count;
        for (Stanza s : smack) {
            CharSequence xml = s.toXML(outgoing);
            if (xml instanceof XmlStringBuilder) {
                ((XmlStringBuilder) xml).write(writer, outgoing);
            } else {
                writer.write(xml.toString());
            }
            writer.flush();
        }
        return socket.count - before;
    }

    /** The socket's stand-in: counts and drops. */
    static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** Prints both encodings' byte totals once (a smoke test). */
    public static void main(String[] args) throws Exception {
        EncodeBenchmark b = new EncodeBenchmark();
        b.setUp();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        System.out.println("openzoep bytes: " + b.openzoep(bh) + ", smack bytes: " + b.smack());
        ByteBuf one = b.alloc.buffer();
        XmlWriter.write(one, b.zoep[0], "jabber:client");
        System.out.println("openzoep first: " + one.toString(StandardCharsets.UTF_8));
        one.release();
        bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    }
}
