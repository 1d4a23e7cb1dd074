package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.security.cert.CertificateExpiredException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.stanza.StreamError;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlViolation;
import org.openzoep.xmpp.xml.XmlWriter;

/** {@link StreamLifecycleHandler} on an {@link EmbeddedChannel}: the stream's edges and its every end, on a fake clock. */
class StreamLifecycleHandlerTest {
    RecordingListener events;
    CompletableFuture<XmppSession> login;
    SessionContext context;
    StreamLifecycleHandler lifecycle;
    EmbeddedChannel ch;

    void start(NegotiationState state) {
        events = new RecordingListener();
        login = new CompletableFuture<>();
        context = StageKit.context(StageKit.configBuilder().build(), events);
        lifecycle = new StreamLifecycleHandler(context, login);
        ch = new EmbeddedChannel(lifecycle);
        ch.freezeTime();
        context.session(new XmppSession(ch, context, lifecycle, null, null));
        if (state == NegotiationState.ONLINE) {
            context.state(NegotiationState.BINDING);
        }
        context.state(state);
    }

    static XmlElement header(String version) {
        return XmlElement.builder("stream", XmlWriter.STREAM_NS).attr("id", "s9").attr("version", version).build();
    }

    XmppException loginFailure() {
        assertThat(login).isCompletedExceptionally();
        try {
            login.get();
            throw new AssertionError("login did not fail");
        } catch (ExecutionException | InterruptedException e) {
            return (XmppException) e.getCause();
        }
    }

    XmppException closeCause() throws InterruptedException {
        Object c = events.closed.poll(0, TimeUnit.SECONDS);
        assertThat(c).isInstanceOf(XmppException.class);
        return (XmppException) c;
    }

