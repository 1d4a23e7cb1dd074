package org.openzoep.xmpp.session;

import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * One logged-in client stream. Obtained from {@link XmppClient#connect}; every method may be
 * called from any thread and none blocks. Work is handed to the channel's event loop, results come
 * back on the session's serial callback executor.
 */
public final class XmppSession {
    private final Channel channel;
    private final SessionContext context;
    private final StreamLifecycleHandler lifecycle;
    private final IqCorrelator iqs;
    private final ApplicationHandler application;

    XmppSession(Channel channel, SessionContext context, StreamLifecycleHandler lifecycle, IqCorrelator iqs,
            ApplicationHandler application) {
        this.channel = channel;
        this.context = context;
        this.lifecycle = lifecycle;
        this.iqs = iqs;
        this.application = application;
    }

    /** The full JID the server bound. */
    public Jid jid() {
        return context.boundJid();
    }

    /** The stream id the server gave the last stream. */
    public String streamId() {
        return context.streamId();
    }

    /**
     * The XEP-0115 {@code <c/>} element to put in outgoing presence: node {@code https://openzoep.org},
     * ver the hash of the identity and features this session answers disco#info with.
     */
    public XmlElement capsElement() {
        return context.caps;
    }

    /** True until the session has closed. */
    public boolean isOpen() {
        return channel.isActive() && !context.closing();
    }

    /**
     * Sends a stanza. The returned stage completes when the stanza has been written to the
     * socket, or fails with {@link XmppException.Kind#CLOSED}, or with
     * {@link XmppException.Kind#QUEUE_FULL} when it was refused, unsent, because the server is not
     * taking what was already written (more than {@link XmppSessionConfig#writeBufferHighBytes()}
     * wait for the socket) or {@link XmppSessionConfig#maxPendingStanzas()} stanzas are in flight.
     * Stanzas that are accepted are written in the order of the calls.
     */
    public CompletionStage<Void> send(Stanza stanza) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        reserveAndRun(() -> application.send(stanza, f), f);
        return f;
    }

    /**
     * Reserves a place for an application stanza and runs {@code task} on the channel's event
     * loop; no place fails {@code f} with QUEUE_FULL, a stopped loop with CLOSED.
     */
    private void reserveAndRun(Runnable task, CompletableFuture<?> f) {
        if (!context.reserveSend()) {
            XmppException ex = context.queueFull(context.config.maxPendingStanzas() + " stanzas wait to be written");
            context.callbacks.execute(() -> f.completeExceptionally(ex));
            return;
        }
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            context.releaseSend();
            XmppException ex = XmppException.of(XmppException.Kind.CLOSED, "the engine is stopping", e);
            context.callbacks.execute(() -> f.completeExceptionally(ex));
        }
    }

    /**
     * Sends an iq {@code get} or {@code set} and completes with its {@code result}. An
     * {@code error} reply fails the stage with {@link XmppException.Kind#STANZA_ERROR}; no reply
     * within the configured iq timeout fails it with {@link XmppException.Kind#TIMEOUT}. Replies
     * from any address other than the one asked are dropped (RFC 6120 §8.1.2.1's sender check), as
     * are replies to unknown ids. A missing id is filled in. A request refused for lack of room
     * fails with {@link XmppException.Kind#QUEUE_FULL}, as {@link #send} does.
     */
    public CompletionStage<Stanza> request(Stanza iq) {
        if (iq.kind() != Stanza.Kind.IQ || !("get".equals(iq.type()) || "set".equals(iq.type()))) {
            throw new IllegalArgumentException("request() takes an iq get or set: " + iq);
        }
        CompletableFuture<Stanza> f = new CompletableFuture<>();
        reserveAndRun(() -> iqs.request(iq, f), f);
        return f;
    }

    /** Counters of what the session refused: spoofed replies and pushes, unknown ids. */
    public long droppedStanzas() {
        return context.dropped();
    }

    /**
     * Closes gracefully: our {@code </stream:stream>}, the server's, then TCP close (or TCP close
     * after a short grace period). Completes when the connection is closed.
     */
    public CompletionStage<Void> close() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        channel.eventLoop().execute(() -> lifecycle.closeGracefully(f));
        return f;
    }

    /** The connection, for tests in this package. */
    Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "XmppSession[" + context.boundJid() + "]";
    }
}
