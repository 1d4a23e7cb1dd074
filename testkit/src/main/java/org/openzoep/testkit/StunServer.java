package org.openzoep.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * coturn ({@code turnserver}, Debian package {@code coturn}) on loopback as a plain STUN server,
 * or optionally as a TURN server with one long-term-credential user.
 *
 * <p>STUN mode runs {@code turnserver -n --no-cli --stun-only --no-tls --no-dtls --no-tcp
 * --listening-ip 127.0.0.1 --listening-port N} on a free UDP port; {@code -n} keeps it off
 * {@code /etc/turnserver.conf}, and the log ({@code --simple-log}), pidfile and user database
 * ({@code --userdb}) live in a temp directory, so nothing touches the system's coturn state. TURN
 * mode drops {@code --stun-only} and adds {@code --lt-cred-mech --user U:P --realm R
 * --allow-loopback-peers} with relay ports on 127.0.0.1.
 *
 * <p>{@link #start()} returns once the server answers a STUN binding request
 * ({@link #bindingRequest}); {@link #stop()} sends SIGTERM, then SIGKILL after a deadline;
 * {@link #close()} also deletes the temp directory.
 *
 * <pre>{@code
 * try (StunServer stun = StunServer.builder().start()) {
 *     InetSocketAddress mapped = StunServer.bindingRequest(stun.address(), Duration.ofSeconds(2));
 * }
 * }</pre>
 *
 * <p>Limit: coturn binds with {@code SO_REUSEPORT}, so a second server that picked the same port
 * would share it silently; {@link FreePorts} makes that unlikely, not impossible.
 *
 * <p>Threads: used from the test thread; blocking; not thread-safe.
 */
public final class StunServer implements AutoCloseable {

    /** The address coturn listens on. */
    public static final String HOST = "127.0.0.1";

    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING_REQUEST = 0x0001;
    private static final int BINDING_SUCCESS = 0x0101;
    private static final int ATTR_MAPPED_ADDRESS = 0x0001;
    private static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Builds a {@link StunServer}. */
    public static final class Builder {
        private String turnUser;
        private String turnPassword;
        private String realm;
        private Duration startupTimeout = Duration.ofSeconds(15);
        private Duration stopTimeout = Duration.ofSeconds(10);

        Builder() {
        }

        /** TURN mode with one long-term-credential user (RFC 5766 / 8656). */
        public Builder turn(String user, String password, String realm) {
            this.turnUser = Objects.requireNonNull(user, "user");
            this.turnPassword = Objects.requireNonNull(password, "password");
            this.realm = Objects.requireNonNull(realm, "realm");
            if (user.contains(":")) {
                throw new IllegalArgumentException("TURN user must not contain ':'");
            }
            return this;
        }

        /** How long {@link StunServer#start()} waits for a binding response; default 15 s. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long {@link StunServer#stop()} waits after SIGTERM before SIGKILL; default 10 s. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The server, not yet started. */
        public StunServer build() {
            return new StunServer(this);
        }

        /** The server, started. */
        public StunServer start() {
            StunServer server = build();
            try {
                return server.start();
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
        }
    }

    /** A builder for a STUN-only server; {@link Builder#turn} makes it TURN. */
    public static Builder builder() {
        return new Builder();
    }

    private static final int MAX_START_ATTEMPTS = 3;

    private final String turnUser;
    private final String turnPassword;
    private final String realm;
    private final Duration startupTimeout;
    private final Duration stopTimeout;
    private final Path turnserver;
    private Path dir;
    private int port;
    private ChildProcess process;
    private boolean closed;

    private StunServer(Builder b) {
        this.turnUser = b.turnUser;
        this.turnPassword = b.turnPassword;
        this.realm = b.realm;
        this.startupTimeout = b.startupTimeout;
        this.stopTimeout = b.stopTimeout;
        this.turnserver = Exec.require("turnserver", "coturn");
    }

    /**
     * Starts coturn and waits until it answers a binding request. A restart after {@link #stop()}
     * keeps the port.
     *
     * @return this
     * @throws IllegalStateException when it does not answer in time (with the log tail)
     */
    public StunServer start() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (isRunning()) {
            throw new IllegalStateException("coturn is running already (port " + port + ")");
        }
        boolean first = dir == null;
        if (first) {
            try {
                dir = Files.createTempDirectory("openzoep-coturn-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create coturn's temp directory", e);
            }
            port = FreePorts.udp();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                launch();
                return this;
            } catch (IllegalStateException e) {
                // Most likely the port was taken between FreePorts and coturn's bind.
                if (!first || attempt >= MAX_START_ATTEMPTS) {
                    throw e;
                }
                port = FreePorts.udp();
            }
        }
    }

    private void launch() {
        List<String> cmd = new ArrayList<>(List.of(turnserver.toString(), "-n", "--no-cli", "--no-tls", "--no-dtls",
                "--no-tcp", "--listening-ip", HOST, "--listening-port", String.valueOf(port),
                "--relay-ip", HOST, "--simple-log", "--log-file", logFile().toString(),
                "--pidfile", dir.resolve("turnserver.pid").toString(),
                "--userdb", dir.resolve("turndb").toString()));
        if (isTurn()) {
            cmd.addAll(List.of("--lt-cred-mech", "--user", turnUser + ":" + turnPassword, "--realm", realm,
                    "--allow-loopback-peers"));
        } else {
            cmd.add("--stun-only");
        }
        try {
            process = ChildProcess.start(new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))), "openzoep-coturn-kill");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + turnserver, e);
        }
        ChildProcess p = process;

        long deadline = System.nanoTime() + startupTimeout.toNanos();
        InetSocketAddress address = address();
        while (true) {
            if (!p.isAlive()) {
                process = null;
                p.forget();
                throw new IllegalStateException("coturn exited with code " + p.exitValue() + " during startup: "
                        + String.join(" ", cmd) + "\n" + logTail(40));
            }
            try {
                bindingRequest(address, Duration.ofMillis(100));
                return;
            } catch (IOException notYet) {
                // No answer yet: coturn is still opening its sockets.
            }
            if (System.nanoTime() - deadline > 0) {
                stop();
                throw new IllegalStateException("coturn did not answer a STUN binding request on " + address + " within "
                        + startupTimeout + "\n" + logTail(40));
            }
        }
    }

    /** SIGTERM, then SIGKILL after the stop timeout. Does nothing when it is not running. */
    public void stop() {
        ChildProcess p = process;
        if (p != null) {
            process = null;
            p.stop(stopTimeout);
        }
    }

    /** Stops coturn and deletes its temp directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        Exec.deleteTree(dir);
    }

    /** Whether the coturn process is alive. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@value #HOST}. */
    public String host() {
        return HOST;
    }

    /** The UDP port. */
    public int port() {
        requireStarted();
        return port;
    }

    /** The UDP address. */
    public InetSocketAddress address() {
        return new InetSocketAddress(HOST, port());
    }

    /** Whether this is a TURN server (else STUN only). */
    public boolean isTurn() {
        return turnUser != null;
    }

    /** The TURN username, or null in STUN mode. */
    public String turnUser() {
        return turnUser;
    }

    /** The TURN password, or null in STUN mode. */
    public String turnPassword() {
        return turnPassword;
    }

    /** The TURN realm, or null in STUN mode. */
    public String realm() {
        return realm;
    }

    /** The temp directory (log, pidfile, user database). */
    public Path directory() {
        requireStarted();
        return dir;
    }

    /** coturn's log file. */
    public Path logFile() {
        return directory().resolve("turnserver.log");
    }

    /** The last {@code lines} lines of the log and of coturn's stdout/stderr. */
    public String logTail(int lines) {
        return Exec.tail(logFile(), lines) + "\n--- stdout/stderr ---\n" + Exec.tail(directory().resolve("console.log"), lines);
    }

    /**
     * Sends one RFC 5389 binding request over UDP and returns the reflexive address from the
     * response's XOR-MAPPED-ADDRESS (or MAPPED-ADDRESS).
     *
     * @throws SocketTimeoutException when no matching response arrives within {@code timeout}
     * @throws IOException when the response is malformed or an error response
     */
    public static InetSocketAddress bindingRequest(InetSocketAddress server, Duration timeout) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return bindingRequest(socket, server, timeout);
        }
    }

    /**
     * {@link #bindingRequest(InetSocketAddress, Duration)} from a socket of the caller's (whose
     * timeout setting it changes); datagrams of other transactions are skipped.
     */
    public static InetSocketAddress bindingRequest(DatagramSocket socket, InetSocketAddress server, Duration timeout)
            throws IOException {
        byte[] txId = new byte[12];
        RANDOM.nextBytes(txId);
        ByteBuffer req = ByteBuffer.allocate(20);
        req.putShort((short) BINDING_REQUEST).putShort((short) 0).putInt(MAGIC_COOKIE).put(txId);
        socket.send(new DatagramPacket(req.array(), 20, server));
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[1500];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("no STUN binding response from " + server + " within " + timeout);
            }
            socket.setSoTimeout((int) Math.max(1, left));
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            socket.receive(packet);
            InetSocketAddress mapped = parseBindingResponse(buf, packet.getLength(), txId);
            if (mapped != null) {
                return mapped;
            }
        }
    }

    /** The mapped address of a binding success response for {@code txId}; null for another transaction. */
    static InetSocketAddress parseBindingResponse(byte[] msg, int length, byte[] txId) throws IOException {
        if (length < 20) {
            throw new IOException("STUN response shorter than its 20-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(msg, 0, length);
        int type = b.getShort() & 0xFFFF;
        int bodyLength = b.getShort() & 0xFFFF;
        int cookie = b.getInt();
        byte[] id = new byte[12];
        b.get(id);
        if (cookie != MAGIC_COOKIE || !Arrays.equals(id, txId)) {
            return null;
        }
        if (type != BINDING_SUCCESS) {
            throw new IOException(String.format("STUN response type 0x%04x, expected binding success 0x0101", type));
        }
        if (20 + bodyLength > length) {
            throw new IOException("STUN message length " + bodyLength + " exceeds the datagram");
        }
        InetSocketAddress plain = null;
        while (b.position() + 4 <= 20 + bodyLength) {
            int attrType = b.getShort() & 0xFFFF;
            int attrLength = b.getShort() & 0xFFFF;
            if (b.position() + attrLength > 20 + bodyLength) {
                throw new IOException("STUN attribute 0x" + Integer.toHexString(attrType) + " overruns the message");
            }
            int start = b.position();
            if ((attrType == ATTR_XOR_MAPPED_ADDRESS || attrType == ATTR_MAPPED_ADDRESS) && attrLength >= 8) {
                b.get(); // reserved
                int family = b.get();
                int p = b.getShort() & 0xFFFF;
                byte[] addr = new byte[family == 0x01 ? 4 : 16];
                if (attrLength < 4 + addr.length) {
                    throw new IOException("STUN address attribute too short");
                }
                b.get(addr);
                if (attrType == ATTR_XOR_MAPPED_ADDRESS) {
                    p ^= MAGIC_COOKIE >>> 16;
                    byte[] key = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(txId).array();
                    for (int i = 0; i < addr.length; i++) {
                        addr[i] ^= key[i];
                    }
                    return new InetSocketAddress(InetAddress.getByAddress(addr), p);
                }
                plain = new InetSocketAddress(InetAddress.getByAddress(addr), p);
            }
            // Attributes are padded to a multiple of four bytes.
            b.position(Math.min(start + ((attrLength + 3) & ~3), 20 + bodyLength));
        }
        if (plain == null) {
            throw new IOException("STUN binding response without a (XOR-)MAPPED-ADDRESS");
        }
        return plain;
    }

    private void requireStarted() {
        if (dir == null) {
            throw new IllegalStateException("not started yet: call start() first");
        }
    }


    @Override
    public String toString() {
        return "StunServer[" + HOST + ":" + port + (isTurn() ? ", TURN realm " + realm : ", STUN only")
                + (isRunning() ? ", running" : "") + "]";
    }
}
