package org.openzoep.xmpp.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
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
        String protocol = engine.getSession().getProtocol();
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
            if (d != null && d.length > 0) {
                types.add(type);
                data.add(d);
            }
        }
        return new ChannelBindings(protocol, types, data);
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
