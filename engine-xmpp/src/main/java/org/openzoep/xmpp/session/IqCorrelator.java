package org.openzoep.xmpp.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches iq replies to the requests we sent (RFC 6120 §8.2.3): each request gets an id (filled
 * in or made unique), a pending entry and a timer; a {@code result} or {@code error} with that id
 * from the address we asked (§8.1.2.1, §10.1.4) completes it; no reply within the configured iq
 * timeout fails it with {@link XmppException.Kind#TIMEOUT}; the end of the connection fails every
 * request still pending with the stream's end cause. Replies to unknown ids or from anyone else
 * are dropped and counted. Every other stanza passes on.
 *
 * <p>Requests come from the application (through {@link XmppSession#request}, completed on the
 * serial callback executor) and from the other stages (bind, session, keepalive: a
 * {@link ReplyHandler} run on the event loop).
 *
 * <p>Limits: one pending entry and one timer per request in flight, nothing else kept; the
 * application's requests are refused while the channel is not writable (see {@link ApplicationHandler}).
 * Thread: the channel's event loop. Buffers: none; it sees {@link Stanza}s.
 */
final class IqCorrelator extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(IqCorrelator.class);

    /** A stage's own handling of a reply, run on the event loop as the reply (or failure) arrives. */
    interface ReplyHandler {
        void done(Stanza reply, XmppException error);
    }

    private record Pending(CompletableFuture<Stanza> future, ReplyHandler internal, Jid to, ScheduledFuture<?> timer) {
        void complete(Stanza reply, XmppException error, SerialExecutor callbacks) {
            if (internal != null) {
                internal.done(reply, error);
            } else if (error != null) {
                callbacks.execute(() -> future.completeExceptionally(error));
            } else {
                callbacks.execute(() -> future.complete(reply));
            }
        }
    }

    private final SessionContext session;
    private final Map<String, Pending> pending = new HashMap<>();
    private ChannelHandlerContext ctx;
    private long nextId;

    IqCorrelator(SessionContext session) {
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Requests in flight. */
    int pending() {
        return pending.size();
    }

    /**
     * An application request, whose place {@link XmppSession#request} reserved: fails with
     * {@link XmppException.Kind#CLOSED} unless the session is online, and with
     * {@link XmppException.Kind#QUEUE_FULL}, unsent, while the channel is not writable.
     */
    void request(Stanza iq, CompletableFuture<Stanza> f) {
        XmppException refused = session.refuseWrite(ctx.channel());
        if (refused != null) {
            session.callbacks.execute(() -> f.completeExceptionally(refused));
            return;
        }
        ChannelPromise written = ctx.newPromise();
        String id = send(iq, f, null, written);
        written.addListener(w -> {
            session.releaseSend();
            Pending p = w.isSuccess() ? null : pending.remove(id);
            if (p != null) {
                p.timer.cancel(false);
                p.complete(null, XmppException.of(XmppException.Kind.CLOSED, "write failed: " + w.cause(), w.cause()),
                        session.callbacks);
            }
        });
    }

    /** A stage's own request, sent in any state; {@code handler} runs on the event loop. */
    void request(Stanza iq, ReplyHandler handler) {
        send(iq, null, handler, ctx.voidPromise());
    }

    /** Writes {@code iq} with {@code promise} and tracks its reply; returns the id it went out with. */
    private String send(Stanza iq, CompletableFuture<Stanza> f, ReplyHandler internal, ChannelPromise promise) {
        String id = iq.id();
        if (id == null || pending.containsKey(id)) {
            id = newId();
            iq = iq.withAttr("id", id);
        }
        String key = id;
        ScheduledFuture<?> timer = ctx.executor().schedule(() -> {
            Pending p = pending.remove(key);
            if (p != null) {
                p.complete(null, XmppException.of(XmppException.Kind.TIMEOUT, "no reply to iq " + key + " within "
                        + session.config.iqTimeout()), session.callbacks);
            }
        }, session.config.iqTimeout().toMillis(), TimeUnit.MILLISECONDS);
        pending.put(id, new Pending(f, internal, iq.to(), timer));
        ctx.writeAndFlush(iq.element(), promise);
        return id;
    }

    private String newId() {
        return "oz" + Long.toString(nextId++, 36);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Stanza s && s.kind() == Stanza.Kind.IQ) {
            IqType type = IqType.of(s.type());
            if (type == IqType.RESULT || type == IqType.ERROR) {
                onReply(s);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void onReply(Stanza s) {
        Pending p = s.id() == null ? null : pending.get(s.id());
        if (p == null || !replyFromExpected(p.to, s.element().attr("from"))) {
            session.drop();
            LOG.debug("session {}: dropped iq reply id={} from={}", session.boundJid(), s.id(), s.element().attr("from"));
            return;
        }
        pending.remove(s.id());
        p.timer.cancel(false);
        p.complete(s.isError() ? null : s, s.isError() ? XmppException.stanza(s.error()) : null, session.callbacks);
    }

    /** RFC 6120 §10.1.4 / §8.1.2.1: the reply must come from whom we asked. */
    private boolean replyFromExpected(Jid to, String fromAttr) {
        Jid account = session.config.jid().bare();
        Jid from = fromAttr == null ? null : Jid.parseOrNull(fromAttr);
        if (fromAttr != null && from == null) {
            return false;
        }
        if (to == null || to.equals(account)) {
            // asked our own account (or the server on its behalf): the server answers for it
            return from == null || from.equals(account) || from.equals(session.boundJid())
                    || to == null && from.equals(Jid.of(null, account.domain(), null));
        }
        return to.equals(from);
    }

    /** Fails every request still pending with {@link SessionContext#endCause()}, then passes the event on. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        XmppException cause = session.endCause() != null ? session.endCause()
                : XmppException.of(XmppException.Kind.CLOSED, "session closed");
        List<Pending> left = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : left) {
            p.timer.cancel(false);
            p.complete(null, cause, session.callbacks);
        }
        ctx.fireChannelInactive();
    }
}
