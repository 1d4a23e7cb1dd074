package org.openzoep.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A private Prosody 0.12 (Debian package {@code prosody}) on loopback, with its own temp
 * directory: config, data, certificates, log and pidfile.
 *
 * <p>The generated config: {@code interfaces = { "127.0.0.1" }}, c2s on a free port (and
 * optionally {@code c2s_direct_tls_ports}, XEP-0368), empty s2s/http/https ports,
 * {@code authentication = "internal_hashed"}, {@code c2s_require_encryption} (default true),
 * {@code run_as_root = true} when the JVM runs as root, {@code admin_socket} and log file inside
 * the temp directory, and the modules {@value #MODULES} plus any extra ones. TLS uses a
 * certificate from {@link TestPki} for {@code localhost}, or for a wrong name, or is switched off
 * entirely so that STARTTLS is not offered ({@link Tls}). Prosody runs in the foreground
 * ({@code -F}; 0.12 deprecates the {@code daemonize} option) under
 * {@code bash -c 'ulimit -n N; exec prosody ...'}, where N defaults to the hard limit, so that
 * thousands of connections do not run out of descriptors.
 *
 * <p>Life cycle: {@link #start()} launches Prosody and returns once it has logged that the c2s
 * port(s) are active and a TCP connect succeeds (deadline {@link Settings#startupTimeout}; on
 * failure the exception carries the log tail). {@link #stop()} sends SIGTERM, then SIGKILL after
 * a deadline; {@link #start()} again reuses the same port, config and data (to simulate a server
 * that goes down and comes back). {@link #close()} stops and deletes the temp directory.
 *
 * <p>Accounts: {@link #createAccount} runs {@code prosodyctl register} (about 0.15 s each);
 * {@link #createAccounts} writes the account files directly in the {@code internal_hashed}
 * format ({@code data/localhost/accounts/USER.dat}: {@code salt}, {@code iteration_count},
 * {@code stored_key}, {@code server_key} in hex), thousands per second, and works while Prosody
 * runs (its file store reads account files on every login).
 *
 * <pre>{@code
 * try (ProsodyServer prosody = ProsodyServer.builder().account("alice", "secret").start()) {
 *     connect(prosody.host(), prosody.port(), prosody.domain(), prosody.caCertificate());
 * }
 * }</pre>
 *
 * <p>Parts (package-private): {@link ProsodyConfig} writes the Lua config, {@link ProsodyAccounts}
 * registers and writes accounts, {@link ProsodyProcess} starts, waits for and stops the process.
 * This class holds the settings, the temp directory and the ports, and retries on fresh ports.
 *
 * <p>Threads: used from the test thread; blocking; not thread-safe.
 */
public final class ProsodyServer implements AutoCloseable {

    /** The one VirtualHost. */
    public static final String DOMAIN = "localhost";

    /** The interface Prosody listens on. */
    public static final String HOST = "127.0.0.1";

    /** Modules always enabled. */
    public static final String MODULES = "roster saslauth tls disco ping register presence message iq";

    private static final int MAX_BIND_ATTEMPTS = 3;

    /** How the server does TLS. */
    public enum Tls {
        /** A certificate for {@code localhost} signed by {@link TestPki}'s CA. */
        VALID,
        /** A certificate for {@value ProsodyServer#WRONG_NAME}, signed by the same CA: a client must refuse it. */
        WRONG_NAME,
        /** No certificate and no {@code mod_tls}: STARTTLS is not offered, Direct TLS impossible. */
        NONE
    }

    /** The DNS name of the {@link Tls#WRONG_NAME} certificate. */
    public static final String WRONG_NAME = "wrong.example";

    /** Prosody's {@code password_hash}: which SCRAM mechanism the server offers. */
    public enum PasswordHash {
        /** Offers SCRAM-SHA-1 (Prosody's default). */
        SHA_1("SHA-1", "SHA-1", "HmacSHA1", "PBKDF2WithHmacSHA1", 160),
        /** Offers SCRAM-SHA-256 instead of SCRAM-SHA-1. */
        SHA_256("SHA-256", "SHA-256", "HmacSHA256", "PBKDF2WithHmacSHA256", 256);

        final String prosodyName;
        final String digest;
        final String hmac;
        final String pbkdf2;
        final int bits;

        PasswordHash(String prosodyName, String digest, String hmac, String pbkdf2, int bits) {
            this.prosodyName = prosodyName;
            this.digest = digest;
            this.hmac = hmac;
            this.pbkdf2 = pbkdf2;
            this.bits = bits;
        }

        /** The SASL mechanism the server offers with this setting. */
        public String scramMechanism() {
            return "SCRAM-" + prosodyName;
        }
    }

    /**
     * The server's settings, shared by {@link Builder} and {@link ProsodyExtension.Builder}.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    public abstract static class Settings<B extends Settings<B>> {
        Tls tls = Tls.VALID;
        boolean requireEncryption = true;
        boolean allowRegistration;
        boolean directTls;
        PasswordHash passwordHash = PasswordHash.SHA_1;
        int iterationCount = 4096;
        final List<String> extraModules = new ArrayList<>();
        final List<String> extraConfig = new ArrayList<>();
        String logLevel = "info";
        Duration startupTimeout = Duration.ofSeconds(20);
        Duration stopTimeout = Duration.ofSeconds(10);
        int fileDescriptorLimit;
        int tcpBacklog = 1024;
        final Map<String, String> accounts = new LinkedHashMap<>();
        TestPki pki;
        /** LuaSec's {@code ssl.protocol}, or null for Prosody's default ({@code tlsv1_2+}). */
        String tlsProtocol;
        /** The c2s port of the first attempt (0: a free one); a taken one exercises the retry. */
        int firstPort;

        Settings() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** The c2s port to try first (default 0: a free one); when it is taken, a free one is used. */
        public B firstPort(int port) {
            this.firstPort = port;
            return self();
        }

        /** TLS mode; default {@link Tls#VALID}. */
        public B tls(Tls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return self();
        }

        /** {@code c2s_require_encryption}; default true. */
        public B requireEncryption(boolean require) {
            this.requireEncryption = require;
            return self();
        }

        /** {@code allow_registration} (XEP-0077 in-band registration); default false. */
        public B allowRegistration(boolean allow) {
            this.allowRegistration = allow;
            return self();
        }

        /** Also listen for Direct TLS (XEP-0368, {@code c2s_direct_tls_ports}); default false. */
        public B directTls(boolean enable) {
            this.directTls = enable;
            return self();
        }

        /** {@code password_hash}, which decides the SCRAM mechanism offered; default SHA-1. */
        public B passwordHash(PasswordHash hash) {
            this.passwordHash = Objects.requireNonNull(hash, "hash");
            return self();
        }

        /**
         * SCRAM iteration count of new accounts ({@code default_iteration_count}); default 4096,
         * the RFC 7677 minimum (Prosody's own default is 10000). Clients pay for it at each login.
         */
        public B iterationCount(int iterations) {
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations < 1");
            }
            this.iterationCount = iterations;
            return self();
        }

        /** More modules to enable, e.g. {@code "smacks", "carbons"}. */
        public B modules(String... modules) {
            extraModules.addAll(List.of(modules));
            return self();
        }

        /** A raw line for the global section of the config, e.g. {@code c2s_timeout = 10}. */
        public B config(String luaLine) {
            extraConfig.add(Objects.requireNonNull(luaLine, "luaLine"));
            return self();
        }

        /**
         * Minimum log level of the log file: {@code "debug"} or {@code "info"} (default). Not
         * higher: startup is detected from an info line.
         */
        public B logLevel(String level) {
            if (!level.equals("debug") && !level.equals("info")) {
                throw new IllegalArgumentException("log level must be debug or info: " + level);
            }
            this.logLevel = level;
            return self();
        }

        /** How long {@link ProsodyServer#start()} waits for the port; default 20 s. */
        public B startupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
            return self();
        }

        /** How long {@link ProsodyServer#stop()} waits after SIGTERM before SIGKILL; default 10 s. */
        public B stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
            return self();
        }

        /**
         * The {@code ulimit -n} Prosody runs with; default 0, meaning the hard limit. Startup
         * fails when the value exceeds the hard limit.
         */
        public B fileDescriptorLimit(int limit) {
            this.fileDescriptorLimit = limit;
            return self();
        }

        /** The listen backlog ({@code network_settings.tcp_backlog}); default 1024 (Prosody: 128). */
        public B tcpBacklog(int backlog) {
            this.tcpBacklog = backlog;
            return self();
        }

        /** An account created (with {@code prosodyctl register}) before the first start. */
        public B account(String user, String password) {
            accounts.put(Objects.requireNonNull(user, "user"), Objects.requireNonNull(password, "password"));
            return self();
        }

        /**
         * The TLS versions Prosody accepts, as LuaSec's {@code ssl.protocol} (e.g.
         * {@code "tlsv1_2"} for TLS 1.2 only: Prosody 0.12 offers SCRAM {@code -PLUS} only with
         * {@code tls-unique}, which TLS 1.3 lacks); default Prosody's ({@code tlsv1_2+}).
         */
        public B tlsProtocol(String protocol) {
            this.tlsProtocol = Objects.requireNonNull(protocol, "protocol");
            return self();
        }

        /** The PKI for the server certificate; default {@link TestPki#shared()}. */
        public B pki(TestPki pki) {
            this.pki = Objects.requireNonNull(pki, "pki");
            return self();
        }
    }

    /** Builds a {@link ProsodyServer}. */
    public static final class Builder extends Settings<Builder> {
        Builder() {
        }

        /** The server, not yet started. */
        public ProsodyServer build() {
            return new ProsodyServer(this);
        }

        /** The server, started. */
        public ProsodyServer start() {
            ProsodyServer server = build();
            try {
                return server.start();
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
        }
    }

    /** A builder with the defaults of {@link Settings}. */
    public static Builder builder() {
        return new Builder();
    }

    private final Tls tls;
    private final boolean directTls;
    private final PasswordHash passwordHash;
    private final Map<String, String> initialAccounts;
    private int firstPort;
    private final ProsodyConfig config;
    private final ProsodyProcess process;
    private final ProsodyAccounts accounts;

    private Path dir;
    private int port;
    private int directTlsPort = -1;
    private boolean everStarted;
    private boolean closed;

    ProsodyServer(Settings<?> s) {
        this.tls = s.tls;
        this.directTls = s.directTls;
        if (directTls && tls == Tls.NONE) {
            throw new IllegalArgumentException("Direct TLS needs TLS: tls(NONE) and directTls(true) conflict");
        }
        this.passwordHash = s.passwordHash;
        this.config = new ProsodyConfig(s);
        this.initialAccounts = Collections.unmodifiableMap(new LinkedHashMap<>(s.accounts));
        this.firstPort = s.firstPort;
        this.process = new ProsodyProcess(Exec.require("prosody", "prosody"), s.fileDescriptorLimit,
                s.startupTimeout, s.stopTimeout);
        this.accounts = new ProsodyAccounts(Exec.require("prosodyctl", "prosody"), s.passwordHash,
                s.iterationCount);
    }

    /**
     * Starts Prosody and waits until it accepts connections. The first start creates the temp
     * directory, config and the builder's accounts; later starts (after {@link #stop()}) reuse
     * them and the same ports.
     *
     * @return this
     * @throws IllegalStateException when Prosody does not come up in time (with the log tail), or
     *     when it is running already
     */
    public ProsodyServer start() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (isRunning()) {
            throw new IllegalStateException("Prosody is running already (port " + port + ")");
        }
        if (dir == null) {
            prepare();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                process.start(dir, port, directTls ? directTlsPort : -1);
                everStarted = true;
                return this;
            } catch (ProsodyProcess.PortTakenException e) {
                // Another process took a port between FreePorts and Prosody's bind.
                if (everStarted || attempt >= MAX_BIND_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                choosePorts();
                config.write(dir, port, directTlsPort);
            }
        }
    }

    /**
     * Stops Prosody: SIGTERM, then SIGKILL after the stop timeout. Does nothing when it is not
     * running. The directory, config, data and ports stay for a later {@link #start()}.
     */
    public void stop() {
        process.stop();
    }

    /** Stops Prosody and deletes its temp directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        Exec.deleteTree(dir);
    }

    /** Whether the Prosody process is alive. */
    public boolean isRunning() {
        return process.isRunning();
    }

    /**
     * The Prosody process id (for {@code /proc/PID/...} checks).
     *
     * @throws IllegalStateException when it is not running
     */
    public long pid() {
        return process.pid();
    }

    /** The address clients connect to: {@value #HOST}. */
    public String host() {
        return HOST;
    }

    /** The c2s (STARTTLS) port. */
    public int port() {
        requirePrepared();
        return port;
    }

    /** The c2s address. */
    public InetSocketAddress address() {
        return new InetSocketAddress(HOST, port());
    }

    /**
     * The Direct TLS (XEP-0368) port.
     *
     * @throws IllegalStateException when Direct TLS was not enabled
     */
    public int directTlsPort() {
        requirePrepared();
        if (!directTls) {
            throw new IllegalStateException("Direct TLS is not enabled: use directTls(true)");
        }
        return directTlsPort;
    }

    /** The XMPP domain: {@value #DOMAIN}. */
    public String domain() {
        return DOMAIN;
    }

    /** {@code user@localhost}. */
    public String jid(String user) {
        return user + "@" + DOMAIN;
    }

    /** The CA certificate (PEM) that signed the server certificate: the client's trust store. */
    public Path caCertificate() {
        return config.pki().caCertificate();
    }

    /** The TLS mode. */
    public Tls tls() {
        return tls;
    }

    /** The SCRAM mechanism the server offers ({@code SCRAM-SHA-1} or {@code SCRAM-SHA-256}). */
    public String scramMechanism() {
        return passwordHash.scramMechanism();
    }

    /** The temp directory holding config, data, log. */
    public Path directory() {
        requirePrepared();
        return dir;
    }

    /** The generated config file. */
    public Path configFile() {
        return directory().resolve(ProsodyConfig.CONFIG_FILE);
    }

    /** Prosody's log file. */
    public Path logFile() {
        return directory().resolve(ProsodyConfig.LOG_FILE);
    }

    /** The last {@code lines} lines of the log file (and of Prosody's stdout/stderr). */
    public String logTail(int lines) {
        return ProsodyProcess.logTail(directory(), lines);
    }

    /**
     * Creates (or re-passwords) an account with {@code prosodyctl register}: Prosody's own code
     * path, about 0.15 s per account; works whether or not the server runs.
     */
    public void createAccount(String user, String password) {
        requirePrepared();
        accounts.register(dir, user, password);
        if (!accountExists(user)) {
            throw new IllegalStateException("prosodyctl register " + user + " did not create "
                    + ProsodyAccounts.file(dir, user) + "\n" + logTail(20));
        }
    }

    /**
     * Creates {@code n} accounts {@code prefix0} to {@code prefix(n-1)}, all with
     * {@code password}, by writing their {@code internal_hashed} files directly (SCRAM keys
     * computed once with one random salt for the batch, so thousands take well under a second).
     * Works whether or not the server runs. Existing accounts of these names are overwritten.
     *
     * @param prefix lowercase letters, digits, {@code . _ -} (names Prosody's nodeprep leaves alone)
     * @param password printable ASCII (SASLprep leaves it alone); use {@link #createAccount} otherwise
     * @return the usernames (localparts), in order
     */
    public List<String> createAccounts(String prefix, int n, String password) {
        requirePrepared();
        return accounts.writeAll(dir, prefix, n, password);
    }

    /** Whether Prosody has an account file for {@code user}. */
    public boolean accountExists(String user) {
        return ProsodyAccounts.exists(directory(), user);
    }

    private void requirePrepared() {
        if (dir == null) {
            throw new IllegalStateException("not started yet: call start() first");
        }
    }

    private void prepare() {
        try {
            dir = Files.createTempDirectory("openzoep-prosody-");
            Files.createDirectories(dir.resolve("data"));
            // Prosody indexes this directory for certificates; an empty one keeps it from
            // finding any besides the configured one (and from complaining it is missing).
            Files.createDirectories(dir.resolve("certs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Prosody's temp directory", e);
        }
        choosePorts();
        config.write(dir, port, directTlsPort);
        for (Map.Entry<String, String> a : initialAccounts.entrySet()) {
            createAccount(a.getKey(), a.getValue());
        }
    }

    private void choosePorts() {
        int[] ports = FreePorts.tcp(directTls ? 2 : 1);
        port = firstPort > 0 ? firstPort : ports[0];
        firstPort = 0;
        directTlsPort = directTls ? ports[1] : -1;
    }

    @Override
    public String toString() {
        return "ProsodyServer[" + HOST + ":" + port + (directTls ? ", direct TLS " + directTlsPort : "") + ", tls=" + tls
                + ", dir=" + dir + (isRunning() ? ", running" : "") + "]";
    }
}
