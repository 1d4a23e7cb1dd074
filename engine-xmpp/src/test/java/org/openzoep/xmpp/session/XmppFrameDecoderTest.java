package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlLimits;
import org.openzoep.xmpp.xml.XmlViolation;
import org.openzoep.xmpp.xml.XmlWriter;

/** {@link XmppFrameDecoder} on an {@link EmbeddedChannel}: bytes in, stream frames and elements out. */
class XmppFrameDecoderTest {

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = XmppFrameDecoderTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    static List<Object> frames(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    /** A short, comparable description of each frame. */
    static List<String> describe(List<Object> frames) {
        List<String> out = new ArrayList<>();
        for (Object f : frames) {
            if (f instanceof XmlElement e) {
                StringBuilder sb = new StringBuilder();
                XmlWriter.write(XmlWriter.sink(sb), e, "jabber:client");
                out.add(sb.toString());
            } else {
                out.add(f.toString());
            }
        }
        return out;
    }

    static ByteBuf bytes(byte[] b, int from, int to) {
        return Unpooled.copiedBuffer(b, from, to - from);
    }

    @Test
    void theRfc6120SessionBecomesHeaderElementsAndClose() throws IOException {
        byte[] session = fixture("rfc6120-session.xml");
        EmbeddedChannel ch = new EmbeddedChannel(new XmppFrameDecoder(XmlLimits.DEFAULT));
        ByteBuf in = Unpooled.wrappedBuffer(session);
        ch.writeInbound(in);
        assertThat(in.refCnt()).as("the decoder releases what it read").isZero();
        List<Object> frames = frames(ch);
        assertThat(frames).hasSize(12);
        StreamFrame.Open open = (StreamFrame.Open) frames.get(0);
        assertThat(open.contentNamespace()).isEqualTo("jabber:client");
        assertThat(open.header().attr("id")).isEqualTo("t7AMCin9zjMNwQKDnplntZPIDEI=");
        assertThat(((XmlElement) frames.get(1)).is("features", XmlWriter.STREAM_NS)).isTrue();
        assertThat(((XmlElement) frames.get(7)).name()).isEqualTo("message");
        assertThat(((XmlElement) frames.get(10)).child("ping", "urn:xmpp:ping")).isNotNull();
        assertThat(frames.get(11)).isEqualTo(StreamFrame.CLOSE);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void theRfc6120SessionSplitAtEveryByteGivesTheSameFrames() throws IOException {
        byte[] session = fixture("rfc6120-session.xml");
        EmbeddedChannel whole = new EmbeddedChannel(new XmppFrameDecoder(XmlLimits.DEFAULT));
        whole.writeInbound(Unpooled.wrappedBuffer(session));
        List<String> expected = describe(frames(whole));
        assertThat(whole.finish()).isFalse();
        for (int cut = 1; cut < session.length; cut++) {
            EmbeddedChannel ch = new EmbeddedChannel(new XmppFrameDecoder(XmlLimits.DEFAULT));
            ch.writeInbound(bytes(session, 0, cut));
            ch.writeInbound(bytes(session, cut, session.length));
            assertThat(describe(frames(ch))).as("split at %d", cut).isEqualTo(expected);
            assertThat(ch.finish()).isFalse();
        }
    }

    @Test
    void restrictedXmlIsOneViolationAndNothingAfterIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new XmppFrameDecoder(XmlLimits.DEFAULT));
        ch.writeInbound(Unpooled.copiedBuffer(XmppPipelineTest.SERVER_HEADER + "<!-- hi --><message/>",
                StandardCharsets.UTF_8));
        ch.writeInbound(Unpooled.copiedBuffer("<message/>", StandardCharsets.UTF_8));
        List<Object> frames = frames(ch);
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0)).isInstanceOf(StreamFrame.Open.class);
        assertThat(((StreamFrame.Violation) frames.get(1)).violation()).isEqualTo(XmlViolation.RESTRICTED_XML);
        assertThat(ch.finish()).isFalse();
    }

    /** The byte limit holds to within the 16 KiB pieces the parser hands Aalto ({@link XmlLimits}). */
    @Test
    void aStanzaOverTheByteLimitIsAPolicyViolation() {
        EmbeddedChannel ch = new EmbeddedChannel(new XmppFrameDecoder(new XmlLimits(1024, 32, 64, 128 * 1024)));
        ch.writeInbound(Unpooled.copiedBuffer(XmppPipelineTest.SERVER_HEADER + "<message><body>" + "a".repeat(40_000)
                + "</body></message>", StandardCharsets.UTF_8));
        List<Object> frames = frames(ch);
        assertThat(frames).hasSize(2);
        assertThat(((StreamFrame.Violation) frames.get(1)).violation()).isEqualTo(XmlViolation.POLICY_VIOLATION);
        assertThat(ch.finish()).isFalse();
    }

    /** A later stage restarts the stream on {@code <proceed/>}, from inside the decoder's read, as the negotiator does. */
    @Test
    void aRestartFromALaterStageStartsANewDocument() {
        XmppFrameDecoder decoder = new XmppFrameDecoder(XmlLimits.DEFAULT);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof XmlElement e && e.name().equals("proceed")) {
                    decoder.restart();
                }
                ctx.fireChannelRead(msg);
            }
        });
        ch.writeInbound(Unpooled.copiedBuffer(XmppPipelineTest.SERVER_HEADER
                + "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", StandardCharsets.UTF_8));
        ch.writeInbound(Unpooled.copiedBuffer(XmppPipelineTest.SERVER_HEADER.replace("s1", "s2")
                + "<stream:features/>", StandardCharsets.UTF_8));
        List<Object> frames = frames(ch);
        assertThat(frames).hasSize(4);
        assertThat(((StreamFrame.Open) frames.get(2)).header().attr("id")).isEqualTo("s2");
        assertThat(((XmlElement) frames.get(3)).name()).isEqualTo("features");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void otherMessagesPassThrough() {
        EmbeddedChannel ch = new EmbeddedChannel(new XmppFrameDecoder(XmlLimits.DEFAULT));
        ch.writeInbound("not bytes");
        assertThat(ch.<Object>readInbound()).isEqualTo("not bytes");
        assertThat(ch.finish()).isFalse();
    }
}
