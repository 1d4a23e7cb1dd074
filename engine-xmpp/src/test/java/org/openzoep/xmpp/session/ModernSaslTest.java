package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.testkit.TestPki;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.tls.TlsMode;

/**
 * SCRAM-SHA-512, {@code -PLUS} with channel binding, XEP-0440, XEP-0474 downgrade protection and
 * the PLAIN / channel-binding switches (L4), against {@link ScramServer}: Prosody 0.12 has neither
 * XEP, nor SCRAM-SHA-512, nor a TLS 1.3 binding. The server checks the client's {@code c=} against
 * its own BouncyCastle connection and the proof with the JDK's PBKDF2.
 */
class ModernSaslTest {
    static TestPki pki;
    static XmppClient client;
    static ExecutorService callbacks;

    @BeforeAll
    static void setUp() {
        pki = TestPki.shared();
        client = XmppClient.builder().threads(2).build();
        callbacks = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void tearDown() {
        client.close();
        callbacks.shutdown();
    }

    static XmppSessionConfig.Builder config(ScramServer server) {
        return XmppSessionConfig.builder(Jid.parse("user@localhost"), ScramServer.PASSWORD)
                .host("127.0.0.1").port(server.port()).tlsMode(TlsMode.DIRECT_TLS)
                .trustStorePem(pki.caCertificate()).loginTimeout(Duration.ofSeconds(20));
    }

    static void logsIn(ScramServer.Script script, UnaryOperator<XmppSessionConfig.Builder> cfg) throws Exception {
        try (ScramServer server = new ScramServer(pki, script)) {
            XmppSession s = client.connect(cfg.apply(config(server)).build(), new RecordingListener(), callbacks)
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            lastServer = server;
            s.close();
        }
    }

    static ScramServer lastServer;

    static XmppException fails(ScramServer.Script script, UnaryOperator<XmppSessionConfig.Builder> cfg) throws Exception {
        try (ScramServer server = new ScramServer(pki, script)) {
            lastServer = server;
            CompletableFuture<XmppSession> login = client.connect(cfg.apply(config(server)).build(),
                    new RecordingListener(), callbacks).toCompletableFuture();
            try {
                login.get(30, TimeUnit.SECONDS);
                throw new AssertionError("login succeeded");
            } catch (ExecutionException e) {
                return (XmppException) e.getCause();
            }
        }
    }

    @Test
    void scramSha512PlusBindsToTheServersCertificateOnTls13() throws Exception {
        ScramServer.Script s = new ScramServer.Script()
                .mechanisms("SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-512", "SCRAM-SHA-512-PLUS", "PLAIN")
                .bindingTypes("tls-server-end-point", "tls-exporter");
        logsIn(s, b -> b);
        assertThat(lastServer.mechanism.get()).isEqualTo("SCRAM-SHA-512-PLUS");
        // tls-exporter is listed too, but BC JSSE 1.82 cannot export it after the handshake
        assertThat(lastServer.gs2Header.get()).isEqualTo("p=tls-server-end-point,,");
        assertThat(lastServer.verdict.get()).isEqualTo("ok");
    }

    @Test
    void tlsUniqueOnTls12WithoutXep0440() throws Exception {
        ScramServer.Script s = new ScramServer.Script().mechanisms("SCRAM-SHA-256", "SCRAM-SHA-256-PLUS");
        s.tlsProtocol = "TLSv1.2";
        logsIn(s, b -> b);
        assertThat(lastServer.mechanism.get()).isEqualTo("SCRAM-SHA-256-PLUS");
        assertThat(lastServer.gs2Header.get()).isEqualTo("p=tls-unique,,");
        assertThat(lastServer.verdict.get()).isEqualTo("ok");
    }

    @Test
    void withoutPlusOfferedTheClientSaysItCouldBind() throws Exception {
        logsIn(new ScramServer.Script().mechanisms("SCRAM-SHA-256", "SCRAM-SHA-1"), b -> b);
        assertThat(lastServer.mechanism.get()).isEqualTo("SCRAM-SHA-256");
        assertThat(lastServer.gs2Header.get()).as("RFC 5802 §6: y when the server seems unable to bind").isEqualTo("y,,");
    }

    @Test
    void aGenuineXep0474HashIsAccepted() throws Exception {
        ScramServer.Script s = new ScramServer.Script().mechanisms("SCRAM-SHA-256", "SCRAM-SHA-256-PLUS")
                .bindingTypes("tls-server-end-point");
        s.ssdpMechanisms = s.mechanisms;
        s.ssdpBindingTypes = s.bindingTypes;
        logsIn(s, b -> b);
        assertThat(lastServer.mechanism.get()).isEqualTo("SCRAM-SHA-256-PLUS");
    }

    /** A man in the middle strips the -PLUS mechanisms; the server's hash covers them. */
    @Test
    void strippedPlusMechanismsAreADowngrade() throws Exception {
        ScramServer.Script s = new ScramServer.Script().mechanisms("SCRAM-SHA-1", "SCRAM-SHA-256");
        s.ssdpMechanisms = List.of("SCRAM-SHA-1", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS");
        XmppException e = fails(s, b -> b);
        assertThat(e.kind()).isEqualTo(XmppException.Kind.AUTH_FAILED);
        assertThat(e.saslCondition()).isEqualTo("downgrade-detected");
        assertThat(e.getMessage()).contains("XEP-0474");
        assertThat(s.clientFinal.getCount()).as("no client proof sent").isEqualTo(1);
    }

    /** A man in the middle strips a stronger hash: SCRAM-SHA-1 only, the hash says SHA-512 too. */
    @Test
    void aStrippedStrongerMechanismIsADowngrade() throws Exception {
        ScramServer.Script s = new ScramServer.Script().mechanisms("SCRAM-SHA-1");
        s.ssdpMechanisms = List.of("SCRAM-SHA-1", "SCRAM-SHA-512");
        assertThat(fails(s, b -> b).saslCondition()).isEqualTo("downgrade-detected");
    }

    /** A man in the middle replaces the binding types with one we lack; the hash covers the real list. */
    @Test
    void replacedBindingTypesAreADowngrade() throws Exception {
        ScramServer.Script s = new ScramServer.Script().mechanisms("SCRAM-SHA-256", "SCRAM-SHA-256-PLUS")
                .bindingTypes("tls-nonsense");
        s.ssdpMechanisms = s.mechanisms;
        s.ssdpBindingTypes = List.of("tls-server-end-point", "tls-exporter");
        XmppException e = fails(s, b -> b);
        assertThat(e.saslCondition()).isEqualTo("downgrade-detected");
        assertThat(lastServer.gs2Header.get()).as("XEP-0474 §7: n up to the server-first-message").isEqualTo("n,,");
    }

    /** -PLUS offered but no common binding type, and no hash to prove the list genuine: refused. */
    @Test
    void noCommonBindingTypeWithoutAHashIsRefused() throws Exception {
        ScramServer.Script s = new ScramServer.Script().mechanisms("SCRAM-SHA-256", "SCRAM-SHA-256-PLUS")
                .bindingTypes("tls-nonsense");
        XmppException e = fails(s, b -> b);
        assertThat(e.saslCondition()).isEqualTo("downgrade-detected");
        assertThat(s.clientFinal.getCount()).isEqualTo(1);
    }

    /** L4: with PLAIN forbidden, a server that offers only PLAIN gets no credentials. */
    @Test
    void plainCanBeForbidden() throws Exception {
        ScramServer.Script s = new ScramServer.Script().mechanisms("PLAIN");
        XmppException e = fails(s, b -> b.plainAllowed(false));
        assertThat(e.saslCondition()).isEqualTo("no-acceptable-mechanism");
        assertThat(e.getMessage()).contains("PLAIN (not allowed by the configuration)");
        assertThat(lastServer.mechanism.get()).as("no <auth/> sent").isNull();
        logsIn(new ScramServer.Script().mechanisms("PLAIN"), b -> b);
        assertThat(lastServer.mechanism.get()).as("allowed by default").isEqualTo("PLAIN");
    }

    /** L4: with channel binding required, a server without -PLUS is refused; with it, login works. */
    @Test
    void channelBindingCanBeRequired() throws Exception {
        ScramServer.Script s = new ScramServer.Script().mechanisms("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");
        XmppException e = fails(s, b -> b.channelBindingRequired(true));
        assertThat(e.saslCondition()).isEqualTo("channel-binding-unavailable");
        assertThat(e.getMessage()).contains("no -PLUS mechanism");
        assertThat(lastServer.mechanism.get()).as("no <auth/> sent").isNull();
        logsIn(new ScramServer.Script().mechanisms("SCRAM-SHA-256", "SCRAM-SHA-256-PLUS"),
                b -> b.channelBindingRequired(true));
        assertThat(lastServer.mechanism.get()).isEqualTo("SCRAM-SHA-256-PLUS");
        assertThat(lastServer.verdict.get()).isEqualTo("ok");
    }
}
