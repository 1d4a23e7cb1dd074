package org.openzoep.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway PKI for tests: one CA and any number of server certificates signed by it, made with
 * the {@code openssl} CLI (Debian package {@code openssl}) in a temp directory.
 *
 * <p>Keys are ECDSA P-256 in unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), which Prosody,
 * Netty and the JDK all read. Server certificates carry the DNS name as CN and as the only
 * subjectAltName, {@code extendedKeyUsage=serverAuth}, and are valid from one day ago for
 * {@value #VALID_DAYS} days. The CA certificate ({@link #caCertificate()}) is the trust store a
 * client under test loads.
 *
 * <p>{@link #shared()} is one PKI per JVM, created on first use (about 0.1 s) and deleted when the
 * JVM exits; certificates are cached per DNS name. Safe from any thread.
 *
 * <pre>{@code
 * TestPki pki = TestPki.shared();
 * TestPki.ServerCertificate good = pki.serverCertificate("localhost");
 * TestPki.ServerCertificate bad = pki.serverCertificate("wrong.example");
 * Path trustStorePem = pki.caCertificate();
 * }</pre>
 */
public final class TestPki {

    /** Validity of every certificate, in days. */
    public static final int VALID_DAYS = 30;

    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9*]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(30);

    /** A server key pair and its certificate, both PEM files. */
    public record ServerCertificate(String dnsName, Path certificate, Path privateKey) {
    }

    private static final class Shared {
        static final TestPki INSTANCE = createShared();

        private static TestPki createShared() {
            try {
                Path dir = Files.createTempDirectory("openzoep-pki-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> Exec.deleteTree(dir), "openzoep-pki-cleanup"));
                return new TestPki(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the test PKI directory", e);
            }
        }
    }

    private final Path dir;
    private final Path openssl;
    private final Path caCert;
    private final Path caKey;
    private final ConcurrentMap<String, ServerCertificate> servers = new ConcurrentHashMap<>();

    /** The PKI shared by every test of this JVM. */
    public static TestPki shared() {
        return Shared.INSTANCE;
    }

    /**
     * A new PKI with its own CA in {@code dir} (which must exist); the caller deletes it. Use this
     * when a test needs a CA the client must not trust.
     */
    public static TestPki create(Path dir) {
        return new TestPki(dir);
    }

    private TestPki(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.openssl = Exec.require("openssl", "openssl");
        this.caCert = dir.resolve("ca.pem");
        this.caKey = dir.resolve("ca.key");
        Exec.run(List.of(openssl.toString(), "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", caKey.toString(), "-out", caCert.toString(),
                "-days", String.valueOf(VALID_DAYS + 1), "-subj", "/O=OpenZoep tests/CN=OpenZoep Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign"), dir, OPENSSL_TIMEOUT);
    }

    /** The CA certificate (PEM): the trust store of a client under test. */
    public Path caCertificate() {
        return caCert;
    }

    /** The directory holding every file of this PKI. */
    public Path directory() {
        return dir;
    }

    /**
     * The server certificate for {@code dnsName}, signed by this CA; made on first request, then
     * cached.
     *
     * @param dnsName a DNS name such as {@code localhost} or {@code wrong.example}
     */
    public ServerCertificate serverCertificate(String dnsName) {
        if (!DNS_NAME.matcher(dnsName).matches()) {
            throw new IllegalArgumentException("not a DNS name: " + dnsName);
        }
        return servers.computeIfAbsent(dnsName.toLowerCase(java.util.Locale.ROOT), this::issue);
    }

    private ServerCertificate issue(String dnsName) {
        String base = "server-" + dnsName.replace('*', '_');
        Path key = dir.resolve(base + ".key");
        Path csr = dir.resolve(base + ".csr");
        Path cert = dir.resolve(base + ".pem");
        Path ext = dir.resolve(base + ".ext");
        try {
            Files.writeString(ext, "basicConstraints=critical,CA:FALSE\n"
                    + "keyUsage=critical,digitalSignature,keyEncipherment\n"
                    + "extendedKeyUsage=serverAuth\n"
                    + "subjectAltName=DNS:" + dnsName + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Exec.run(List.of(openssl.toString(), "req", "-new", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + dnsName), dir, OPENSSL_TIMEOUT);
        Exec.run(List.of(openssl.toString(), "x509", "-req", "-in", csr.toString(),
                "-CA", caCert.toString(), "-CAkey", caKey.toString(), "-CAcreateserial",
                "-days", String.valueOf(VALID_DAYS), "-sha256",
                "-extfile", ext.toString(), "-out", cert.toString()), dir, OPENSSL_TIMEOUT);
        return new ServerCertificate(dnsName, cert, key);
    }

    /** The CA certificate, parsed. */
    public X509Certificate caX509() {
        try (InputStream in = Files.newInputStream(caCert)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot parse " + caCert, e);
        }
    }

    /** A trust manager factory that trusts this CA and nothing else. */
    public TrustManagerFactory trustManagerFactory() {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("openzoep-test-ca", caX509());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust store from " + caCert, e);
        }
    }

    /**
     * A JDK client {@link SSLContext} that trusts this CA only (for test clients; the engine builds
     * its own from {@link #caCertificate()}). Host names are checked only when the caller sets
     * {@code SSLParameters.setEndpointIdentificationAlgorithm("HTTPS")}.
     */
    public SSLContext clientSslContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trustManagerFactory().getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an SSLContext", e);
        }
    }
}
