package org.openzoep.xmpp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlWriter;

/**
 * The outbound end of the session pipeline: serializes what the stages write with the one
 * escaping {@link XmlWriter}, straight into a new {@code ByteBuf}. Accepts an {@link XmlElement}
 * (a stanza or a negotiation element, written as a child of the {@code jabber:client} stream,
 * RFC 6120 §4.8.3), a {@link StreamFrame.Open} (XML declaration and stream header, §4.7) and
 * {@link StreamFrame.Close} ({@code </stream:stream>}, §4.4). Anything else passes by untouched.
 *
 * <p>Limits: none; the stages only write what they built. Thread: any event loop; stateless and
 * shared by every pipeline ({@link #INSTANCE}).
 * Buffers: allocates each outgoing buffer and hands it to the next outbound stage (TLS, then the
 * socket), which takes ownership; on its own failure the encoder releases it (Netty's
 * {@link MessageToByteEncoder} contract) and fails the write's promise.
 */
@ChannelHandler.Sharable
final class StanzaEncoder extends MessageToByteEncoder<Object> {
    /** Stateless: one instance serves every pipeline. */
    static final StanzaEncoder INSTANCE = new StanzaEncoder();

    StanzaEncoder() {
        super(Object.class);
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof XmlElement || msg instanceof StreamFrame.Open || msg instanceof StreamFrame.Close;
    }

    /** Writes {@code msg} into {@code out} (borrowed: the superclass owns it and passes it on). */
    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        if (msg instanceof XmlElement e) {
            XmlWriter.write(out, e, Stanza.CLIENT_NS);
        } else if (msg instanceof StreamFrame.Open open) {
            XmlWriter.openStream(XmlWriter.sink(out), open.header(), open.contentNamespace());
        } else {
            XmlWriter.closeStream(XmlWriter.sink(out));
        }
    }

    /**
     * A buffer of the channel allocator's default kind (heap for XMPP channels, see {@link XmppClient}),
     * as the session always used; the superclass takes ownership of it.
     */
    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Object msg, boolean preferDirect) {
        return ctx.alloc().buffer(msg instanceof StreamFrame.Close ? 16 : 256);
    }
}
