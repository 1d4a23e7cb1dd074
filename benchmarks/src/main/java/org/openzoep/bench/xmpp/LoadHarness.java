package org.openzoep.bench.xmpp;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import javax.management.ObjectName;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.openzoep.Account;
import org.openzoep.AccountListener;
import org.openzoep.AccountSettings;
import org.openzoep.ZoepEngine;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.testkit.TestPki;
import org.openzoep.xmpp.tls.TlsMode;

/**
 * Holds N accounts online against a private Prosody on loopback and reports what that costs:
 * the client's threads, heap per logged-in account after full GC, RSS and logins per second.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.openzoep.bench.xmpp.LoadHarness \
 *     --accounts 2000 --client openzoep|smack [--inflight 64] [--hold 5] [--histo FILE]
 * </pre>
 *
 * <p>{@code openzoep}: one {@link ZoepEngine}; per account the typed API {@code configure} (host,
 * port, STARTTLS with the test CA as trust store), {@code login} (TLS + SCRAM + bind) and
 * {@code sendPresence}. {@code smack}: one Smack 4.4 {@code XMPPTCPConnection} per account with
 * the same host, port, TLS required with an {@code SSLContext} trusting the test CA, SCRAM, and
 * Smack's own initial presence at login (Smack's API blocks, so a pool of {@code --inflight}
 * harness threads drives it and is shut down before anything is measured). Either way at most
 * {@code --inflight} logins are in flight, the login phase is bounded by {@code --timeout} seconds,
 * and every account logs out at the end before Prosody stops.
 *
 * <p>Heap is measured three ways, each after five {@code System.gc()} (full collections with G1):
 * against the baseline before the client was created (the target's definition, fixed costs
 * included), against the client created but idle, and the marginal cost between N/2 and N online
 * accounts. Thread count is the JVM's live threads minus the baseline before the client existed.
 *
 * <p>Thread: {@code main} drives everything; callbacks only count and release permits.
 */
public final class LoadHarness {

    private static final String PASSWORD = "load-test-password";

    private final int accounts;
    private final String client;
    private final int inflight;
    private final int holdSeconds;
    private final int timeoutSeconds;
    private final Path histo;

