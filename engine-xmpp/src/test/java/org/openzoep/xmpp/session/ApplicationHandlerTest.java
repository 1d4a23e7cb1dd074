package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/** {@link ApplicationHandler} on an {@link EmbeddedChannel}: the listener's end of the pipeline. */
class ApplicationHandlerTest {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Runnable> executor = new CopyOnWriteArrayList<>();
    SessionContext context;
    ApplicationHandler application;
    EmbeddedChannel ch;

    @BeforeEach
    void setUp() {
        XmppSessionListener listener = new XmppSessionListener() {
            @Override
            public void onStanza(XmppSession s, Stanza stanza) {
                calls.add("stanza " + stanza.id());
            }

            @Override
            public void onIqRequest(XmppSession s, Stanza iq) {
                calls.add("request " + iq.id());
            }

            @Override
            public void onClosed(XmppSession s, XmppException cause) {
                calls.add("closed " + (cause == null ? null : cause.kind()));
            }
        };
        // callbacks queue up until the test runs them: never on the event loop
        context = new SessionContext(StageKit.configBuilder().build(), new SerialExecutor(executor::add), listener,
                ServiceResponder.capsElement(List.of()));
        context.state(NegotiationState.ONLINE);
        StreamLifecycleHandler lifecycle = new StreamLifecycleHandler(context, new CompletableFuture<>());
        application = new ApplicationHandler(context, lifecycle);
        ch = new EmbeddedChannel(lifecycle, application);
        context.session(new XmppSession(ch, context, lifecycle, null, application));
    }

    void runCallbacks() {
        while (!executor.isEmpty()) {
            executor.remove(0).run();
        }
    }

    @Test
    void stanzasAndRequestsReachTheListenerOnItsExecutor() {
        ch.writeInbound(Stanza.of(StageKit.xml("<message id='m1'><body>hi</body></message>")));
        ch.writeInbound(new ApplicationHandler.IqRequest(Stanza.of(StageKit.xml("<iq type='get' id='v1'/>"))));
        assertThat(calls).as("not on the event loop").isEmpty();
        runCallbacks();
        assertThat(calls).containsExactly("stanza m1", "request v1");
        ch.close();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aTopLevelElementThatIsNoStanzaIsCountedAndDropped() {
        ch.writeInbound(StageKit.xml("<features xmlns='http://etherx.jabber.org/streams'/>"));
        runCallbacks();
        assertThat(calls).isEmpty();
        assertThat(context.dropped()).isEqualTo(1);
        ch.close();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void nothingReachesTheListenerWhenNotOnline() {
        context.state(NegotiationState.CLOSING);
        ch.writeInbound(Stanza.of(StageKit.xml("<message id='m1'><body>hi</body></message>")));
        runCallbacks();
        assertThat(calls).isEmpty();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void sendWritesTheStanzaAndCompletesOnTheExecutor() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        application.send(Stanza.message().to("romeo@example.net").id("m2").body("hello").build(), done);
        XmlElement sent = (XmlElement) ch.readOutbound();
        assertThat(sent.attr("id")).isEqualTo("m2");
        assertThat(done).isNotDone();
        runCallbacks();
        assertThat(done).isCompleted();
        ch.close();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void sendWhileNotOnlineFailsAsClosed() {
        context.state(NegotiationState.CLOSING);
        CompletableFuture<Void> done = new CompletableFuture<>();
        application.send(Stanza.message().to("romeo@example.net").body("hello").build(), done);
        runCallbacks();
        assertThat(done).isCompletedExceptionally();
        assertThat(ch.<Object>readOutbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anExceptionThatReachesTheEndClosesTheSession() {
        ch.pipeline().fireExceptionCaught(new IOException("connection reset"));
        ch.runPendingTasks();
        assertThat(ch.<Object>readOutbound()).isEqualTo(StreamFrame.CLOSE);
        assertThat(ch.isOpen()).isFalse();
        runCallbacks();
        assertThat(calls).containsExactly("closed CLOSED");
        assertThat(ch.finish()).isFalse();
    }
}
