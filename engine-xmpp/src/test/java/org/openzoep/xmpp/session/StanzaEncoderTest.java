package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlWriter;

/** {@link StanzaEncoder} on an {@link EmbeddedChannel}: elements and stream frames out as UTF-8. */
class StanzaEncoderTest {

    static String encode(Object msg) {
        EmbeddedChannel ch = new EmbeddedChannel(new StanzaEncoder());
        assertThat(ch.writeOutbound(msg)).isTrue();
        ByteBuf b = ch.readOutbound();
        assertThat(ch.finish()).isFalse();
        return StageKit.utf8(b);
    }

    @Test
    void aStanzaIsWrittenInTheClientNamespaceAndEscaped() {
        Stanza m = Stanza.message().to("romeo@example.net").id("m1")
                .child(XmlElement.builder("body", Stanza.CLIENT_NS).text("a < b & 'c'").build()).build();
        assertThat(encode(m.element())).isEqualTo("<message to='romeo@example.net' id='m1'><body>a &lt; b &amp; 'c'</body></message>");
    }

    @Test
    void aNegotiationElementDeclaresItsNamespace() {
        assertThat(encode(XmlElement.of("starttls", "urn:ietf:params:xml:ns:xmpp-tls")))
                .isEqualTo("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    }

    @Test
    void theStreamHeaderAndTheCloseGoThroughTheEncoder() {
        XmlElement header = XmlElement.builder("stream", XmlWriter.STREAM_NS).attr("to", "localhost")
                .attr("version", "1.0").build();
        assertThat(encode(new StreamFrame.Open(header, Stanza.CLIENT_NS))).isEqualTo("<?xml version='1.0' encoding='UTF-8'?>"
                + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>");
        assertThat(encode(StreamFrame.CLOSE)).isEqualTo("</stream:stream>");
    }

    @Test
    void aStreamErrorUsesTheStreamPrefix() {
        XmlElement err = new org.openzoep.xmpp.stanza.StreamError("policy-violation", null).toElement();
        assertThat(encode(err)).isEqualTo("<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
    }

    @Test
    void otherMessagesPassUntouched() {
        EmbeddedChannel ch = new EmbeddedChannel(new StanzaEncoder());
        ch.writeOutbound("not xml");
        assertThat(ch.<Object>readOutbound()).isEqualTo("not xml");
        assertThat(ch.finish()).isFalse();
    }
}
