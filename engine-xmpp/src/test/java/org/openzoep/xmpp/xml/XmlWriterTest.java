package org.openzoep.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class XmlWriterTest {

    @Test
    void escapesTextAndAttributesAndReplacesCharactersXmlCannotCarry() {
        XmlElement e = XmlElement.builder("message", "jabber:client")
                .attr("to", "a'b\"c<d>&e\n")
                .attr(XmlElement.XML_NS, "lang", "en")
                .child(XmlElement.builder("body", "jabber:client").text("1 < 2 & 3 > 2 \u0001 \uD800 ok \uD83D\uDE00").build())
                .build();
        assertThat(e.toXml()).isEqualTo("<message xmlns='jabber:client' to='a&apos;b&quot;c&lt;d&gt;&amp;e&#10;' "
                + "xml:lang='en'><body>1 &lt; 2 &amp; 3 &gt; 2 \uFFFD \uFFFD ok \uD83D\uDE00</body></message>");
    }

    @Test
    void writesUtf8IntoByteBufAndDeclaresNamespacesOnlyWhereTheyChange() {
        XmlElement e = XmlElement.builder("iq", "jabber:client").attr("type", "get")
                .child(XmlElement.builder("query", "jabber:iq:roster").child(XmlElement.of("item", "jabber:iq:roster")).build())
                .child(XmlElement.builder("x", "urn:x").attr("urn:y", "k", "v").build())
                .build();
        ByteBuf out = Unpooled.buffer();
        try {
            XmlWriter.write(out, e, "jabber:client");
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("<iq type='get'><query xmlns='jabber:iq:roster'>"
                    + "<item/></query><x xmlns='urn:x' xmlns:a0='urn:y' a0:k='v'/></iq>");
        } finally {
            out.release();
        }
        String roundTrip = XmlStreamParser.parseElement(e.toXml(), "").toXml();
        assertThat(roundTrip).isEqualTo(e.toXml());
    }

    /**
     * Names are as Unicode as values in XML 1.0 (§2.3 NameStartChar/NameChar): element names,
     * attribute names, namespace prefixes and URIs written by the writer must parse back to the same
     * element, whichever way the bytes are split. (Aalto 1.3.3 refuses names with characters beyond
     * U+FFFF, which XML 1.0 5th edition allows; none are used here.)
     */
    @Test
    void nonAsciiNamesPrefixesAndValuesRoundTripThroughWriterAndParserAtEverySplit() {
        XmlElement parsed = XmlStreamParser.parseElement("<message to='j\u00fcrgen@\u4f8b\u3048.jp' type='chat'>"
                + "<donn\u00e9es xmlns='urn:x:\u00fcn\u00ef' xmlns:pr\u00e9fixe='urn:x:\u00e4ttr' cl\u00e9='v\u00e4lue' "
                + "pr\u00e9fixe:att\u00e4='\u03c9'><\u540d\u524d \u043a\u043b\u044e\u0447='\u0437\u043d\u0430\u0447\u0435\u043d\u0438\u0435'>"
                + "\u0442\u0435\u043a\u0441\u0442 \uD83D\uDE00</\u540d\u524d></donn\u00e9es>"
                + "<pr\u00e9:\u00e9l\u00e9ment xmlns:pr\u00e9='urn:x:pr\u00e9'/></message>", "jabber:client");
        XmlElement built = XmlElement.builder("\u00e9v\u00e9nement", "urn:x:\u00e9")
                .attr("\u00e4ttribut", "\u00fc")
                .attr("urn:x:\u00f6", "\u0394elta", "\u03b4")
                .child(XmlElement.builder("\u0391\u03bb\u03c6\u03b1", "urn:x:\u00e9").text("astral \uD835\uDC9C").build())
                .build();
        assertThat(parsed.child("donn\u00e9es", "urn:x:\u00fcn\u00ef").attr("urn:x:\u00e4ttr", "att\u00e4")).isEqualTo("\u03c9");
        List<XmlElement> elements = List.of(parsed, built);
        ByteBuf out = Unpooled.buffer();
        byte[] doc;
        try {
            out.writeBytes(XmlStreamParserTest.HEAD.getBytes(StandardCharsets.UTF_8));
            for (XmlElement e : elements) {
                XmlWriter.write(out, e, "jabber:client");
            }
            out.writeBytes("</stream:stream>".getBytes(StandardCharsets.UTF_8));
            doc = new byte[out.readableBytes()];
            out.readBytes(doc);
        } finally {
            out.release();
        }
        for (int i = 0; i < doc.length; i++) {
            XmlStreamParserTest.Recorder r = XmlStreamParserTest.parse(doc, i);
            assertThat(r.violation).as("split at %d", i).isNull();
            assertThat(r.elements()).as("split at %d", i).isEqualTo(elements);
        }
        // the application's XML API writes through the StringBuilder sink
        assertThat(XmlStreamParser.parseElement(built.toXml(), "")).isEqualTo(built);
        assertThat(XmlStreamParser.parseElement(parsed.toXml(), "")).isEqualTo(parsed);
    }
}
