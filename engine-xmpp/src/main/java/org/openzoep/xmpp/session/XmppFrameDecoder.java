package org.openzoep.xmpp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlLimits;
import org.openzoep.xmpp.xml.XmlStreamParser;
import org.openzoep.xmpp.xml.XmlViolation;

/**
 * First stage after TLS: turns the server's bytes into the frames of its XML stream (RFC 6120 §4,
 * §11). Each inbound {@link ByteBuf} is fed to one {@link XmlStreamParser} (Aalto, fed from the
 * buffer's own array or NIO view, drained in the same call) and every event is passed on at once:
 * {@link StreamFrame.Open} for a stream header, an {@link XmlElement} for each complete top-level
 * element, {@link StreamFrame.Close} for {@code </stream:stream>}, and one
 * {@link StreamFrame.Violation} if the input breaks restricted XML or the {@link XmlLimits}, after
 * which the rest of the stream is ignored.
 *
 * <p>Frames go on from inside the parse, not after it, so that a later stage may call
 * {@link #restart()} (after STARTTLS {@code <proceed/>} or SASL {@code <success/>}) before the
 * parser reads on; RFC 6120 §4.3.3 guarantees that no bytes of the old stream follow those.
 *
 * <p>Limits: those of {@link XmlLimits}, enforced as bytes arrive. Thread: the channel's event
 * loop. Buffers: takes ownership of each inbound {@code ByteBuf} and releases it once parsed
 * (the parser only borrows it and keeps nothing); what it passes on holds no buffers.
 */
final class XmppFrameDecoder extends ChannelInboundHandlerAdapter implements XmlStreamParser.Handler {
    private final XmlStreamParser parser;
    private ChannelHandlerContext ctx;

    XmppFrameDecoder(XmlLimits limits) {
        this.parser = new XmlStreamParser(limits, this);
    }

    /** Starts a new XML document on the same bytes (RFC 6120 §4.3.3); callable from a later stage's read. */
    void restart() {
        parser.restart();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Parses {@code msg} if it is a {@code ByteBuf} (takes ownership, releases it), else passes it on. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            parser.feed(buf);
        } finally {
            buf.release();
        }
    }

    @Override
    public void streamOpened(XmlElement header, String contentNamespace) {
        ctx.fireChannelRead(new StreamFrame.Open(header, contentNamespace));
    }

    @Override
    public void element(XmlElement element) {
        ctx.fireChannelRead(element);
    }

    @Override
    public void streamClosed() {
        ctx.fireChannelRead(StreamFrame.CLOSE);
    }

    @Override
    public void failed(XmlViolation violation, String detail) {
        ctx.fireChannelRead(new StreamFrame.Violation(violation, detail));
    }
}
