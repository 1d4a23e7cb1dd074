package org.openzoep.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XmlStreamParserTest {

    /** Everything a parser reported, in order, as comparable strings and elements. */
    static final class Recorder implements XmlStreamParser.Handler {
        final List<Object> events = new ArrayList<>();
        XmlViolation violation;
        String detail;

        @Override
        public void streamOpened(XmlElement header, String contentNamespace) {
            events.add("open " + contentNamespace);
            events.add(header);
        }

        @Override
        public void element(XmlElement element) {
            events.add(element);
        }

        @Override
        public void streamClosed() {
            events.add("close");
        }

        @Override
        public void failed(XmlViolation v, String d) {
            events.add("failed " + v);
            violation = v;
            detail = d;
        }

        List<XmlElement> elements() {
            List<XmlElement> out = new ArrayList<>();
            for (int i = 2; i < events.size(); i++) {
                if (events.get(i) instanceof XmlElement e) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = XmlStreamParserTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    static Recorder parse(byte[] doc, int... splits) {
        return parse(32, doc, splits);
    }

    static Recorder parse(int renewAfter, byte[] doc, int... splits) {
        Recorder r = new Recorder();
        XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, r, renewAfter);
        int from = 0;
        for (int s : splits) {
            p.feed(doc, from, s - from);
            from = s;
        }
        p.feed(doc, from, doc.length - from);
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rfc6120-session.xml", "rfc6121-roster.xml"})
    void everySplitPointAndByteByByteGivesIdenticalEvents(String name) throws IOException {
        byte[] doc = fixture(name);
        Recorder whole = parse(doc);
        assertThat(whole.violation).isNull();
        assertThat(whole.events).last().isEqualTo("close");
        for (int i = 1; i < doc.length; i++) {
            assertThat(parse(doc, i).events).as("split at %d", i).isEqualTo(whole.events);
        }
        int[] all = new int[doc.length - 1];
        Arrays.setAll(all, i -> i + 1);
        assertThat(parse(doc, all).events).as("byte by byte").isEqualTo(whole.events);
        // renewing the reader after every stanza changes nothing either
        assertThat(parse(1, doc, all).events).as("byte by byte, renewing").isEqualTo(whole.events);
        for (int i = 1; i < doc.length; i += 7) {
            assertThat(parse(1, doc, i).events).as("split at %d, renewing", i).isEqualTo(whole.events);
        }
        assertThat(parse(1, doc).events).as("whole, renewing").isEqualTo(whole.events);
    }

    @Test
    void renewalKeepsLimitsAndErrorDetection() {
        Recorder r = new Recorder();
        XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, r, 1);
        StringBuilder doc = new StringBuilder(HEAD);
        for (int i = 0; i < 10; i++) {
            doc.append("<message id='m").append(i).append("'><body>").append(i).append("</body></message>");
        }
        p.feed(ByteBufFixtures.utf8(doc.toString()));
        for (int i = 0; i < 10; i++) {
            p.feed(ByteBufFixtures.utf8("<presence/>"));
        }
        assertThat(r.elements()).hasSize(20);
        assertThat(p.renewals()).isGreaterThanOrEqualTo(10);
        assertThat(r.elements().get(3).childText("body")).isEqualTo("3");
        p.feed(ByteBufFixtures.utf8("<message><!-- x --></message>"));
        assertThat(r.violation).isEqualTo(XmlViolation.RESTRICTED_XML);
        Recorder big = new Recorder();
        XmlStreamParser q = new XmlStreamParser(XmlLimits.DEFAULT, big, 1);
        q.feed(ByteBufFixtures.utf8(HEAD + "<presence/><presence/><message><body>"));
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        for (int i = 0; i < 10 && big.violation == null; i++) {
            q.feed(chunk, 0, chunk.length);
        }
        assertThat(big.violation).isEqualTo(XmlViolation.POLICY_VIOLATION);
    }

    @Test
    void renewalWorksForInputAtNonZeroOffsetsOfBothKinds() {
        Recorder r = new Recorder();
        XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, r, 1);
        p.feed(ByteBufFixtures.utf8(HEAD));
        byte[] stanza = "<message><body>hi \u00e9</body></message>".getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[stanza.length + 100];
        System.arraycopy(stanza, 0, padded, 37, stanza.length);
        for (int i = 0; i < 5; i++) {
            p.feed(padded, 37, stanza.length); // a heap array at an offset, like a pooled heap buffer
        }
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(padded.length);
        direct.put(padded).position(37).limit(37 + stanza.length);
        for (int i = 0; i < 5; i++) {
            p.feed(direct.duplicate()); // then a direct buffer at a position
        }
        // a stanza that starts in a heap array and ends in a direct buffer
        p.feed(padded, 37, 10);
        p.feed(direct.duplicate().position(47));
        assertThat(r.violation).isNull();
        assertThat(r.elements()).hasSize(11).allSatisfy(e -> assertThat(e.childText("body")).isEqualTo("hi \u00e9"));
        assertThat(p.renewals()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void aHugeStanzaInOneArrayIsRefusedToo() {
        Recorder r = new Recorder();
        XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, r);
        byte[] doc = (HEAD + "<message><body>" + "a".repeat(1024 * 1024) + "</body></message>").getBytes(StandardCharsets.UTF_8);
        p.feed(doc, 0, doc.length);
        assertThat(r.violation).isEqualTo(XmlViolation.POLICY_VIOLATION);
        assertThat(r.elements()).isEmpty();
    }

    @Test
    void rfc6120FixtureContent() throws IOException {
        Recorder r = parse(fixture("rfc6120-session.xml"));
        List<XmlElement> els = r.elements();
        assertThat(els).hasSize(10);
        assertThat(els.get(0).is("features", XmlWriter.STREAM_NS)).isTrue();
        assertThat(els.get(0).child("starttls", "urn:ietf:params:xml:ns:xmpp-tls").child("required",
                "urn:ietf:params:xml:ns:xmpp-tls")).isNotNull();
        XmlElement presence = els.get(7);
        assertThat(presence.is("presence", "jabber:client")).isTrue();
        assertThat(presence.attr(XmlElement.XML_NS, "lang")).isEqualTo("en");
        XmlElement czech = presence.elements().get(2);
        assertThat(czech.attr(XmlElement.XML_NS, "lang")).isEqualTo("cs");
        assertThat(czech.text()).isEqualTo("Dvořím se Julii");
        XmlElement error = els.get(8).child("error", "jabber:client");
        assertThat(error.child("text", "urn:ietf:params:xml:ns:xmpp-stanzas").text())
                .isEqualTo("Sorry, I'm not here & <busy>");
        assertThat(r.events.get(0)).isEqualTo("open jabber:client");
        assertThat(((XmlElement) r.events.get(1)).attr("id")).isEqualTo("t7AMCin9zjMNwQKDnplntZPIDEI=");
    }

    @Test
    void unknownExtensionsAndCdataAreKept() throws IOException {
        List<XmlElement> els = parse(fixture("rfc6121-roster.xml")).elements();
        XmlElement x = els.get(4).child("x", "urn:example:unknown");
        assertThat(x.attr("a")).isEqualTo("1");
        assertThat(x.child("y", "urn:example:unknown").text()).isEqualTo("kept");
        assertThat(x.text()).isEqualTo("<raw> & data");
    }

    @Test
    void writerOutputParsesBackToTheSameElements() throws IOException {
        for (String name : List.of("rfc6120-session.xml", "rfc6121-roster.xml")) {
            List<XmlElement> els = parse(fixture(name)).elements();
            ByteBuf out = Unpooled.buffer();
            try {
                out.writeBytes("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                        .getBytes(StandardCharsets.UTF_8));
                for (XmlElement e : els) {
                    XmlWriter.write(out, e, "jabber:client");
                }
                out.writeBytes("</stream:stream>".getBytes(StandardCharsets.UTF_8));
                Recorder r = new Recorder();
                new XmlStreamParser(XmlLimits.DEFAULT, r).feed(out);
                assertThat(r.violation).isNull();
                assertThat(r.elements()).isEqualTo(els);
            } finally {
                out.release();
            }
        }
    }

    @Test
    void feedsCompositeBuffersAtNonZeroOffsetsAndAdvancesTheReaderIndex() throws IOException {
        byte[] doc = fixture("rfc6121-roster.xml");
        CompositeByteBuf comp = Unpooled.compositeBuffer();
        int third = doc.length / 3;
        ByteBuf a = Unpooled.buffer(third + 7).writeZero(7).writeBytes(doc, 0, third);
        a.skipBytes(7);
        comp.addComponents(true, a, Unpooled.wrappedBuffer(doc, third, third),
                Unpooled.copiedBuffer(doc, 2 * third, doc.length - 2 * third));
        Recorder r = new Recorder();
        try {
            new XmlStreamParser(XmlLimits.DEFAULT, r).feed(comp);
            assertThat(comp.readableBytes()).isZero();
        } finally {
            comp.release();
        }
        assertThat(r.events).isEqualTo(parse(doc).events);
    }

    static final String HEAD = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";

    static XmlViolation violationOf(String doc) {
        return parse(doc.getBytes(StandardCharsets.UTF_8)).violation;
    }

    @Test
    void restrictedXmlIsRefused() {
        assertThat(violationOf("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;'>]>"
                + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><message>&lol2;</message>"))
                .isEqualTo(XmlViolation.RESTRICTED_XML);
        assertThat(violationOf(HEAD + "<message><body>&xxe;</body></message>")).isEqualTo(XmlViolation.RESTRICTED_XML);
        assertThat(violationOf(HEAD + "<!-- hello --><message/>")).isEqualTo(XmlViolation.RESTRICTED_XML);
        assertThat(violationOf(HEAD + "<message><?php evil ?></message>")).isEqualTo(XmlViolation.RESTRICTED_XML);
        assertThat(violationOf(HEAD + "<message><body>&amp;&lt;&gt;&apos;&quot;&#65;</body></message>")).isNull();
    }

    @Test
    void badUtf8IsNotWellFormed() {
        byte[] head = HEAD.getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'<', 'm', '>', (byte) 0xC3, (byte) 0x28, '<', '/', 'm', '>'};
        byte[] doc = Arrays.copyOf(head, head.length + bad.length);
        System.arraycopy(bad, 0, doc, head.length, bad.length);
        assertThat(parse(doc).violation).isEqualTo(XmlViolation.NOT_WELL_FORMED);
        byte[] overlong = {'<', 'm', '>', (byte) 0xC0, (byte) 0xAF, '<', '/', 'm', '>'};
        System.arraycopy(overlong, 0, doc, head.length, overlong.length);
        assertThat(parse(doc).violation).isEqualTo(XmlViolation.NOT_WELL_FORMED);
        byte[] surrogate = {'<', 'm', '>', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '<', '/', 'm'};
        System.arraycopy(surrogate, 0, doc, head.length, surrogate.length);
        assertThat(parse(doc).violation).isEqualTo(XmlViolation.NOT_WELL_FORMED);
        // split inside a valid multi-byte sequence is fine
        byte[] ok = (HEAD + "<m>\u0159\uD83D\uDE00</m>").getBytes(StandardCharsets.UTF_8);
        for (int i = 1; i < ok.length; i++) {
            assertThat(parse(ok, i).violation).isNull();
        }
    }

    @Test
    void otherEncodingsWrongRootsAndStrayTextAreRefused() {
        assertThat(violationOf("<?xml version='1.0' encoding='ISO-8859-1'?><stream:stream "
                + "xmlns:stream='http://etherx.jabber.org/streams'>")).isEqualTo(XmlViolation.UNSUPPORTED_ENCODING);
        assertThat(violationOf("<html xmlns='jabber:client'>")).isEqualTo(XmlViolation.INVALID_NAMESPACE);
        assertThat(violationOf(HEAD + "hello<message/>")).isEqualTo(XmlViolation.BAD_FORMAT);
        assertThat(violationOf(HEAD + "<message></iq> ")).isEqualTo(XmlViolation.NOT_WELL_FORMED);
        assertThat(violationOf(HEAD + "  \n <message/>  ")).isNull();
    }

    @Test
    void hugeStanzaIsStoppedEarlyWithoutBufferingIt() {
        Recorder r = new Recorder();
        XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, r);
        p.feed(ByteBufFixtures.utf8(HEAD + "<message><body>"));
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        long fed = 0;
        while (r.violation == null && fed < 10L * 1024 * 1024) {
            p.feed(chunk, 0, chunk.length);
            fed += chunk.length;
        }
        assertThat(r.violation).isEqualTo(XmlViolation.POLICY_VIOLATION);
        assertThat(fed).isLessThanOrEqualTo(XmlLimits.DEFAULT.maxStanzaBytes() + chunk.length);
        assertThat(p.feed(chunk, 0, chunk.length)).isFalse();
    }

    @Test
    void deepNestingManyAttributesAndLongTextAreRefused() {
        assertThat(violationOf(HEAD + "<a>".repeat(10_000))).isEqualTo(XmlViolation.POLICY_VIOLATION);
        StringBuilder attrs = new StringBuilder("<message");
        for (int i = 0; i < 100; i++) {
            attrs.append(" a").append(i).append("='x'");
        }
        assertThat(violationOf(HEAD + attrs + "/>")).isEqualTo(XmlViolation.POLICY_VIOLATION);
        XmlLimits small = new XmlLimits(256 * 1024, 32, 64, 1000);
        Recorder r = new Recorder();
        new XmlStreamParser(small, r).feed(ByteBufFixtures.utf8(HEAD + "<m><b>" + "x".repeat(1001) + "</b></m>"));
        assertThat(r.violation).isEqualTo(XmlViolation.POLICY_VIOLATION);
    }

    @Test
    void restartFromInsideAHandlerStartsANewDocument() {
        List<String> seen = new ArrayList<>();
        XmlStreamParser[] holder = new XmlStreamParser[1];
        holder[0] = new XmlStreamParser(XmlLimits.DEFAULT, new XmlStreamParser.Handler() {
            @Override
            public void streamOpened(XmlElement header, String ns) {
                seen.add("open " + header.attr("id"));
            }

            @Override
            public void element(XmlElement e) {
                seen.add(e.name());
                if (e.name().equals("proceed")) {
                    holder[0].restart();
                }
            }

            @Override
            public void streamClosed() {
                seen.add("close");
            }

            @Override
            public void failed(XmlViolation v, String d) {
                seen.add("failed " + v + " " + d);
            }
        });
        holder[0].feed(ByteBufFixtures.utf8(HEAD.replace(" version='1.0'>", " id='1' version='1.0'>")
                + "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"));
        holder[0].feed(ByteBufFixtures.utf8(HEAD.replace(" version='1.0'>", " id='2' version='1.0'>") + "<message/></stream:stream>"));
        assertThat(seen).containsExactly("open 1", "proceed", "open 2", "message", "close");
    }

    @Test
    void parseElementHelper() {
        XmlElement e = XmlStreamParser.parseElement("<iq type='get' id='1'><query xmlns='jabber:iq:auth'/></iq>",
                "jabber:client");
        assertThat(e.attr("type")).isEqualTo("get");
        assertThat(e.child("query", "jabber:iq:auth")).isNotNull();
    }

    /**
     * Found by the {@code xml} fuzz target (its corpus keeps the input): invalid UTF-8 used to be
     * checked over a whole read before the reader saw any of it, so the stanzas before the bad byte
     * in the same read were lost, and a stream closed just before it ended as not-well-formed.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void whatPrecedesInvalidUtf8InTheSameReadIsParsed(boolean direct) {
        byte[] bad = {(byte) 0xFE, (byte) 0xFF};
        Recorder r = new Recorder();
        feedOnce(new XmlStreamParser(XmlLimits.DEFAULT, r), concat((HEAD + "<message/>").getBytes(StandardCharsets.UTF_8), bad), direct);
        assertThat(r.events).hasSize(4).startsWith("open jabber:client");
        assertThat(r.events.subList(2, 4)).containsExactly(XmlElement.of("message", "jabber:client"),
                "failed " + XmlViolation.NOT_WELL_FORMED);
        assertThat(r.detail).isEqualTo("invalid UTF-8");

        Recorder closed = new Recorder();
        feedOnce(new XmlStreamParser(XmlLimits.DEFAULT, closed),
                concat((HEAD + "<message/></stream:stream>").getBytes(StandardCharsets.UTF_8), bad), direct);
        assertThat(closed.events).hasSize(4).startsWith("open jabber:client");
        assertThat(closed.events.subList(2, 4)).containsExactly(XmlElement.of("message", "jabber:client"), "close");
    }

    private static void feedOnce(XmlStreamParser p, byte[] bytes, boolean direct) {
        ByteBuf buf = direct ? Unpooled.directBuffer(bytes.length).writeBytes(bytes) : Unpooled.wrappedBuffer(bytes);
        try {
            p.feed(buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
