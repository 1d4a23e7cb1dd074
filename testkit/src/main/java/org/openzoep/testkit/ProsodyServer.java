package org.openzoep.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

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
 * <p>Threads: used from the test thread; blocking; not thread-safe.
 */
public final class ProsodyServer implements AutoCloseable {

    /** The one VirtualHost. */
    public static final String DOMAIN = "localhost";

    /** The interface Prosody listens on. */
    public static final String HOST = "127.0.0.1";

    /** Modules always enabled. */
    public static final String MODULES = "roster saslauth tls disco ping register presence message iq";

    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z0-9._-]+");
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

        private final String prosodyName;
        private final String digest;
        private final String hmac;
        private final String pbkdf2;
        private final int bits;

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
    private final boolean requireEncryption;
    private final boolean allowRegistration;
    private final boolean directTls;
    private final PasswordHash passwordHash;
    private final int iterationCount;
    private final List<String> extraModules;
    private final List<String> extraConfig;
    private final String logLevel;
    private final Duration startupTimeout;
    private final Duration stopTimeout;
    private final int fileDescriptorLimit;
    private final int tcpBacklog;
    private final Map<String, String> initialAccounts;
    private final TestPki pki;
    private int firstPort;
    private final Path prosody;
    private final Path prosodyctl;

    private Path dir;
    private int port;
    private int directTlsPort = -1;
    private ChildProcess process;
    private boolean everStarted;
    private boolean closed;

    ProsodyServer(Settings<?> s) {
        this.tls = s.tls;
        this.requireEncryption = s.requireEncryption;
        this.allowRegistration = s.allowRegistration;
        this.directTls = s.directTls;
        if (directTls && tls == Tls.NONE) {
            throw new IllegalArgumentException("Direct TLS needs TLS: tls(NONE) and directTls(true) conflict");
        }
        this.passwordHash = s.passwordHash;
        this.iterationCount = s.iterationCount;
        this.extraModules = List.copyOf(s.extraModules);
        this.extraConfig = List.copyOf(s.extraConfig);
        this.logLevel = s.logLevel;
        this.startupTimeout = s.startupTimeout;
        this.stopTimeout = s.stopTimeout;
        this.fileDescriptorLimit = s.fileDescriptorLimit;
        this.tcpBacklog = s.tcpBacklog;
        this.initialAccounts = Collections.unmodifiableMap(new LinkedHashMap<>(s.accounts));
        this.pki = s.pki;
        this.firstPort = s.firstPort;
        this.prosody = Exec.require("prosody", "prosody");
        this.prosodyctl = Exec.require("prosodyctl", "prosody");
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
                launch();
                everStarted = true;
                return this;
            } catch (PortTakenException e) {
                // Another process took a port between FreePorts and Prosody's bind.
                if (everStarted || attempt >= MAX_BIND_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                choosePorts();
                writeConfig();
            }
        }
    }

    /**
     * Stops Prosody: SIGTERM, then SIGKILL after the stop timeout. Does nothing when it is not
     * running. The directory, config, data and ports stay for a later {@link #start()}.
     */
    public void stop() {
        ChildProcess p = process;
        if (p != null) {
            process = null;
            p.stop(stopTimeout);
        }
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
        return process != null && process.isAlive();
    }

    /**
     * The Prosody process id (for {@code /proc/PID/...} checks).
     *
     * @throws IllegalStateException when it is not running
     */
    public long pid() {
        ChildProcess p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("Prosody is not running");
        }
        return p.pid();
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
        return pki().caCertificate();
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
        return directory().resolve("prosody.cfg.lua");
    }

    /** Prosody's log file. */
    public Path logFile() {
        return directory().resolve("prosody.log");
    }

    /** The last {@code lines} lines of the log file (and of Prosody's stdout/stderr). */
    public String logTail(int lines) {
        return Exec.tail(logFile(), lines) + "\n--- stdout/stderr ---\n" + Exec.tail(directory().resolve("console.log"), lines);
    }

    /**
     * Creates (or re-passwords) an account with {@code prosodyctl register}: Prosody's own code
     * path, about 0.15 s per account; works whether or not the server runs.
     */
    public void createAccount(String user, String password) {
        requirePrepared();
        Exec.run(List.of(prosodyctl.toString(), "--config", configFile().toString(), "register", user, DOMAIN,
                password), dir, Duration.ofSeconds(30));
        if (!accountExists(user)) {
            throw new IllegalStateException("prosodyctl register " + user + " did not create "
                    + accountFile(user) + "\n" + logTail(20));
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
        if (n < 0) {
            throw new IllegalArgumentException("n < 0");
        }
        if (!prefix.isEmpty() && !ACCOUNT_NAME.matcher(prefix).matches()) {
            throw new IllegalArgumentException("account prefix must match " + ACCOUNT_NAME + ": " + prefix);
        }
        if (!password.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
            throw new IllegalArgumentException("createAccounts takes printable ASCII passwords; use createAccount");
        }
        String record = accountRecord(password);
        Path accounts = accountsDir();
        List<String> names = new ArrayList<>(n);
        try {
            Files.createDirectories(accounts);
            for (int i = 0; i < n; i++) {
                String user = prefix + i;
                Path tmp = accounts.resolve(encode(user) + ".dat~");
                Files.writeString(tmp, record, StandardCharsets.UTF_8);
                // Atomic so that a login racing with the write never reads half a file.
                Files.move(tmp, accountFile(user), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                names.add(user);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write account files in " + accounts, e);
        }
        return names;
    }

    /** Whether Prosody has an account file for {@code user}. */
    public boolean accountExists(String user) {
        return Files.isRegularFile(accountFile(user));
    }

    private Path accountsDir() {
        return directory().resolve("data").resolve(encode(DOMAIN)).resolve("accounts");
    }

    private Path accountFile(String user) {
        return accountsDir().resolve(encode(user.toLowerCase(Locale.ROOT)) + ".dat");
    }

    /** Prosody's datamanager encoding: every byte that is not an ASCII letter or digit becomes %xx. */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02x", c));
            }
        }
        return sb.toString();
    }

    /** One account file in the format prosodyctl writes with {@code internal_hashed}. */
    private String accountRecord(String password) {
        // Prosody's salts are UUID strings; the string's bytes are the salt.
        String salt = UUID.randomUUID().toString();
        try {
            byte[] salted = SecretKeyFactory.getInstance(passwordHash.pbkdf2)
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt.getBytes(StandardCharsets.UTF_8),
                            iterationCount, passwordHash.bits))
                    .getEncoded();
            Mac mac = Mac.getInstance(passwordHash.hmac);
            mac.init(new SecretKeySpec(salted, passwordHash.hmac));
            byte[] clientKey = mac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] serverKey = mac.doFinal("Server Key".getBytes(StandardCharsets.US_ASCII));
            byte[] storedKey = MessageDigest.getInstance(passwordHash.digest).digest(clientKey);
            HexFormat hex = HexFormat.of();
            return "return {\n"
                    + "\t[\"server_key\"] = \"" + hex.formatHex(serverKey) + "\";\n"
                    + "\t[\"stored_key\"] = \"" + hex.formatHex(storedKey) + "\";\n"
                    + "\t[\"salt\"] = \"" + salt + "\";\n"
                    + "\t[\"iteration_count\"] = " + iterationCount + ";\n"
                    + "};\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + passwordHash.pbkdf2, e);
        }
    }

    private TestPki pki() {
        return pki != null ? pki : TestPki.shared();
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
        writeConfig();
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

    private void writeConfig() {
        StringBuilder c = new StringBuilder();
        c.append("-- Generated by ").append(ProsodyServer.class.getName()).append(" for one test class.\n");
        c.append("pidfile = ").append(lua(dir.resolve("prosody.pid"))).append('\n');
        c.append("data_path = ").append(lua(dir.resolve("data"))).append('\n');
        c.append("certificates = ").append(lua(dir.resolve("certs"))).append('\n');
        c.append("admin_socket = ").append(lua(dir.resolve("prosody.sock"))).append('\n');
        if ("root".equals(System.getProperty("user.name")) || isUidZero()) {
            c.append("run_as_root = true\n");
        }
        c.append("interfaces = { \"127.0.0.1\" }\n");
        c.append("c2s_ports = { ").append(port).append(" }\n");
        c.append("c2s_direct_tls_ports = { ").append(directTls ? String.valueOf(directTlsPort) : "").append(" }\n");
        c.append("legacy_ssl_ports = { }\n");
        c.append("s2s_ports = { }\n");
        c.append("s2s_direct_tls_ports = { }\n");
        c.append("http_ports = { }\n");
        c.append("https_ports = { }\n");
        c.append("network_settings = { tcp_backlog = ").append(tcpBacklog).append(" }\n");
        c.append("authentication = \"internal_hashed\"\n");
        c.append("password_hash = ").append(lua(passwordHash.prosodyName)).append('\n');
        c.append("default_iteration_count = ").append(iterationCount).append('\n');
        c.append("c2s_require_encryption = ").append(requireEncryption).append('\n');
        c.append("allow_registration = ").append(allowRegistration).append('\n');
        List<String> modules = new ArrayList<>(List.of(MODULES.split(" ")));
        if (tls == Tls.NONE) {
            modules.remove("tls");
        }
        for (String m : extraModules) {
            if (!modules.contains(m)) {
                modules.add(m);
            }
        }
        c.append("modules_enabled = {");
        for (String m : modules) {
            c.append(' ').append(lua(m)).append(';');
        }
        c.append(" }\n");
        c.append("log = { { levels = { min = ").append(lua(logLevel)).append(" }, to = \"file\", filename = ")
                .append(lua(dir.resolve("prosody.log"))).append(" } }\n");
        if (tls != Tls.NONE) {
            TestPki.ServerCertificate cert = pki().serverCertificate(tls == Tls.VALID ? DOMAIN : WRONG_NAME);
            c.append("ssl = { key = ").append(lua(cert.privateKey())).append(", certificate = ")
                    .append(lua(cert.certificate())).append(" }\n");
        }
        for (String line : extraConfig) {
            c.append(line).append('\n');
        }
        c.append("\nVirtualHost ").append(lua(DOMAIN)).append('\n');
        try {
            Files.writeString(dir.resolve("prosody.cfg.lua"), c.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Prosody's config", e);
        }
    }

    private static boolean isUidZero() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String lua(Object value) {
        String s = value.toString();
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\') {
                sb.append('\\');
            }
            if (ch == '\n') {
                sb.append("\\n");
            } else {
                sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }

    /** A bind failure, so that {@link #start()} can retry on fresh ports. */
    private static final class PortTakenException extends RuntimeException {
        PortTakenException(String message) {
            super(message);
        }
    }

    private void launch() {
        Path log = logFile();
        long logOffset;
        try {
            logOffset = Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // $0 = prosody, $1 = config, $2 = descriptor limit (0: the hard limit).
        String script = "lim=\"$2\"; if [ \"$lim\" = 0 ]; then lim=$(ulimit -Hn); fi; "
                + "if [ \"$lim\" = unlimited ]; then lim=1048576; fi; "
                + "ulimit -n \"$lim\" || { echo \"cannot raise ulimit -n to $lim (hard limit $(ulimit -Hn))\"; exit 111; }; "
                + "exec \"$0\" --config \"$1\" -F";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script, prosody.toString(), configFile().toString(),
                String.valueOf(fileDescriptorLimit))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            process = ChildProcess.start(pb, "openzoep-prosody-kill");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + prosody, e);
        }
        ChildProcess p = process;

        List<String> expected = new ArrayList<>();
        expected.add("Activated service 'c2s' on [127.0.0.1]:" + port);
        if (directTls) {
            expected.add("Activated service 'c2s_direct_tls' on [127.0.0.1]:" + directTlsPort);
        }
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (true) {
            String newLog = readFrom(log, logOffset);
            if (newLog.contains("Failed to open server port")) {
                stop();
                throw new PortTakenException("Prosody could not bind its port(s) " + port
                        + (directTls ? "/" + directTlsPort : "") + ":\n" + logTail(30));
            }
            if (!p.isAlive()) {
                process = null;
                p.forget();
                throw new IllegalStateException("Prosody exited with code " + p.exitValue() + " during startup; config "
                        + configFile() + "\n" + logTail(40));
            }
            if (expected.stream().allMatch(newLog::contains) && accepts(port)
                    && (!directTls || accepts(directTlsPort))) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                stop();
                throw new IllegalStateException("Prosody did not accept connections on " + HOST + ":" + port + " within "
                        + startupTimeout + "; config " + configFile() + "\n" + logTail(40));
            }
            Exec.pause(20);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readFrom(Path file, long offset) {
        if (!Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            if (len <= offset) {
                return "";
            }
            byte[] buf = new byte[(int) Math.min(len - offset, 8 << 20)];
            raf.seek(offset);
            raf.readFully(buf);
            return new String(buf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }


    @Override
    public String toString() {
        return "ProsodyServer[" + HOST + ":" + port + (directTls ? ", direct TLS " + directTlsPort : "") + ", tls=" + tls
                + ", dir=" + dir + (isRunning() ? ", running" : "") + "]";
    }
}
