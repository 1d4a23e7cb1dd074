package org.openzoep.xmpp.tls;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Locale;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.jsse.BCSSLConnection;
import org.bouncycastle.jsse.BCSSLEngine;

/**
 * The channel-binding data of one established TLS connection (RFC 5056), for SCRAM
 * {@code -PLUS}: {@value #TLS_EXPORTER} (RFC 9266; TLS 1.3), {@value #TLS_UNIQUE} (RFC 5929 §3;
 * TLS 1.2 and below: the first Finished message) and {@value #TLS_SERVER_END_POINT} (RFC 5929 §4:
 * a hash of the server's certificate).
 *
 * <p>The data come from BouncyCastle's JSSE engine ({@link BCSSLEngine}), which
 * {@link TlsContexts} uses for XMPP; any other engine gives none. {@link #types()} lists what
 * this connection can give, best first: {@code tls-exporter} then {@code tls-server-end-point} on
 * TLS 1.3; {@code tls-unique} then {@code tls-server-end-point} on TLS 1.2 ({@code tls-exporter}
 * on TLS 1.2 is left out: RFC 9266 §3 allows it only with the extended master secret, and
 * {@code tls-unique} is what servers of that age bind to).
 *
 * <p>Limit: BouncyCastle's JSSE 1.82 wipes the exporter secret once its handshake-complete
 * callback returns ({@code TlsProtocol.cleanupHandshake}), and its engine offers no hook to run
 * inside that callback, so after the handshake {@code getChannelBinding("tls-exporter")} throws
 * "Export of key material only available from notifyHandshakeComplete()". Until a version keeps
 * it, a TLS 1.3 connection binds with {@code tls-server-end-point}; {@code tls-exporter} is tried
 * first and used as soon as the engine gives it.
 *
 * <p>Thread: read it on the connection's event loop after the handshake; the values are copied
 * out then and the object is immutable. Buffers: none.
 */
public final class ChannelBindings {
    /** RFC 9266. */
    public static final String TLS_EXPORTER = "tls-exporter";
    /** RFC 5929 §3. */
    public static final String TLS_UNIQUE = "tls-unique";
    /** RFC 5929 §4. */
    public static final String TLS_SERVER_END_POINT = "tls-server-end-point";

    /** No binding data (no TLS, or an engine that gives none). */
    public static final ChannelBindings NONE = new ChannelBindings("", List.of(), List.of());

    private final String protocol;
    private final List<String> types;
    private final List<byte[]> data;

    private ChannelBindings(String protocol, List<String> types, List<byte[]> data) {
        this.protocol = protocol;
        this.types = List.copyOf(types);
        this.data = List.copyOf(data);
    }

    /** The bindings of {@code engine}'s established connection ({@link #NONE} if it gives none). */
    public static ChannelBindings of(SSLEngine engine) {
        if (!(Objects.requireNonNull(engine, "engine") instanceof BCSSLEngine bc)) {
            return NONE;
        }
        BCSSLConnection connection = bc.getConnection();
        if (connection == null) {
            return NONE;
        }
        SSLSession session = engine.getSession();
        String protocol = session.getProtocol();
        List<String> wanted = "TLSv1.3".equals(protocol) ? List.of(TLS_EXPORTER, TLS_SERVER_END_POINT)
                : List.of(TLS_UNIQUE, TLS_SERVER_END_POINT);
        List<String> types = new ArrayList<>(2);
        List<byte[]> data = new ArrayList<>(2);
        for (String type : wanted) {
            byte[] d;
            try {
                d = connection.getChannelBinding(type);
            } catch (IllegalStateException | UnsupportedOperationException e) {
                continue; // see the class documentation: BC JSSE keeps no exporter secret
            }
            if ((d == null || d.length == 0) && type.equals(TLS_SERVER_END_POINT)) {
                d = serverEndPoint(session); // BC 1.82 leaves it empty on TLS 1.3
            }
            if (d != null && d.length > 0) {
                types.add(type);
                data.add(d);
            }
        }
        return new ChannelBindings(protocol, types, data);
    }

    /**
     * RFC 5929 §4.1: the hash of the server's certificate, with the hash function of its
     * signature algorithm, SHA-256 in place of MD5 and SHA-1; null where RFC 5929 defines none
     * (EdDSA, RSASSA-PSS without a hash in its name) or there is no certificate.
     */
    static byte[] serverEndPoint(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
            return null;
        }
        String alg = cert.getSigAlgName().toUpperCase(Locale.ROOT);
        int with = alg.indexOf("WITH");
        if (with <= 0) {
            return null;
        }
        String hash = switch (alg.substring(0, with)) {
            case "MD5", "SHA1", "SHA224", "SHA256" -> "SHA-256";
            case "SHA384" -> "SHA-384";
            case "SHA512" -> "SHA-512";
            default -> null;
        };
        if (hash == null) {
            return null;
        }
        try {
            return MessageDigest.getInstance(hash).digest(cert.getEncoded());
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** The negotiated protocol, e.g. {@code TLSv1.3}; empty for {@link #NONE}. */
    public String protocol() {
        return protocol;
    }

    /** The types this connection gives, best first. */
    public List<String> types() {
        return types;
    }

    /**
     * The data of {@code type}; a new array.
     *
     * @throws IllegalArgumentException when {@code type} is not one of {@link #types()}
     */
    public byte[] data(String type) {
        int i = types.indexOf(type);
        if (i < 0) {
            throw new IllegalArgumentException("no " + type + " channel binding on this connection");
        }
        return data.get(i).clone();
    }
}
