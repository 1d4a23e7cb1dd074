package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.stanza.Jid;

/**
 * SCRAM {@code -PLUS} against a real Prosody 0.12. Prosody binds only with {@code tls-unique},
 * which TLS 1.3 does not have, so one server is capped at TLS 1.2 ({@code ssl.protocol =
 * "tlsv1_2"}) and offers {@code -PLUS}; the other runs TLS 1.3 and offers none. With channel
 * binding required, a login can only succeed through {@code -PLUS}.
 */
class ProsodyChannelBindingTest {
    static ProsodyServer tls12;
    static ProsodyServer tls13;
    static XmppClient client;
    static ExecutorService callbacks;

    @BeforeAll
    static void start() {
        tls12 = ProsodyServer.builder().passwordHash(ProsodyServer.PasswordHash.SHA_256).tlsProtocol("tlsv1_2")
                .account("alice", "alice-pw").start();
        tls13 = ProsodyServer.builder().passwordHash(ProsodyServer.PasswordHash.SHA_256)
                .account("alice", "alice-pw").start();
        client = XmppClient.builder().threads(2).build();
        callbacks = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        client.close();
        callbacks.shutdown();
        tls12.close();
        tls13.close();
    }

    static XmppSessionConfig.Builder config(ProsodyServer server, String password) {
        return XmppSessionConfig.builder(Jid.parse("alice@" + server.domain()), password)
                .host(server.host()).port(server.port()).trustStorePem(server.caCertificate())
                .channelBindingRequired(true).loginTimeout(Duration.ofSeconds(15));
    }

    static XmppSession login(XmppSessionConfig cfg) throws Exception {
        return client.connect(cfg, new RecordingListener(), callbacks).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void logsInWithScramPlusAndTlsUniqueOverTls12() throws Exception {
        XmppSession s = login(config(tls12, "alice-pw").build());
        assertThat(s.jid().bare()).isEqualTo(Jid.parse("alice@" + tls12.domain()));
        s.close();
    }

    @Test
    void aWrongPasswordWithChannelBindingIsNotAuthorized() {
        assertThatThrownBy(() -> login(config(tls12, "wrong").build())).cause()
                .isInstanceOfSatisfying(XmppException.class, e -> assertThat(e.saslCondition()).isEqualTo("not-authorized"));
    }

    @Test
    void withoutPlusOnTls13RequiredChannelBindingRefusesToLogIn() {
        assertThatThrownBy(() -> login(config(tls13, "alice-pw").build())).cause()
                .isInstanceOfSatisfying(XmppException.class,
                        e -> assertThat(e.saslCondition()).isEqualTo("channel-binding-unavailable"));
    }

    @Test
    void withoutTheRequirementTls13LogsInWithoutBinding() throws Exception {
        login(config(tls13, "alice-pw").channelBindingRequired(false).build()).close();
    }
}
