package org.openzoep.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProsodyConfigTest {

    @TempDir
    Path dir;

    private String write(ProsodyServer.Builder settings, int port, int directTlsPort) throws Exception {
        new ProsodyConfig(settings).write(dir, port, directTlsPort);
        return Files.readString(dir.resolve(ProsodyConfig.CONFIG_FILE));
    }

    @Test
    void withoutTlsThereIsNoTlsModuleAndNoCertificate() throws Exception {
        String c = write(ProsodyServer.builder().tls(ProsodyServer.Tls.NONE).requireEncryption(false)
                .passwordHash(ProsodyServer.PasswordHash.SHA_256).iterationCount(5000).tcpBacklog(77)
                .modules("smacks", "ping").config("c2s_timeout = 10").logLevel("debug"), 5222, -1);
        assertThat(c).contains("c2s_ports = { 5222 }\n")
                .contains("c2s_direct_tls_ports = {  }\n")
                .contains("network_settings = { tcp_backlog = 77 }\n")
                .contains("password_hash = \"SHA-256\"\n")
                .contains("default_iteration_count = 5000\n")
                .contains("c2s_require_encryption = false\n")
                .contains("allow_registration = false\n")
                .contains("modules_enabled = { \"roster\"; \"saslauth\"; \"disco\"; \"ping\"; \"register\"; "
                        + "\"presence\"; \"message\"; \"iq\"; \"smacks\"; }\n")
                .contains("log = { { levels = { min = \"debug\" }, to = \"file\", filename = "
                        + ProsodyConfig.lua(dir.resolve(ProsodyConfig.LOG_FILE)) + " } }\n")
                .contains("c2s_timeout = 10\n")
                .doesNotContain("ssl = ")
                .endsWith("\nVirtualHost \"localhost\"\n");
        assertThat(c.indexOf("c2s_timeout")).isLessThan(c.indexOf("VirtualHost"));
    }

    @Test
    void validTlsNamesTheLocalhostCertificateAndDirectTlsItsPort() throws Exception {
        TestPki pki = TestPki.shared();
        String c = write(ProsodyServer.builder().pki(pki).directTls(true), 5222, 5223);
        TestPki.ServerCertificate cert = pki.serverCertificate(ProsodyServer.DOMAIN);
        assertThat(c).contains("c2s_direct_tls_ports = { 5223 }\n")
                .contains("\"tls\";")
                .contains("ssl = { key = " + ProsodyConfig.lua(cert.privateKey()) + ", certificate = "
                        + ProsodyConfig.lua(cert.certificate()) + " }\n");
    }

    @Test
    void wrongNameTlsUsesTheOtherCertificate() throws Exception {
        TestPki pki = TestPki.shared();
        String c = write(ProsodyServer.builder().pki(pki).tls(ProsodyServer.Tls.WRONG_NAME), 5222, -1);
        assertThat(c).contains(ProsodyConfig.lua(pki.serverCertificate(ProsodyServer.WRONG_NAME).certificate()));
    }

    @Test
    void luaStringsEscapeQuotesBackslashesAndNewlines() {
        assertThat(ProsodyConfig.lua("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\nd\"");
    }
}
