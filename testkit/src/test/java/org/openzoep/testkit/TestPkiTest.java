package org.openzoep.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {

    @Test
    void serverCertificateIsSignedByTheCaForItsName() throws Exception {
        TestPki pki = TestPki.shared();
        TestPki.ServerCertificate cert = pki.serverCertificate("localhost");
        X509Certificate x509 = read(cert.certificate());
        X509Certificate ca = pki.caX509();
        x509.verify(ca.getPublicKey());
        x509.checkValidity();
        assertThat(x509.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"));
        assertThat(x509.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(x509.getBasicConstraints()).isEqualTo(-1);
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(Files.readString(cert.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(pki.caCertificate()).exists();
    }

    @Test
    void sharedPkiCachesPerName() {
        TestPki pki = TestPki.shared();
        assertThat(TestPki.shared()).isSameAs(pki);
        assertThat(pki.serverCertificate("localhost")).isSameAs(pki.serverCertificate("LOCALHOST"));
        TestPki.ServerCertificate wrong = pki.serverCertificate("wrong.example");
        assertThat(wrong.certificate()).isNotEqualTo(pki.serverCertificate("localhost").certificate());
    }

    @Test
    void aSeparatePkiHasAnotherCa(@TempDir Path dir) throws Exception {
        TestPki other = TestPki.create(dir);
        X509Certificate foreign = read(other.serverCertificate("localhost").certificate());
        assertThatThrownBy(() -> foreign.verify(TestPki.shared().caX509().getPublicKey()))
                .isInstanceOf(SignatureException.class);
    }

    @Test
    void rejectsNonDnsNames() {
        assertThatThrownBy(() -> TestPki.shared().serverCertificate("bad name/../x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
