package org.openzoep.xmpp.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StreamError;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edges of the XML stream and every way it ends (RFC 6120 §4): checks the server's stream
 * header (§4.7: {@code jabber:client}, version 1.x); turns the server's {@code <stream:error/>}
 * into a typed {@link XmppException} (§4.9); answers XML the decoder refused, or a bad header,
 * with our own stream error and a lingering close (§4.9.1.1); answers the server's
 * {@code </stream:stream>} with ours (§4.4); closes gracefully for {@link XmppSession#close}
 * (ours, then the connection within 3 s); aborts for the other stages (a login that fails, a dead
 * keepalive) and for exceptions ({@link #failed}: certificate, TLS or connection). When the channel
 * goes inactive it settles the ending: the stages after it fail what they hold first, then the
 * login future fails or {@link XmppSessionListener#onClosed} is called, then the close waiters.
 *
 * <p>It consumes {@link StreamFrame}s and stream errors and passes every other element on.
 *
 * <p>Limits: one close timer. Thread: the channel's event loop; completions go to the serial
 * executor. Buffers: none; it writes {@link XmlElement}s and {@link StreamFrame}s for the
 * {@link StanzaEncoder}.
 */
final class StreamLifecycleHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamLifecycleHandler.class);

    private final SessionContext session;
    private final CompletableFuture<XmppSession> login;
    private final List<CompletableFuture<Void>> closeWaiters = new ArrayList<>(1);
    private ChannelHandlerContext ctx;
    private XmppException failure;

    StreamLifecycleHandler(SessionContext session, CompletableFuture<XmppSession> login) {
        this.session = session;
        this.login = login;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof StreamFrame.Open open) {
            streamOpened(open);
        } else if (msg instanceof StreamFrame.Close) {
            streamClosed();
        } else if (msg instanceof StreamFrame.Violation v) {
            streamFailure(new StreamError(v.violation().condition(), v.detail()));
        } else if (msg instanceof XmlElement e && e.is("error", XmlWriter.STREAM_NS)) {
            fail(XmppException.stream(StreamError.from(e), false));
            writeClose();
            ctx.close();
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void streamOpened(StreamFrame.Open open) {
        if (!Stanza.CLIENT_NS.equals(open.contentNamespace())) {
            streamFailure(new StreamError("invalid-namespace", "content namespace must be jabber:client"));
            return;
        }
        session.streamId(open.header().attr("id"));
        String version = open.header().attr("version");
        if (version == null || !version.startsWith("1.")) {
            streamFailure(new StreamError("unsupported-version", "stream version 1.0 is required"));
        }
    }

    private void streamClosed() {
        if (session.state() != NegotiationState.CLOSING) {
            if (failure == null) {
                fail(XmppException.of(XmppException.Kind.CLOSED, "server closed the stream"));
            }
            writeClose();
        }
        ctx.close();
    }

    /**
     * The stages after this one learn of the end first (pending iqs fail with the end cause), then
     * the login future or {@link XmppSessionListener#onClosed}, then {@link XmppSession#close}'s waiters.
     */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        NegotiationState was = session.state();
        session.state(NegotiationState.CLOSED);
        XmppException cause = failure;
        if (cause == null && was != NegotiationState.CLOSING) {
            cause = XmppException.of(XmppException.Kind.CLOSED, "connection closed by the server");
        }
        XmppException pendingCause = cause != null ? cause
                : XmppException.of(XmppException.Kind.CLOSED, "session closed");
        session.endCause(pendingCause);
        ctx.fireChannelInactive();
        if (!session.wentOnline()) {
            session.callbacks.execute(() -> login.completeExceptionally(pendingCause));
        } else {
            XmppException c = cause;
            XmppSession s = session.session();
            session.callbacks.execute(() -> session.listener.onClosed(s, c));
        }
        for (CompletableFuture<Void> w : closeWaiters) {
            session.callbacks.execute(() -> w.complete(null));
        }
        closeWaiters.clear();
    }

    /** An exception anywhere in the pipeline (delivered by {@link ApplicationHandler}): ends the stream. */
    void failed(Throwable cause) {
        LOG.debug("session {}: exception", session.config.jid(), cause);
        CertificateException bad = certificateProblem(cause);
        if (bad != null) {
            abort(XmppException.of(XmppException.Kind.CERTIFICATE_REJECTED,
                    "server certificate refused: " + bad.getMessage(), cause));
        } else if (sslProblem(cause) || session.state() == NegotiationState.STARTTLS || !handshaken()) {
            abort(XmppException.of(XmppException.Kind.TLS_FAILED, "TLS failed: " + cause.getMessage(), cause));
        } else {
            abort(XmppException.of(XmppException.Kind.CLOSED, "connection failed: " + cause.getMessage(), cause));
        }
    }

    private boolean handshaken() {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        return ssl == null || ssl.handshakeFuture().isSuccess();
    }

    private static boolean sslProblem(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static CertificateException certificateProblem(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CertificateException ce) {
                return ce;
            }
        }
        return null;
    }

    /** {@link XmppSession#close}: our {@code </stream:stream>}, then the connection within 3 s. */
    void closeGracefully(CompletableFuture<Void> done) {
        NegotiationState state = session.state();
        if (state == NegotiationState.CLOSED) {
            session.callbacks.execute(() -> done.complete(null));
            return;
        }
        closeWaiters.add(done);
        if (state == NegotiationState.CLOSING) {
            return;
        }
        session.state(NegotiationState.CLOSING);
        if (state != NegotiationState.CONNECTING && ctx.channel().isActive()) {
            writeClose();
            ctx.executor().schedule(() -> {
                ctx.close();
            }, 3, TimeUnit.SECONDS);
        } else {
            ctx.close();
        }
    }

    /** Gives up: records why, closes the stream if one is open, and closes the connection. */
    void abort(XmppException cause) {
        NegotiationState state = session.state();
        if (state == NegotiationState.CLOSED) {
            return;
        }
        fail(cause);
        session.state(NegotiationState.CLOSING);
        // After <starttls/> the server answers a refusal by closing the stream itself (RFC 6120 §5.4.2.2).
        if (state != NegotiationState.CONNECTING && state != NegotiationState.STARTTLS) {
            writeClose();
        }
        ctx.close();
    }

    /** Ends the stream with a stream error of ours (RFC 6120 §4.9.1.1). */
    private void streamFailure(StreamError err) {
        if (session.state() == NegotiationState.CLOSED) {
            return;
        }
        fail(XmppException.stream(err, true));
        if (ctx.channel().isActive()) {
            ctx.write(err.toElement());
            ctx.writeAndFlush(StreamFrame.CLOSE).addListener(w -> lingeringClose());
        }
        session.state(NegotiationState.CLOSING);
    }

    /**
     * Closes our direction first (TLS close_notify, then a TCP half-close) and keeps discarding
     * input for a moment before the full close: closing a socket with unread input sends a reset
     * that can destroy our last words (the stream error) before the peer has read them.
     */
    private void lingeringClose() {
        if (!ctx.channel().isActive()) {
            return;
        }
        ctx.executor().schedule(() -> {
            ctx.close();
        }, 2, TimeUnit.SECONDS);
        Runnable halfClose = () -> {
            if (ctx.channel() instanceof DuplexChannel d && d.isActive()) {
                d.shutdownOutput();
            } else {
                ctx.close();
            }
        };
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null) {
            ssl.closeOutbound().addListener(f -> halfClose.run());
        } else {
            halfClose.run();
        }
    }

    private void fail(XmppException cause) {
        if (failure == null) {
            failure = cause;
            LOG.debug("session {}: {}", session.config.jid(), cause.getMessage());
        }
    }

    /** Our {@code </stream:stream>}, through the encoder, if there is still a connection to write it on. */
    private void writeClose() {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(StreamFrame.CLOSE, ctx.voidPromise());
        }
    }
}
