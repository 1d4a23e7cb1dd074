package org.openzoep.media.srtp;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed ECDSA P-256 certificate and its key, for DTLS-SRTP (RFC 5763 section 5: a
 * self-signed certificate whose fingerprint travels in the signalling). One per engine: make it
 * at start-up, not per call. Also computes fingerprints in the SDP / XEP-0320 form (RFC 8122
 * section 5: upper-case hex pairs separated by colons).
 *
 * <p>Thread: immutable, shared by every handshake.
 */
public final class DtlsCertificate {

    private static final Duration VALIDITY = Duration.ofDays(365);

    private final byte[] der;
    private final PrivateKey privateKey;
    private final String fingerprint;

    private DtlsCertificate(byte[] der, PrivateKey privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.fingerprint = fingerprint(der, "sha-256");
    }

    /** Generates a new key pair and self-signed certificate (a few milliseconds). */
    public static DtlsCertificate generate() {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = gen.generateKeyPair();
            X500Name name = new X500Name("CN=OpenZoep");
            Instant now = Instant.now();
            // a day back: the peer's clock may be behind ours
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(63, random).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)),
                    name, pair.getPublic());
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()))
                    .getEncoded();
            return new DtlsCertificate(der, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make an ECDSA P-256 certificate with this JDK", e);
        }
    }

    /** The hash function of {@link #fingerprint()}: {@code "sha-256"}. */
    public String hashFunction() {
        return "sha-256";
    }

    /** SHA-256 fingerprint of the certificate, e.g. {@code "AB:01:...:FF"} (32 pairs). */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * The fingerprint of a DER certificate in the SDP / XEP-0320 form.
     *
     * @param hashFunction {@code "sha-1"}, {@code "sha-224"}, {@code "sha-256"}, {@code "sha-384"}
     *     or {@code "sha-512"} (case-insensitive, as in RFC 8122's registry)
     * @throws IllegalArgumentException for another hash function
     */
    public static String fingerprint(byte[] derCertificate, String hashFunction) {
        byte[] digest = digest(hashFunction).digest(derCertificate);
        StringBuilder sb = new StringBuilder(digest.length * 3);
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.toUpperCase(Character.forDigit((digest[i] >>> 4) & 0xF, 16)));
            sb.append(Character.toUpperCase(Character.forDigit(digest[i] & 0xF, 16)));
        }
        return sb.toString();
    }

    /** Whether a hash function name is one {@link #fingerprint(byte[], String)} knows. */
    static boolean knownHashFunction(String hashFunction) {
        try {
            digest(hashFunction);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static MessageDigest digest(String hashFunction) {
        String jca;
        switch (hashFunction == null ? "" : hashFunction.toLowerCase(Locale.ROOT)) {
            case "sha-1": jca = "SHA-1"; break;
            case "sha-224": jca = "SHA-224"; break;
            case "sha-256": jca = "SHA-256"; break;
            case "sha-384": jca = "SHA-384"; break;
            case "sha-512": jca = "SHA-512"; break;
            default: throw new IllegalArgumentException("unsupported fingerprint hash function: " + hashFunction);
        }
        try {
            return MessageDigest.getInstance(jca);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jca + " is missing from this JDK", e);
        }
    }

    /** The DER encoding (a copy). */
    public byte[] encoded() {
        return der.clone();
    }

    byte[] der() {
        return der;
    }

    PrivateKey privateKey() {
        return privateKey;
    }
}
