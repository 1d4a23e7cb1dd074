package org.openzoep.xmpp.testkit;

import org.openzoep.testkit.ProsodyServer;
import org.openzoep.testkit.ProsodyExtension;
import org.openzoep.testkit.TestPki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openzoep.xmpp.sasl.SaslException;
import org.openzoep.xmpp.sasl.SaslMechanisms;
import org.openzoep.xmpp.sasl.ScramMechanism;

/** The default Prosody of the kit: STARTTLS required, valid certificate, Direct TLS, SCRAM-SHA-1. */
class ProsodyServerTest {

    @RegisterExtension
    static ProsodyExtension prosody = ProsodyExtension.builder()
            .account("alice", "s3cret")
            .account("bob", "pa ss=,w\u00F6rd")
            .directTls(true)
            .build();

    private static final SSLContext TLS = TestPki.shared().clientSslContext();

    @Test
    void answersStreamHeaderWithRequiredStartTls() throws IOException {
        try (XmppProbe probe = XmppProbe.connect(prosody.host(), prosody.port())) {
            String features = probe.openStream(prosody.domain());
            assertThat(features).contains("<stream:features>")
                    .contains("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>")
                    // c2s_require_encryption: no SASL before TLS.
                    .doesNotContain("<mechanism>");
        }
    }

    @Test
    void certificateIsValidForLocalhostPerTheTestCa() throws Exception {
        try (XmppProbe probe = XmppProbe.connect(prosody.host(), prosody.port())) {
            probe.openStream(prosody.domain());
            // Endpoint identification "HTTPS" makes the JDK check the SAN against "localhost".
            SSLSocket tls = probe.startTls(TLS, "localhost");
            X509Certificate leaf = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"));
            assertThat(leaf.getIssuerX500Principal()).isEqualTo(TestPki.shared().caX509().getSubjectX500Principal());
            String features = probe.openStream(prosody.domain());
            assertThat(XmppProbe.mechanisms(features)).contains("SCRAM-SHA-1", "PLAIN");
        }
    }

    @Test
    void certificateIsRefusedForAnotherName() throws IOException {
        try (XmppProbe probe = XmppProbe.connect(prosody.host(), prosody.port())) {
            probe.openStream(prosody.domain());
            assertThatThrownBy(() -> probe.startTls(TLS, "example.org"))
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                    .hasMessageContaining("example.org");
        }
    }

    @Test
    void certificateIsRefusedByTheDefaultJdkTrustStore() throws Exception {
        SSLContext jdkDefault = SSLContext.getInstance("TLS");
        jdkDefault.init(null, null, null);
        try (XmppProbe probe = XmppProbe.connect(prosody.host(), prosody.port())) {
            probe.openStream(prosody.domain());
            assertThatThrownBy(() -> probe.startTls(jdkDefault, "localhost"))
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void scramLoginWithAccountsFromProsodyctl() throws Exception {
        assertThat(prosody.server().accountExists("alice")).isTrue();
        assertThat(login(prosody.port(), ScramMechanism.sha1("alice", "s3cret"))).isNull();
        // SASLprep and username escaping against the real server: ',' '=' and non-ASCII.
        assertThat(login(prosody.port(), ScramMechanism.sha1("bob", "pa ss=,w\u00F6rd"))).isNull();
    }

    @Test
    void wrongPasswordIsNotAuthorized() throws Exception {
        ScramMechanism m = ScramMechanism.sha1("alice", "wrong");
        String failure;
        try {
            failure = login(prosody.port(), m);
        } catch (SaslException e) {
            // Prosody 0.12 reports a bad proof as <failure/>, but an e= in server-final is fine too.
            assertThat(e.condition()).isEqualTo(SaslException.Condition.NOT_AUTHORIZED);
            return;
        }
        assertThat(failure).contains("<not-authorized");
    }

    @Test
    void plainLoginInsideTls() throws Exception {
        assertThat(login(prosody.port(), SaslMechanisms.create("PLAIN", "alice", "s3cret"))).isNull();
    }

    @Test
    void bulkAccountsLogIn() throws Exception {
        long t0 = System.nanoTime();
        List<String> users = prosody.createAccounts("load-", 2000, "secret");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(users).hasSize(2000).startsWith("load-0").endsWith("load-1999");
        assertThat(prosody.server().accountExists("load-1999")).isTrue();
        // Far quicker than prosodyctl's 0.15 s per account.
        assertThat(millis).as("ms for 2000 accounts").isLessThan(20_000);
        assertThat(login(prosody.port(), ScramMechanism.sha1("load-0", "secret"))).isNull();
        assertThat(login(prosody.port(), ScramMechanism.sha1("load-1999", "secret"))).isNull();
        assertThat(login(prosody.port(), ScramMechanism.sha1("load-7", "nope"))).contains("not-authorized");
    }

    /**
     * Past Prosody's default soft limit of 1024 descriptors, where connections stall (checked: with
     * {@code fileDescriptorLimit(1024)} this test times out).
     */
    @Test
    void servesMoreConnectionsThanTheDefaultDescriptorLimit() throws IOException {
        List<XmppProbe> probes = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 1200; i++) {
                XmppProbe probe = XmppProbe.connect(prosody.host(), prosody.port());
                probes.add(probe);
                probe.send("<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xmlns='jabber:client'"
                        + " xmlns:stream='http://etherx.jabber.org/streams'>");
            }
            for (XmppProbe probe : probes) {
                assertThat(probe.readThrough("</stream:features>")).contains("<starttls");
            }
        } finally {
            for (XmppProbe probe : probes) {
                probe.close();
            }
        }
    }

    @Test
    void directTlsPort() throws Exception {
        try (XmppProbe probe = XmppProbe.connectTls(prosody.host(), prosody.directTlsPort(), TLS, "localhost")) {
            String features = probe.openStream(prosody.domain());
            assertThat(features).doesNotContain("starttls");
            assertThat(XmppProbe.mechanisms(features)).contains("SCRAM-SHA-1");
            assertThat(probe.authenticate(ScramMechanism.sha1("alice", "s3cret"))).isNull();
        }
    }

    @Test
    void stopThenStartSimulatesAnOutage(ProsodyServer server) throws Exception {
        int port = server.port();
        server.stop();
        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(() -> XmppProbe.connect(server.host(), port)).isInstanceOf(ConnectException.class);
        server.start();
        assertThat(server.port()).isEqualTo(port);
        assertThat(login(port, ScramMechanism.sha1("alice", "s3cret"))).isNull();
    }

    @Test
    void configHasTheDocumentedKeys(ProsodyServer server) throws IOException {
        String cfg = Files.readString(server.configFile());
        assertThat(cfg).contains("interfaces = { \"127.0.0.1\" }", "c2s_ports = { " + server.port() + " }",
                "c2s_direct_tls_ports = { " + server.directTlsPort() + " }", "s2s_ports = { }",
                "http_ports = { }", "https_ports = { }", "authentication = \"internal_hashed\"",
                "c2s_require_encryption = true", "admin_socket = ");
        assertThat(Files.readString(server.logFile())).contains("Activated service 'c2s'");
    }

    /** STARTTLS, then SASL; null on success, else the failure element. */
    static String login(int port, org.openzoep.xmpp.sasl.SaslMechanism mechanism) throws Exception {
        try (XmppProbe probe = XmppProbe.connect(prosody.host(), port)) {
            probe.openStream(prosody.domain());
            probe.startTls(TLS, "localhost");
            String features = probe.openStream(prosody.domain());
            assertThat(XmppProbe.mechanisms(features)).contains(mechanism.name());
            return probe.authenticate(mechanism);
        }
    }
}
