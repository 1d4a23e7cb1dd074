package org.openzoep.xmpp.tls;

import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.security.SecureRandom;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Builds and caches the client {@link SslContext}s of one engine, one per trust configuration
 * and TLS mode.
 *
 * <p>Validation is PKIX against the JDK's trust store, or against the CA certificates of a PEM
 * file for private servers. The server's name is checked with the JDK's "HTTPS" endpoint
 * identification (DNS-ID subjectAltNames with RFC 6125's wildcard rule; the CN only when no
 * DNS-ID exists) against the JID domain, which the session passes as the peer host, so SNI
 * carries it too. Direct TLS offers ALPN {@code xmpp-client} (XEP-0368).
 *
 * <p>The engines come from BouncyCastle's JSSE provider, held by this object and never installed
 * in {@link java.security.Security}: unlike the JDK's, its engine gives the channel-binding data
 * SCRAM {@code -PLUS} needs ({@link ChannelBindings}). The cryptography underneath is the JDK's
 * (BC JSSE's default JCA crypto); trust managers and endpoint identification are the standard
 * JSSE ones.
 *
 * <p>Thread: safe. {@link #forTrustStore} reads files: call it from an API thread, never from an
 * event loop.
 */
public final class TlsContexts {

    private final Map<String, SslContext> cache = new ConcurrentHashMap<>();
    private final Provider jsse = new BouncyCastleJsseProvider(false, new JdkCrypto());

    /**
     * The context for {@code trustStorePem} (empty: the JDK's trust store).
     *
     * @throws GeneralSecurityException when the PEM file holds no certificate or cannot be read
     */
    public SslContext forTrustStore(Optional<Path> trustStorePem, TlsMode mode) throws GeneralSecurityException {
        String key = mode + "|" + trustStorePem.map(p -> p.toAbsolutePath().normalize().toString()).orElse("");
        SslContext c = cache.get(key);
        if (c == null) {
            c = build(trustStorePem, mode);
            SslContext prev = cache.putIfAbsent(key, c);
            if (prev != null) {
                c = prev;
            }
        }
        return c;
    }

    private SslContext build(Optional<Path> trustStorePem, TlsMode mode) throws GeneralSecurityException {
        try {
            SslContextBuilder b = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .sslContextProvider(jsse)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .endpointIdentificationAlgorithm("HTTPS")
                    // The JDK keeps up to 20,480 client sessions for a day by default: with thousands
                    // of accounts on one server that is kilobytes per account for no benefit.
                    .sessionCacheSize(256)
                    .sessionTimeout(3600);
            if (trustStorePem.isPresent()) {
                b.trustManager(trustManagers(trustStorePem.get()));
            }
            return new XmppSslContext(b.build(), mode == TlsMode.DIRECT_TLS);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot build TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * BC JSSE's JCA crypto on the JDK's providers (AES-GCM with the JDK's intrinsics). Its default
     * asks for a {@code DEFAULT} SecureRandom, which only BouncyCastle's own provider has; this
     * one uses the JDK's default SecureRandom instead, without installing any provider.
     */
    private static final class JdkCrypto extends JcaTlsCryptoProvider {
        @Override
        public JcaTlsCrypto create(SecureRandom keyRandom) {
            return create(keyRandom != null ? keyRandom : new SecureRandom(), new SecureRandom());
        }
    }

    /**
     * Sets ALPN on each engine itself: Netty's ALPN support wraps the engine in its own class,
     * which would hide BouncyCastle's from {@link ChannelBindings#of}.
     */
    private static final class XmppSslContext extends DelegatingSslContext {
        private final boolean alpn;

        XmppSslContext(SslContext context, boolean alpn) {
            super(context);
            this.alpn = alpn;
        }

        @Override
        protected void initEngine(SSLEngine engine) {
            if (alpn) {
                SSLParameters p = engine.getSSLParameters();
                p.setApplicationProtocols(new String[] {"xmpp-client"});
                engine.setSSLParameters(p);
            }
        }
    }

    /** PKIX trust managers for the certificates in a PEM file. */
    public static TrustManagerFactory trustManagers(Path pem) throws GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pem)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot read trust store " + pem + ": " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("trust store " + pem + " holds no certificate");
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                if (c instanceof X509Certificate) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            return tmf;
        } catch (IOException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }
}