    @Test
    void aGoodHeaderIsRecordedAndConsumed() {
        start(NegotiationState.OPENING);
        ch.writeInbound(new StreamFrame.Open(header("1.0"), "jabber:client"));
        assertThat(context.streamId()).isEqualTo("s9");
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(StageKit.written(ch)).isEmpty();
        ch.close();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aWrongContentNamespaceOrVersionIsAnsweredWithOurStreamError() {
        for (StreamFrame.Open bad : List.of(new StreamFrame.Open(header("1.0"), "jabber:server"),
                new StreamFrame.Open(header("0.9"), "jabber:client"))) {
            start(NegotiationState.OPENING);
            ch.writeInbound(bad);
            List<Object> out = StageKit.written(ch);
            assertThat(out).hasSize(2).endsWith(StreamFrame.CLOSE);
            String condition = StreamError.from((XmlElement) out.get(0)).condition();
            assertThat(condition).isIn("invalid-namespace", "unsupported-version");
            assertThat(context.closing()).isTrue();
            ch.advanceTimeBy(2, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            assertThat(ch.isOpen()).as("closed after lingering").isFalse();
            assertThat(loginFailure().streamError().condition()).isEqualTo(condition);
            assertThat(ch.finish()).isFalse();
        }
    }

    @Test
    void aViolationFromTheDecoderIsAnsweredWithItsCondition() {
        start(NegotiationState.ONLINE);
        ch.writeInbound(new StreamFrame.Violation(XmlViolation.POLICY_VIOLATION, "stanza too large"));
        List<Object> out = StageKit.written(ch);
        assertThat(StreamError.from((XmlElement) out.get(0)).condition()).isEqualTo("policy-violation");
        assertThat(out.get(1)).isEqualTo(StreamFrame.CLOSE);
        ch.close();
        ch.runPendingTasks();
        assertThat(events.closed.poll()).isInstanceOfSatisfying(XmppException.class,
                e -> assertThat(e.streamError().condition()).isEqualTo("policy-violation"));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aStreamErrorFromTheServerEndsTheSessionTyped() throws Exception {
        start(NegotiationState.ONLINE);
        ch.writeInbound(StageKit.xml("<stream:error xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"));
        assertThat(StageKit.written(ch)).containsExactly(StreamFrame.CLOSE);
        assertThat(ch.isOpen()).isFalse();
        XmppException e = closeCause();
        assertThat(e.kind()).isEqualTo(XmppException.Kind.STREAM_ERROR);
        assertThat(e.streamError().condition()).isEqualTo("conflict");
        assertThat(login).isNotDone();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void theServersCloseIsAnsweredWithOurs() throws Exception {
        start(NegotiationState.ONLINE);
        ch.writeInbound(StreamFrame.CLOSE);
        assertThat(StageKit.written(ch)).containsExactly(StreamFrame.CLOSE);
        assertThat(ch.isOpen()).isFalse();
        assertThat(closeCause().getMessage()).isEqualTo("server closed the stream");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aGracefulCloseSaysGoodbyeAndClosesWithinThreeSeconds() {
        start(NegotiationState.ONLINE);
        CompletableFuture<Void> done = new CompletableFuture<>();
        lifecycle.closeGracefully(done);
        assertThat(StageKit.written(ch)).containsExactly(StreamFrame.CLOSE);
        assertThat(context.online()).isFalse();
        assertThat(context.closing()).isTrue();
        ch.writeInbound(StageKit.xml("<message><body>late</body></message>"));
        assertThat(ch.<Object>readInbound()).as("stanzas still pass while closing").isNotNull();
        ch.advanceTimeBy(3, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
        assertThat(done).isCompleted();
        assertThat(events.closed.poll()).isEqualTo("graceful");
        CompletableFuture<Void> again = new CompletableFuture<>();
        lifecycle.closeGracefully(again);
        assertThat(again).isCompleted();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void theServerClosingTheConnectionIsReported() throws Exception {
        start(NegotiationState.ONLINE);
        ch.close();
        assertThat(closeCause().getMessage()).isEqualTo("connection closed by the server");
        assertThat(context.state()).isEqualTo(NegotiationState.CLOSED);
        assertThat(context.endCause().kind()).isEqualTo(XmppException.Kind.CLOSED);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anAbortClosesTheOpenStreamAndFailsTheLogin() {
        start(NegotiationState.AUTHENTICATING);
        lifecycle.abort(XmppException.auth("not-authorized", null));
        assertThat(StageKit.written(ch)).containsExactly(StreamFrame.CLOSE);
        ch.runPendingTasks();
        assertThat(loginFailure().kind()).isEqualTo(XmppException.Kind.AUTH_FAILED);
        lifecycle.abort(XmppException.of(XmppException.Kind.TIMEOUT, "later"));
        assertThat(loginFailure().kind()).as("the first cause stays").isEqualTo(XmppException.Kind.AUTH_FAILED);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void exceptionsAreClassified() {
        start(NegotiationState.ONLINE);
        lifecycle.failed(new javax.net.ssl.SSLException("bad cert", new CertificateExpiredException("expired")));
        ch.runPendingTasks();
        assertThat(closeCauseNow().kind()).isEqualTo(XmppException.Kind.CERTIFICATE_REJECTED);
        assertThat(ch.finishAndReleaseAll()).isTrue(); // our </stream:stream>

        start(NegotiationState.ONLINE);
        lifecycle.failed(new SSLHandshakeException("no shared cipher"));
        ch.runPendingTasks();
        assertThat(closeCauseNow().kind()).isEqualTo(XmppException.Kind.TLS_FAILED);
        ch.finishAndReleaseAll();

        start(NegotiationState.ONLINE);
        lifecycle.failed(new IOException("connection reset"));
        ch.runPendingTasks();
        XmppException e = closeCauseNow();
        assertThat(e.kind()).isEqualTo(XmppException.Kind.CLOSED);
        assertThat(e.getMessage()).isEqualTo("connection failed: connection reset");
        assertThat(StageKit.written(ch)).containsExactly(StreamFrame.CLOSE);
        assertThat(ch.finish()).isFalse();
    }

    private XmppException closeCauseNow() {
        try {
            return closeCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
