package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlElement;

/** The session layer against a real Prosody: every way a login can go, and the basic services. */
class ProsodySessionTest {
    static ProsodyServer prosody;
    static XmppClient client;
    static ExecutorService callbacks;

    @BeforeAll
    static void start() {
        prosody = ProsodyServer.builder().passwordHash(ProsodyServer.PasswordHash.SHA_256).directTls(true)
                .account("alice", "alice-pw").account("bob", "bob-pw").start();
        client = XmppClient.builder().threads(2).build();
        callbacks = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        client.close();
        callbacks.shutdown();
        prosody.close();
    }


    static XmppSessionConfig.Builder config(ProsodyServer server, String user, String password) {
        return XmppSessionConfig.builder(Jid.parse(user + "@" + server.domain()), password)
                .host(server.host()).port(server.port()).trustStorePem(server.caCertificate())
                .resource("test").loginTimeout(Duration.ofSeconds(15));
    }

    static XmppSession login(XmppSessionConfig cfg, XmppSessionListener l) throws Exception {
        return client.connect(cfg, l, callbacks).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    static void assertLoginFails(XmppSessionConfig cfg, Consumer<XmppException> check) {
        assertThatThrownBy(() -> login(cfg, new RecordingListener())).cause().isInstanceOfSatisfying(XmppException.class, check);
    }

    @Test
    void logsInOverStartTlsWithScramSha256AndBindsTheResource() throws Exception {
        RecordingListener events = new RecordingListener();
        XmppSession s = login(config(prosody, "alice", "alice-pw").build(), events);
        assertThat(s.jid()).isEqualTo(Jid.parse("alice@localhost/test"));
        assertThat(s.isOpen()).isTrue();
        Stanza roster = s.request(Stanza.iq("get").child(XmlElement.of("query", "jabber:iq:roster")).build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(roster.extension("query", "jabber:iq:roster")).isNotNull();
        Stanza pong = s.request(Stanza.iq("get").to("localhost").child(XmlElement.of("ping", "urn:xmpp:ping")).build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(pong.type()).isEqualTo("result");
        s.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(events.closed.poll(10, TimeUnit.SECONDS)).isEqualTo("graceful");
        assertThat(s.isOpen()).isFalse();
    }

    @Test
    void logsInWithDirectTls() throws Exception {
        XmppSession s = login(config(prosody, "bob", "bob-pw").tlsMode(TlsMode.DIRECT_TLS)
                .port(prosody.directTlsPort()).build(), new RecordingListener());
        assertThat(s.jid().bare()).isEqualTo(Jid.parse("bob@localhost"));
        s.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void wrongPasswordIsNotAuthorized() {
        assertLoginFails(config(prosody, "alice", "wrong").build(), e -> {
            assertThat(e.kind()).isEqualTo(XmppException.Kind.AUTH_FAILED);
            assertThat(e.saslCondition()).isEqualTo("not-authorized");
        });
    }

    @Test
    void unknownUserIsNotAuthorized() {
        assertLoginFails(config(prosody, "nobody", "x").build(),
                e -> assertThat(e.kind()).isEqualTo(XmppException.Kind.AUTH_FAILED));
    }

    @Test
    void certificateFromAnUntrustedCaIsRefused() {
        assertLoginFails(config(prosody, "alice", "alice-pw").trustStorePem(null).build(), e -> {
            assertThat(e.kind()).isEqualTo(XmppException.Kind.CERTIFICATE_REJECTED);
        });
    }

    @Test
    void certificateForTheWrongNameIsRefused() {
        try (ProsodyServer wrong = ProsodyServer.builder().tls(ProsodyServer.Tls.WRONG_NAME)
                .account("alice", "alice-pw").start()) {
            assertLoginFails(config(wrong, "alice", "alice-pw").build(), e -> {
                assertThat(e.kind()).isEqualTo(XmppException.Kind.CERTIFICATE_REJECTED);
                assertThat(e.getMessage()).contains("localhost");
            });
        }
    }

    @Test
    void serverWithoutStartTlsIsRefused() {
        try (ProsodyServer plain = ProsodyServer.builder().tls(ProsodyServer.Tls.NONE).requireEncryption(false)
                .account("alice", "alice-pw").start()) {
            assertLoginFails(config(plain, "alice", "alice-pw").build(),
                    e -> assertThat(e.kind()).isEqualTo(XmppException.Kind.TLS_REQUIRED));
        }
    }

    @Test
    void serverDownIsConnectFailedAndComingBackWorks() throws Exception {
        try (ProsodyServer flaky = ProsodyServer.builder().account("alice", "alice-pw").start()) {
            flaky.stop();
            assertLoginFails(config(flaky, "alice", "alice-pw").build(), e -> {
                assertThat(e.kind()).isEqualTo(XmppException.Kind.CONNECT_FAILED);
                assertThat(e.getMessage()).contains("cannot connect");
            });
            flaky.start();
            XmppSession s = login(config(flaky, "alice", "alice-pw").build(), new RecordingListener());
            assertThat(s.isOpen()).isTrue();
            s.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverGoingAwayIsReportedToTheListener() throws Exception {
        try (ProsodyServer flaky = ProsodyServer.builder().account("alice", "alice-pw").start()) {
            RecordingListener events = new RecordingListener();
            XmppSession s = login(config(flaky, "alice", "alice-pw").build(), events);
            flaky.stop();
            Object cause = events.closed.poll(15, TimeUnit.SECONDS);
            assertThat(cause).isInstanceOf(XmppException.class);
            assertThat(s.isOpen()).isFalse();
            assertThatThrownBy(() -> s.send(Stanza.presence().build()).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(XmppException.class,
                            e -> assertThat(e.kind()).isEqualTo(XmppException.Kind.CLOSED));
        }
    }

    @Test
    void discoInfoIsAnsweredWithOurFeaturesAndIqErrorsAreTyped() throws Exception {
        XmppSession alice = login(config(prosody, "alice", "alice-pw").resource("disco").build(), new RecordingListener());
        XmppSession bob = login(config(prosody, "bob", "bob-pw").resource("disco").build(), new RecordingListener());
        Stanza info = alice.request(Stanza.iq("get").to(bob.jid())
                .child(XmlElement.of("query", "http://jabber.org/protocol/disco#info")).build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        XmlElement q = info.extension("query", "http://jabber.org/protocol/disco#info");
        List<String> features = q.elements().stream().filter(e -> e.name().equals("feature"))
                .map(e -> e.attr("var")).toList();
        assertThat(features).contains("http://jabber.org/protocol/disco#info", "urn:xmpp:ping");
        assertThat(q.child("identity", "http://jabber.org/protocol/disco#info").attr("category")).isEqualTo("client");
        // An iq the engine does not handle is refused with service-unavailable by default.
        assertThatThrownBy(() -> alice.request(Stanza.iq("get").to(bob.jid())
                .child(XmlElement.of("query", "jabber:iq:version")).build()).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(XmppException.class, e -> {
                    assertThat(e.kind()).isEqualTo(XmppException.Kind.STANZA_ERROR);
                    assertThat(e.stanzaError().condition()).isEqualTo("service-unavailable");
                });
        alice.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        bob.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void messagesFlowBetweenTwoSessions() throws Exception {
        RecordingListener bobEvents = new RecordingListener();
        XmppSession alice = login(config(prosody, "alice", "alice-pw").resource("m").build(), new RecordingListener());
        XmppSession bob = login(config(prosody, "bob", "bob-pw").resource("m").build(), bobEvents);
        alice.send(Stanza.message().to(bob.jid()).type("chat").body("<hi> & 'bye' \u00e9\ud83d\ude00").build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        Stanza m = bobEvents.stanzas.poll(10, TimeUnit.SECONDS);
        assertThat(m.body()).isEqualTo("<hi> & 'bye' \u00e9\ud83d\ude00");
        assertThat(m.from()).isEqualTo(alice.jid());
        alice.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        bob.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
