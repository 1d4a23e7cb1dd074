package org.openzoep.xmpp.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlLimits;

/**
 * Everything one session needs to log in. Immutable; build with {@link #builder(Jid, String)}.
 *
 * <p>Without {@link Builder#host}, the server is found by DNS SRV ({@code _xmpp-client._tcp} or,
 * for Direct TLS, {@code _xmpps-client._tcp}), falling back to the JID's domain on port 5222
 * (5223 for Direct TLS). The certificate is always checked against the JID's domain.
 */
public final class XmppSessionConfig {
    /** The default highest SCRAM iteration count a server may ask for. */
    public static final int DEFAULT_MAX_SCRAM_ITERATIONS = 1_000_000;
    /** The lowest SCRAM iteration count (RFC 7677 §4); also the lowest allowed maximum. */
    public static final int MIN_SCRAM_ITERATIONS = 4096;

    private final Jid jid;
    private final String password;
    private final String resource;
    private final String host;
    private final int port;
    private final TlsMode tlsMode;
    private final Path trustStorePem;
    private final Duration connectTimeout;
    private final Duration loginTimeout;
    private final Duration iqTimeout;
    private final Duration pingInterval;
    private final List<String> saslPreference;
    private final XmlLimits limits;
    private final int maxPendingStanzas;
    private final int writeBufferLowBytes;
    private final int writeBufferHighBytes;
    private final boolean plainAllowed;
    private final boolean channelBindingRequired;
    private final int maxScramIterations;

    private XmppSessionConfig(Builder b) {
        this.jid = b.jid;
        this.password = b.password;
        this.resource = b.resource;
        this.host = b.host;
        this.port = b.port;
        this.tlsMode = b.tlsMode;
        this.trustStorePem = b.trustStorePem;
        this.connectTimeout = b.connectTimeout;
        this.loginTimeout = b.loginTimeout;
        this.iqTimeout = b.iqTimeout;
        this.pingInterval = b.pingInterval;
        this.saslPreference = List.copyOf(b.saslPreference);
        this.limits = b.limits;
        this.maxPendingStanzas = b.maxPendingStanzas;
        this.writeBufferLowBytes = b.writeBufferLowBytes;
        this.writeBufferHighBytes = b.writeBufferHighBytes;
        this.plainAllowed = b.plainAllowed;
        this.channelBindingRequired = b.channelBindingRequired;
        this.maxScramIterations = b.maxScramIterations;
    }

    /** Starts a configuration for the account {@code jid} (its bare part is used) and {@code password}. */
    public static Builder builder(Jid jid, String password) {
        return new Builder(jid, password);
    }

    public Jid jid() {
        return jid;
    }

    public String password() {
        return password;
    }

    /** Requested resource, or null to let the server choose. */
    public String resource() {
        return resource;
    }

    /** Host override, or empty for DNS SRV. */
    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    /** Port override (0: from SRV or the default). */
    public int port() {
        return port;
    }

    public TlsMode tlsMode() {
        return tlsMode;
    }

