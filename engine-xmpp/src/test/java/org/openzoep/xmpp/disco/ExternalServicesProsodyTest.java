package org.openzoep.xmpp.disco;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.session.XmppClient;
import org.openzoep.xmpp.session.XmppSession;
import org.openzoep.xmpp.session.XmppSessionConfig;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.testkit.ProsodyServer;

/** XEP-0215 against Prosody's mod_external_services, with TURN REST credentials from a shared secret. */
class ExternalServicesProsodyTest {

    @Test
    void stunAndTurnWithTimeLimitedCredentials() throws Exception {
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        try (ProsodyServer prosody = ProsodyServer.builder().account("romeo", "romeo-pw")
                .modules("external_services")
                .config("external_services = { { type = \"stun\", transport = \"udp\", host = \"192.0.2.10\", port = 3478 },"
                        + " { type = \"turn\", transport = \"udp\", host = \"192.0.2.10\", port = 3478, secret = \"s3cret\" } }")
                .start();
                XmppClient client = XmppClient.builder().threads(1).build()) {
            XmppSession s = client.connect(XmppSessionConfig.builder(Jid.parse("romeo@" + prosody.domain()), "romeo-pw")
                    .host(prosody.host()).port(prosody.port()).trustStorePem(prosody.caCertificate())
                    .loginTimeout(Duration.ofSeconds(15)).build(), (session, stanza) -> { }, callbacks)
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            Jid server = Jid.parse(prosody.domain());
            List<ExternalServices.Service> all = ExternalServices.parse(
                    s.request(ExternalServices.request(server, "x1")).toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertThat(all).extracting(ExternalServices.Service::type).containsExactlyInAnyOrder("stun", "turn");
            ExternalServices.Service stun = all.stream().filter(x -> x.type().equals("stun")).findFirst().orElseThrow();
            assertThat(stun).isEqualTo(new ExternalServices.Service("stun", "192.0.2.10", 3478, "udp", null, null, null,
                    false));
            ExternalServices.Service turn = all.stream().filter(x -> x.type().equals("turn")).findFirst().orElseThrow();
            assertThat(turn.restricted()).isTrue();
            assertThat(turn.password()).isNotEmpty();
            // TURN REST: the user name is the expiry time in Unix seconds (Prosody sends no 'expires' for these)
            assertThat(Instant.ofEpochSecond(Long.parseLong(turn.username())))
                    .isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofDays(2)));

            List<ExternalServices.Service> onlyTurn = ExternalServices.parse(s.request(
                    ExternalServices.request(server, "x2", "turn")).toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertThat(onlyTurn).extracting(ExternalServices.Service::type).containsExactly("turn");
            List<ExternalServices.Service> creds = ExternalServices.parse(s.request(ExternalServices.credentialsRequest(
                    server, "x3", "192.0.2.10", "turn")).toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertThat(creds).hasSize(1);
            assertThat(creds.get(0).password()).isNotEmpty();
            s.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            callbacks.shutdown();
        }
    }
}