    private LoadHarness(Map<String, String> args) {
        this.accounts = Integer.parseInt(args.getOrDefault("accounts", "2000"));
        this.client = args.getOrDefault("client", "openzoep");
        this.inflight = Integer.parseInt(args.getOrDefault("inflight", "64"));
        this.holdSeconds = Integer.parseInt(args.getOrDefault("hold", "5"));
        this.timeoutSeconds = Integer.parseInt(args.getOrDefault("timeout", "600"));
        this.histo = args.containsKey("histo") ? Path.of(args.get("histo")) : null;
        if (!client.equals("openzoep") && !client.equals("smack")) {
            throw new IllegalArgumentException("--client must be openzoep or smack");
        }
        if (accounts < 2 || inflight < 1) {
            throw new IllegalArgumentException("--accounts >= 2 and --inflight >= 1");
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new TreeMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + argv[i]);
            }
            args.put(argv[i].substring(2), argv[i + 1]);
        }
        new LoadHarness(args).run();
        // Smack's and Netty's leftover daemon threads must not keep the JVM alive.
        System.exit(0);
    }

    /** What one side of the comparison must do. */
    private interface Client extends AutoCloseable {
        /** Starts logging in account {@code i}; completes when it is online (presence sent). */
        CompletionStage<Void> login(int i);

        /** Called once every login has finished: release login-only resources. */
        void loginsDone() throws InterruptedException;

        /** Logs every online account out; bounded by {@code deadlineNanos}. */
        int logoutAll(long deadlineNanos) throws InterruptedException;

        @Override
        void close();
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "client=%s accounts=%d inflight=%d cores=%d java=%s maxHeap=%d MiB%n", client,
                accounts, inflight, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        try (ProsodyServer prosody = ProsodyServer.builder()
                .fileDescriptorLimit(2 * accounts + 1024)
                .tcpBacklog(Math.max(1024, inflight * 4))
                .startupTimeout(Duration.ofSeconds(60))
                .start()) {
            long t0 = System.nanoTime();
            List<String> users = prosody.createAccounts("load", accounts, PASSWORD);
            System.out.printf(Locale.ROOT, "prosody on %s:%d, %d accounts written in %d ms%n", prosody.host(),
                    prosody.port(), users.size(), (System.nanoTime() - t0) / 1_000_000);
            // Load the TLS and XML classes and Prosody's caches outside the measurement.
            TestPki.shared().clientSslContext();

            Snapshot base = Snapshot.take("baseline (no client)");
            Client c = client.equals("openzoep") ? new ZoepClient(prosody) : new SmackClient(prosody, inflight);
            try {
                Snapshot idle = Snapshot.take("client created, idle");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
                int half = accounts / 2;
                LoginStats first = loginRange(c, 0, half, deadline);
                Snapshot atHalf = Snapshot.take(half + " online");
                LoginStats second = loginRange(c, half, accounts, deadline);
                c.loginsDone();
                int online = first.ok + second.ok;
                Thread.sleep(2000); // let the last presences and server pushes land
                Snapshot atN = Snapshot.take(online + " online");
                if (histo != null) {
                    Files.writeString(histo, classHistogram(), StandardCharsets.UTF_8);
                    System.out.println("class histogram written to " + histo);
                }
                report(base, idle, atHalf, atN, first, second, half, online);
                System.out.printf(Locale.ROOT, "holding %d accounts online for %d s%n", online, holdSeconds);
                Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
                long t1 = System.nanoTime();
                int out = c.logoutAll(System.nanoTime() + TimeUnit.SECONDS.toNanos(120));
                System.out.printf(Locale.ROOT, "logged out %d accounts in %d ms%n", out, (System.nanoTime() - t1) / 1_000_000);
            } finally {
                c.close();
            }
        }
    }

    private record LoginStats(int ok, int failed, long nanos, String firstError) {
    }

    private LoginStats loginRange(Client c, int from, int to, long deadline) throws InterruptedException {
        Semaphore permits = new Semaphore(inflight);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = from; i < to; i++) {
            if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("login phase timed out after " + ok.get() + " logins");
            }
            CompletionStage<Void> s;
            try {
                s = c.login(i);
            } catch (RuntimeException e) {
                s = CompletableFuture.failedFuture(e);
            }
            s.whenComplete((v, t) -> {
                if (t == null) {
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, String.valueOf(t));
                }
                permits.release();
            });
        }
        if (!permits.tryAcquire(inflight, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("login phase timed out with " + (inflight - permits.availablePermits())
                    + " logins pending");
        }
        LoginStats st = new LoginStats(ok.get(), failed.get(), System.nanoTime() - start, firstError.get());
        System.out.printf(Locale.ROOT, "logins %d..%d: %d ok, %d failed in %.1f s (%.1f logins/s)%s%n", from, to - 1,
                st.ok, st.failed, st.nanos / 1e9, st.ok / (st.nanos / 1e9),
                st.firstError == null ? "" : "; first error: " + st.firstError);
        return st;
    }

    private void report(Snapshot base, Snapshot idle, Snapshot atHalf, Snapshot atN, LoginStats first,
            LoginStats second, int half, int online) {
        double loginSeconds = (first.nanos + second.nanos) / 1e9;
        System.out.println();
        System.out.println("=== " + client + ", " + online + " accounts online ===");
        System.out.printf(Locale.ROOT, "client threads            : %d (JVM %d, baseline %d)%n",
                atN.threads - base.threads, atN.threads, base.threads);
        System.out.printf(Locale.ROOT, "heap/account vs baseline  : %.1f KB  (used %.1f MiB, baseline %.1f MiB)%n",
                (atN.heapUsed - base.heapUsed) / 1024.0 / online, atN.heapUsed / 1048576.0, base.heapUsed / 1048576.0);
        System.out.printf(Locale.ROOT, "heap/account vs idle      : %.1f KB  (client idle %.1f MiB)%n",
                (atN.heapUsed - idle.heapUsed) / 1024.0 / online, idle.heapUsed / 1048576.0);
        System.out.printf(Locale.ROOT, "heap/account marginal     : %.1f KB  (between %d and %d online)%n",
                (atN.heapUsed - atHalf.heapUsed) / 1024.0 / (online - first.ok), first.ok, online);
        System.out.printf(Locale.ROOT, "RSS                       : %.1f MiB (baseline %.1f MiB; %.1f KB/account)%n",
                atN.rssKb / 1024.0, base.rssKb / 1024.0, (atN.rssKb - base.rssKb) / (double) online);
        System.out.printf(Locale.ROOT, "logins/s                  : %.1f (%d in %.1f s, %d failed, inflight %d)%n",
                online / loginSeconds, online, loginSeconds, first.failed + second.failed, inflight);
        System.out.println("thread names (grouped)    : " + atN.threadGroups);
        System.out.println();
    }

    // ---------------- measurements ----------------

    private record Snapshot(int threads, long heapUsed, long rssKb, Map<String, Integer> threadGroups) {
        static Snapshot take(String label) throws InterruptedException {
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(200);
            }
            ThreadMXBean tx = ManagementFactory.getThreadMXBean();
            Map<String, Integer> groups = new TreeMap<>();
            for (ThreadInfo ti : tx.getThreadInfo(tx.getAllThreadIds())) {
                if (ti != null) {
                    groups.merge(ti.getThreadName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
                }
            }
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            Snapshot s = new Snapshot(tx.getThreadCount(), used, readRssKb(), groups);
            System.out.printf(Locale.ROOT, "[%s] threads=%d heapUsed=%.1f MiB rss=%.1f MiB%n", label, s.threads,
                    s.heapUsed / 1048576.0, s.rssKb / 1024.0);
            return s;
        }

        private static long readRssKb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException e) {
                // fall through
            }
            return -1;
        }
    }

    /** {@code jcmd <pid> GC.class_histogram}, in-process, top 300 classes and the total. */
    static String classHistogram() throws Exception {
        Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        String[] lines = String.valueOf(out).split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length - 1, 302); i++) {
            sb.append(lines[i]).append('\n');
        }
        sb.append(lines[lines.length - 1]).append('\n');
        return sb.toString();
    }

    // ---------------- OpenZoep ----------------

    private final class ZoepClient implements Client {
        private final ZoepEngine engine = ZoepEngine.builder().build();
        private final AccountSettings settings;
        private final String domain;
        private final List<Account> online = new ArrayList<>();
        private final ConcurrentLinkedQueue<Account> done = new ConcurrentLinkedQueue<>();

        ZoepClient(ProsodyServer prosody) {
            this.domain = prosody.domain();
            this.settings = AccountSettings.defaults().withServer(prosody.host(), prosody.port())
                    .withTls(TlsMode.STARTTLS, prosody.caCertificate()).withResource("load");
        }

        @Override
        public CompletionStage<Void> login(int i) {
            Account a = engine.registerAccount(new AccountListener() {
            });
            return a.configure(settings)
                    .thenCompose(v -> a.login(Jid.parse("load" + i + "@" + domain), PASSWORD))
                    .thenCompose(jid -> a.sendPresence(null))
                    .thenRun(() -> done.add(a));
        }

        @Override
        public void loginsDone() {
            online.addAll(done);
        }

        @Override
        public int logoutAll(long deadlineNanos) throws InterruptedException {
            return boundedAll(online.size(), i -> online.get(i).logout(), deadlineNanos);
        }

        @Override
        public void close() {
            engine.close();
        }
    }

    // ---------------- Smack 4.4 ----------------

    private final class SmackClient implements Client {
        private final ProsodyServer prosody;
        private final X509TrustManager trust;
        private final ExecutorService blocking;
        private final ConcurrentLinkedQueue<XMPPTCPConnection> done = new ConcurrentLinkedQueue<>();
        private final List<XMPPTCPConnection> online = new ArrayList<>();

        SmackClient(ProsodyServer prosody, int inflight) {
            this.prosody = prosody;
            this.trust = trustManagerFor(prosody.caCertificate());
            this.blocking = Executors.newFixedThreadPool(inflight, r -> {
                Thread t = new Thread(r, "harness-smack-login");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public CompletionStage<Void> login(int i) {
            return CompletableFuture.runAsync(() -> {
                try {
                    XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                            .setXmppDomain(prosody.domain())
                            .setHost(prosody.host())
                            .setPort(prosody.port())
                            .setSecurityMode(SecurityMode.required)
                            .setCustomX509TrustManager(trust)
                            .setUsernameAndPassword("load" + i, PASSWORD)
                            .setResource("load")
                            .setSendPresence(true)
                            .setConnectTimeout(30_000)
                            .build();
                    XMPPTCPConnection conn = new XMPPTCPConnection(config);
                    conn.setReplyTimeout(30_000);
                    conn.connect().login();
                    done.add(conn);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, blocking);
        }

        @Override
        public void loginsDone() throws InterruptedException {
            online.addAll(done);
            blocking.shutdown();
            if (!blocking.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("harness login threads did not stop");
            }
        }

        @Override
        public int logoutAll(long deadlineNanos) throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(inflight);
            try {
                return boundedAll(online.size(),
                        i -> CompletableFuture.runAsync(() -> online.get(i).disconnect(), pool), deadlineNanos);
            } finally {
                pool.shutdownNow();
            }
        }

        @Override
        public void close() {
            blocking.shutdownNow();
        }
    }

    /**
     * A trust manager for the test CA (PEM) only. Smack 4.4.8 ignored an SSLContext given with
     * {@code setCustomSSLContext} here (PKIX failures), so it gets the trust manager instead.
     */
    private static X509TrustManager trustManagerFor(Path caPem) {
        try (var in = Files.newInputStream(caPem)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + caPem, e);
        }
    }

    /** Runs {@code op(0..n-1)} with at most {@code inflight} pending; returns how many succeeded. */
    private int boundedAll(int n, IntFunction<CompletionStage<?>> op, long deadlineNanos) throws InterruptedException {
        Semaphore permits = new Semaphore(inflight);
        AtomicInteger ok = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            if (!permits.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return ok.get();
            }
            op.apply(i).whenComplete((v, t) -> {
                if (t == null) {
                    ok.incrementAndGet();
                }
                permits.release();
            });
        }
        permits.tryAcquire(inflight, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        return ok.get();
    }
}