    /** PEM file of trusted CA certificates, or empty for the JDK's trust store. */
    public Optional<Path> trustStorePem() {
        return Optional.ofNullable(trustStorePem);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration loginTimeout() {
        return loginTimeout;
    }

    public Duration iqTimeout() {
        return iqTimeout;
    }

    /** Interval of silence after which a XEP-0199 ping is sent; zero disables keepalive. */
    public Duration pingInterval() {
        return pingInterval;
    }

    public List<String> saslPreference() {
        return saslPreference;
    }

    public XmlLimits limits() {
        return limits;
    }

    /**
     * How many of the application's stanzas ({@link XmppSession#send}, {@link XmppSession#request})
     * may be in flight at once, from the call until the stanza is written to the socket; one more
     * is refused with {@link XmppException.Kind#QUEUE_FULL}. Default 1,000.
     */
    public int maxPendingStanzas() {
        return maxPendingStanzas;
    }

    /**
     * The connection's write-buffer low-water mark (Netty's {@code WriteBufferWaterMark}): bytes the
     * socket has not taken below which it is writable again. Default 64 KiB.
     */
    public int writeBufferLowBytes() {
        return writeBufferLowBytes;
    }

    /**
     * The write-buffer high-water mark: once this many bytes wait for the socket, the connection is
     * not writable and the application's stanzas are refused with {@link XmppException.Kind#QUEUE_FULL}
     * until it is again. Default 128 KiB.
     */
    public int writeBufferHighBytes() {
        return writeBufferHighBytes;
    }

    /** Whether SASL PLAIN may be used (never while the server offers SCRAM, never in clear). */
    public boolean plainAllowed() {
        return plainAllowed;
    }

    /** Whether login fails unless a SCRAM {@code -PLUS} mechanism binds SASL to the TLS channel. */
    public boolean channelBindingRequired() {
        return channelBindingRequired;
    }

    /** The highest SCRAM iteration count accepted from the server. */
    public int maxScramIterations() {
        return maxScramIterations;
    }

    /** Builds a configuration. */
    public static final class Builder {
        private final Jid jid;
        private final String password;
        private String resource;
        private String host;
        private int port;
        private TlsMode tlsMode = TlsMode.STARTTLS;
        private Path trustStorePem;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration loginTimeout = Duration.ofSeconds(30);
        private Duration iqTimeout = Duration.ofSeconds(30);
        private Duration pingInterval = Duration.ofMinutes(5);
        private List<String> saslPreference = List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
        private XmlLimits limits = XmlLimits.DEFAULT;
        private int maxPendingStanzas = 1000;
        private int writeBufferLowBytes = 64 * 1024;
        private int writeBufferHighBytes = 128 * 1024;
        private boolean plainAllowed = true;
        private boolean channelBindingRequired;
        private int maxScramIterations = DEFAULT_MAX_SCRAM_ITERATIONS;

        private Builder(Jid jid, String password) {
            this.jid = Objects.requireNonNull(jid, "jid").bare();
            if (jid.local() == null) {
                throw new IllegalArgumentException("an account JID needs a local part: " + jid);
            }
            this.password = Objects.requireNonNull(password, "password");
            this.resource = jid.resource();
        }

        public Builder resource(String resource) {
            this.resource = resource == null || resource.isEmpty() ? null : resource;
            return this;
        }

        public Builder host(String host) {
            this.host = host == null || host.isEmpty() ? null : host;
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder tlsMode(TlsMode mode) {
            this.tlsMode = Objects.requireNonNull(mode, "tlsMode");
            return this;
        }

        public Builder trustStorePem(Path pem) {
            this.trustStorePem = pem;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        public Builder loginTimeout(Duration d) {
            this.loginTimeout = positive(d, "loginTimeout");
            return this;
        }

        public Builder iqTimeout(Duration d) {
            this.iqTimeout = positive(d, "iqTimeout");
            return this;
        }

        public Builder pingInterval(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("pingInterval must not be negative");
            }
            this.pingInterval = d;
            return this;
        }

        public Builder saslPreference(List<String> mechanisms) {
            if (mechanisms.isEmpty()) {
                throw new IllegalArgumentException("at least one SASL mechanism must be allowed");
            }
            this.saslPreference = mechanisms;
            return this;
        }

        public Builder limits(XmlLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** See {@link XmppSessionConfig#maxPendingStanzas()}; at least 1. */
        public Builder maxPendingStanzas(int stanzas) {
            if (stanzas < 1) {
                throw new IllegalArgumentException("maxPendingStanzas must be positive");
            }
            this.maxPendingStanzas = stanzas;
            return this;
        }

        /** The write-buffer water marks in bytes; {@code 0 < low <= high}. */
        public Builder writeBufferWaterMark(int lowBytes, int highBytes) {
            if (lowBytes <= 0 || lowBytes > highBytes) {
                throw new IllegalArgumentException("write buffer water marks need 0 < low <= high: " + lowBytes
                        + ", " + highBytes);
            }
            this.writeBufferLowBytes = lowBytes;
            this.writeBufferHighBytes = highBytes;
            return this;
        }

        /** Allow SASL PLAIN (default true; even then only on TLS and when no SCRAM is offered). */
        public Builder plainAllowed(boolean allowed) {
            this.plainAllowed = allowed;
            return this;
        }

        /**
         * Require channel binding (default false): log in only with SCRAM {@code -PLUS}, so a
         * TLS-terminating man in the middle cannot authenticate as us.
         */
        public Builder channelBindingRequired(boolean required) {
            this.channelBindingRequired = required;
            return this;
        }

        /** The highest SCRAM iteration count accepted (default {@value #DEFAULT_MAX_SCRAM_ITERATIONS}). */
        public Builder maxScramIterations(int max) {
            if (max < MIN_SCRAM_ITERATIONS) {
                throw new IllegalArgumentException("maxScramIterations must be at least " + MIN_SCRAM_ITERATIONS);
            }
            this.maxScramIterations = max;
            return this;
        }

        public XmppSessionConfig build() {
            return new XmppSessionConfig(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
