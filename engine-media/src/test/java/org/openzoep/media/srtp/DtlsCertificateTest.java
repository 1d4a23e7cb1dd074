package org.openzoep.media.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.Test;

class DtlsCertificateTest {

    @Test
    void fingerprintIsUpperCaseHexPairsWithColons() {
        DtlsCertificate c = DtlsCertificate.generate();
        assertEquals("sha-256", c.hashFunction());
        assertTrue(c.fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), c.fingerprint());
        assertEquals(c.fingerprint(), DtlsCertificate.fingerprint(c.encoded(), "SHA-256"));
        assertNotEquals(c.fingerprint(), DtlsCertificate.generate().fingerprint());
    }

    /** FIPS 180-2 / 180-4 examples: the digests of "abc". */
    @Test
    void fingerprintOfBytesUsesTheNamedHash() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals("A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D",
                DtlsCertificate.fingerprint(abc, "sha-1"));
        assertEquals("BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD",
                DtlsCertificate.fingerprint(abc, "sha-256"));
        assertEquals(48 * 3 - 1, DtlsCertificate.fingerprint(abc, "sha-384").length());
        assertTrue(DtlsCertificate.fingerprint(abc, "sha-512").startsWith("DD:AF:35:A1:93:61:7A:BA"));
        assertThrows(IllegalArgumentException.class, () -> DtlsCertificate.fingerprint(abc, "md5"));
    }

    @Test
    void certificateIsSelfSignedEcdsaP256() throws Exception {
        DtlsCertificate c = DtlsCertificate.generate();
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(c.encoded()));
        x509.verify(x509.getPublicKey());
        x509.checkValidity();
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        assertEquals(256, ((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        assertEquals(x509.getSubjectX500Principal(), x509.getIssuerX500Principal());
    }
}
