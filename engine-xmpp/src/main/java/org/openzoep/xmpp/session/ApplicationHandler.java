package org.openzoep.xmpp.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * The application's end of the pipeline. Inbound, it hands what no stage consumed to the
 * {@link XmppSessionListener} on the session's serial executor, never on the event loop: stanzas
 * to {@link XmppSessionListener#onStanza} and unanswered requests to
 * {@link XmppSessionListener#onIqRequest}, only while the session is online. Outbound, it writes
 * the application's stanzas ({@link XmppSession#send}) from the tail, through every stage. An
 * exception that reaches it, from any stage or from TLS and the socket, goes to the
 * {@link StreamLifecycleHandler}, which ends the stream with the matching failure.
 *
 * <p>Limits: outbound, the application's stanzas are refused ({@link XmppException.Kind#QUEUE_FULL})
 * while the channel is not writable, i.e. while more than the configured high-water mark waits for
 * the socket, and {@link XmppSession} bounds how many are in flight; inbound, none (the executor
 * queues callbacks). Thread: the channel's event loop. Buffers: none
 * arrive here in a healthy pipeline; anything unexpected is released.
 */
final class ApplicationHandler extends ChannelInboundHandlerAdapter {

    /** An iq get or set that no stage answered, for {@link XmppSessionListener#onIqRequest}. */
    record IqRequest(Stanza iq) {
    }

    private final SessionContext session;
    private final StreamLifecycleHandler lifecycle;
    private ChannelHandlerContext ctx;

    ApplicationHandler(SessionContext session, StreamLifecycleHandler lifecycle) {
        this.session = session;
        this.lifecycle = lifecycle;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!session.online()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        XmppSession s = session.session();
        XmppSessionListener listener = session.listener;
        if (msg instanceof IqRequest r) {
            session.callbacks.execute(() -> listener.onIqRequest(s, r.iq()));
        } else if (msg instanceof Stanza stanza) {
            session.callbacks.execute(() -> listener.onStanza(s, stanza));
        } else {
            if (msg instanceof XmlElement) {
                session.drop(); // a top-level element that is no stanza (RFC 6120 §8)
            }
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        lifecycle.failed(cause);
    }

    /**
     * Sends {@code stanza}, whose place {@link XmppSession#send} reserved; {@code done} completes on
     * the serial executor once it is written. When the channel is not writable (past the high-water
     * mark: the server is not reading) the stanza is refused, unsent, with
     * {@link XmppException.Kind#QUEUE_FULL}, so what waits for the socket stays bounded.
     */
    void send(Stanza stanza, CompletableFuture<Void> done) {
        XmppException refused = session.refuseWrite(ctx.channel());
        if (refused != null) {
            session.callbacks.execute(() -> done.completeExceptionally(refused));
            return;
        }
        ctx.writeAndFlush(stanza.element()).addListener(w -> {
            session.releaseSend();
            if (w.isSuccess()) {
                session.callbacks.execute(() -> done.complete(null));
            } else {
                XmppException ex = XmppException.of(XmppException.Kind.CLOSED, "write failed: " + w.cause(), w.cause());
                session.callbacks.execute(() -> done.completeExceptionally(ex));
            }
        });
    }
}
