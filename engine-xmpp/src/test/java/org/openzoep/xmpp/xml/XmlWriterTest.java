package org.openzoep.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
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
}
