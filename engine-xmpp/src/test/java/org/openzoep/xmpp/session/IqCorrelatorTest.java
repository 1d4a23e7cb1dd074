package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/** {@link IqCorrelator} on an {@link EmbeddedChannel}, its timers on the channel's fake clock. */
class IqCorrelatorTest {
    SessionContext context;
    IqCorrelator iqs;
    EmbeddedChannel ch;

    @BeforeEach
    void setUp() {
        context = StageKit.online(new RecordingListener());
        iqs = new IqCorrelator(context);
        ch = new EmbeddedChannel(iqs);
        ch.freezeTime();
    }

    static Stanza get(String to, String id) {
        Stanza.Builder b = Stanza.iq("get").id(id).child(XmlElement.of("query", "jabber:iq:version"));
        if (to != null) {
            b.to(to);
        }
        return b.build();
    }

    void serverSends(String xml) {
        ch.writeInbound(Stanza.of(StageKit.xml(xml)));
    }

    static XmppException failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException | InterruptedException e) {
            return (XmppException) e.getCause();
        }
    }

    @Test
    void aResultFromWhomWeAskedCompletesTheRequest() {
        CompletableFuture<Stanza> f = new CompletableFuture<>();
        iqs.request(get("romeo@example.net/orchard", "q1"), f);
        XmlElement sent = StageKit.writtenElement(ch);
        assertThat(sent.attr("id")).isEqualTo("q1");
        serverSends("<iq type='result' id='q1' from='romeo@example.net/orchard'><query xmlns='jabber:iq:version'/></iq>");
        assertThat(f.join().extension("query", "jabber:iq:version")).isNotNull();
        assertThat(iqs.pending()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void spoofedAndUnknownRepliesAreDroppedAndCounted() {
        CompletableFuture<Stanza> f = new CompletableFuture<>();
        iqs.request(get("romeo@example.net/orchard", "q1"), f);
        StageKit.written(ch);
        serverSends("<iq type='result' id='q1' from='evil@example.net/x'/>");
        serverSends("<iq type='result' id='q1'/>");
        serverSends("<iq type='result' id='q1' from='localhost'/>");
        serverSends("<iq type='result' id='nope' from='romeo@example.net/orchard'/>");
        assertThat(f).isNotDone();
        assertThat(context.dropped()).isEqualTo(4);
        serverSends("<iq type='result' id='q1' from='romeo@example.net/orchard'/>");
        assertThat(f).isCompleted();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aRequestToOurAccountIsAnsweredByTheServerForIt() {
        List<CompletableFuture<Stanza>> fs = new ArrayList<>();
        for (String from : List.of("", "from='alice@localhost'", "from='alice@localhost/phone'", "from='localhost'")) {
            CompletableFuture<Stanza> f = new CompletableFuture<>();
            iqs.request(get(null, null), f);
            String id = StageKit.writtenElement(ch).attr("id");
            serverSends("<iq type='result' id='" + id + "' " + from + "/>");
            fs.add(f);
        }
        assertThat(fs).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anErrorReplyFailsWithTheStanzaError() {
        CompletableFuture<Stanza> f = new CompletableFuture<>();
        iqs.request(get("localhost", "q1"), f);
        StageKit.written(ch);
        serverSends("<iq type='error' id='q1' from='localhost'><error type='cancel'>"
                + "<feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        XmppException e = failure(f);
        assertThat(e.kind()).isEqualTo(XmppException.Kind.STANZA_ERROR);
        assertThat(e.stanzaError().condition()).isEqualTo("feature-not-implemented");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void idsAreFilledInAndMadeUnique() {
        iqs.request(get("localhost", null), new CompletableFuture<>());
        iqs.request(get("localhost", "same"), new CompletableFuture<>());
        iqs.request(get("localhost", "same"), new CompletableFuture<>());
        List<String> ids = new ArrayList<>();
        for (Object o : StageKit.written(ch)) {
            ids.add(((XmlElement) o).attr("id"));
        }
        assertThat(ids).containsExactly("oz0", "same", "oz1");
        assertThat(iqs.pending()).isEqualTo(3);
        ch.close();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void noReplyWithinTheIqTimeoutFailsTheRequest() {
        CompletableFuture<Stanza> f = new CompletableFuture<>();
        iqs.request(get("localhost", "q1"), f);
        StageKit.written(ch);
        ch.advanceTimeBy(StageKit.IQ_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(f).isNotDone();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(failure(f).kind()).isEqualTo(XmppException.Kind.TIMEOUT);
        serverSends("<iq type='result' id='q1' from='localhost'/>");
        assertThat(context.dropped()).as("a reply after the timeout is unknown").isEqualTo(1);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void theEndOfTheConnectionFailsEveryPendingRequestWithTheEndCause() {
        CompletableFuture<Stanza> app = new CompletableFuture<>();
        XmppException[] internal = new XmppException[1];
        iqs.request(get("localhost", "q1"), app);
        iqs.request(get("localhost", "q2"), (reply, error) -> internal[0] = error);
        StageKit.written(ch);
        context.endCause(XmppException.of(XmppException.Kind.TIMEOUT, "server did not answer a keepalive ping"));
        ch.close();
        assertThat(failure(app).getMessage()).isEqualTo("server did not answer a keepalive ping");
        assertThat(internal[0].kind()).isEqualTo(XmppException.Kind.TIMEOUT);
        assertThat(iqs.pending()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void withoutAnEndCauseThePendingFailAsClosed() {
        CompletableFuture<Stanza> app = new CompletableFuture<>();
        iqs.request(get("localhost", "q1"), app);
        StageKit.written(ch);
        ch.close();
        assertThat(failure(app).kind()).isEqualTo(XmppException.Kind.CLOSED);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anApplicationRequestWhileNotOnlineFailsAndSendsNothing() {
        context.state(NegotiationState.CLOSING);
        CompletableFuture<Stanza> f = new CompletableFuture<>();
        iqs.request(get("localhost", "q1"), f);
        assertThat(failure(f).kind()).isEqualTo(XmppException.Kind.CLOSED);
        assertThat(StageKit.written(ch)).isEmpty();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void requestsAndOtherStanzasPassOn() {
        serverSends("<iq type='get' id='r1' from='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        serverSends("<message from='romeo@example.net'><body>hi</body></message>");
        assertThat(((Stanza) ch.readInbound()).id()).isEqualTo("r1");
        assertThat(((Stanza) ch.readInbound()).body()).isEqualTo("hi");
        assertThat(context.dropped()).isZero();
        assertThat(ch.finish()).isFalse();
    }
}
