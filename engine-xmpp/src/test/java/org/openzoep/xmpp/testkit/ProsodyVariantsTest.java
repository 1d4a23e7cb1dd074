package org.openzoep.xmpp.testkit;

import org.openzoep.testkit.ProsodyServer;
import org.openzoep.testkit.TestPki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.sasl.ScramMechanism;

/** Prosody configurations other than the default, each started and closed by the test itself. */
class ProsodyVariantsTest {

    private static final SSLContext TLS = TestPki.shared().clientSslContext();

    @Test
    void wrongNameCertificateIsRefusedForLocalhost() throws Exception {
        try (ProsodyServer server = ProsodyServer.builder().tls(ProsodyServer.Tls.WRONG_NAME).start();
                XmppProbe probe = XmppProbe.connect(server.host(), server.port())) {
            assertThat(probe.openStream(server.domain())).contains("<starttls");
            assertThatThrownBy(() -> probe.startTls(TLS, "localhost"))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("localhost");
        }
    }

    @Test
    void withoutTlsStartTlsIsNotOffered() throws Exception {
        try (ProsodyServer server = ProsodyServer.builder().tls(ProsodyServer.Tls.NONE).requireEncryption(false)
                .account("carol", "pw12345").start();
                XmppProbe probe = XmppProbe.connect(server.host(), server.port())) {
            String features = probe.openStream(server.domain());
            assertThat(features).contains("<stream:features").doesNotContain("starttls");
            // SCRAM works without TLS; PLAIN is not offered on an unencrypted stream.
            assertThat(XmppProbe.mechanisms(features)).contains("SCRAM-SHA-1").doesNotContain("PLAIN");
            assertThat(probe.authenticate(ScramMechanism.sha1("carol", "pw12345"))).isNull();
        }
    }

    @Test
    void sha256PasswordHashOffersScramSha256() throws Exception {
        try (ProsodyServer server = ProsodyServer.builder().passwordHash(ProsodyServer.PasswordHash.SHA_256)
                .allowRegistration(true).account("dave", "pw").start()) {
            server.createAccounts("bulk", 3, "bulkpw");
            assertThat(server.scramMechanism()).isEqualTo("SCRAM-SHA-256");
            for (String[] cred : new String[][] {{"dave", "pw"}, {"bulk2", "bulkpw"}}) {
                try (XmppProbe probe = XmppProbe.connect(server.host(), server.port())) {
                    probe.openStream(server.domain());
                    probe.startTls(TLS, "localhost");
                    String features = probe.openStream(server.domain());
                    assertThat(XmppProbe.mechanisms(features)).contains("SCRAM-SHA-256").doesNotContain("SCRAM-SHA-1");
                    // allow_registration: XEP-0077 in-band registration is advertised.
                    assertThat(features).contains("http://jabber.org/features/iq-register");
                    assertThat(probe.authenticate(ScramMechanism.sha256(cred[0], cred[1]))).isNull();
                }
            }
        }
    }

    @Test
    void closeStopsTheProcessAndDeletesTheDirectory() throws Exception {
        ProsodyServer server = ProsodyServer.builder().start();
        Path dir = server.directory();
        int port = server.port();
        assertThat(server.isRunning()).isTrue();
        assertThat(dir.resolve("prosody.cfg.lua")).exists();
        server.close();
        assertThat(server.isRunning()).isFalse();
        assertThat(dir).doesNotExist();
        assertThatThrownBy(() -> XmppProbe.connect(ProsodyServer.HOST, port)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void takenPortIsReplacedByAFreeOne() throws Exception {
        try (java.net.ServerSocket squatter = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            ProsodyServer.Builder builder = ProsodyServer.builder();
            builder.firstPort(squatter.getLocalPort());
            try (ProsodyServer server = builder.start()) {
                assertThat(server.port()).isNotEqualTo(squatter.getLocalPort());
                // The failed first attempt is in the log; the server we talk to is Prosody.
                assertThat(java.nio.file.Files.readString(server.logFile())).contains("Failed to open server port");
                try (XmppProbe probe = XmppProbe.connect(server.host(), server.port())) {
                    assertThat(probe.openStream(server.domain())).contains("<starttls");
                }
            }
        }
    }

    @Test
    void startupFailureCarriesTheLog() {
        // A config error must surface as a clear failure, not a hang.
        assertThatThrownBy(() -> ProsodyServer.builder().config("this is not lua").startupTimeout(
                java.time.Duration.ofSeconds(10)).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Prosody exited with code 1")
                // The tail of Prosody's output names the problem.
                .hasMessageContaining("syntax error near 'is'");
    }
}
