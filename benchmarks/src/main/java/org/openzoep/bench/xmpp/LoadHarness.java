package org.openzoep.bench.xmpp;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import javax.management.ObjectName;
import org.openzoep.ZoepEngine;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.testkit.TestPki;

/**
 * Holds N accounts online against a private Prosody on loopback and reports what that costs:
 * the client's threads, heap per logged-in account after full GC, RSS and logins per second.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.openzoep.bench.xmpp.LoadHarness \
 *     --accounts 2000 --client openzoep|smack [--inflight 64] [--hold 5] [--histo FILE]
 * </pre>
 *
 * <p>{@code openzoep}: one {@link ZoepEngine} ({@link ZoepLoadClient}); {@code smack}: one Smack 4.4
 * {@code XMPPTCPConnection} per account ({@link SmackLoadClient}). Either way at most
 * {@code --inflight} logins are in flight, the login phase is bounded by {@code --timeout} seconds,
 * and every account logs out at the end before Prosody stops. Prosody may open N + 1,024 files
 * (the hard limit here is 20,000 per process).
 *
 * <p>Heap is measured three ways, each after five {@code System.gc()} (full collections with G1):
 * against the baseline before the client was created (the target's definition, fixed costs
 * included), against the client created but idle, and the marginal cost between N/2 and N online
 * accounts. Thread count is the JVM's live threads minus the baseline before the client existed.
 *
 * <p>Thread: {@code main} drives everything; callbacks only count and release permits.
 */
public final class LoadHarness {

    static final String PASSWORD = "load-test-password";

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
        new LoadHarness(options(argv)).run();
        // Smack's and Netty's leftover daemon threads must not keep the JVM alive.
        System.exit(0);
    }

    /** {@code --name value} pairs. */
    static Map<String, String> options(String[] argv) {
        Map<String, String> args = new TreeMap<>();
        for (int i = 0; i < argv.length; i += 2) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + argv[i]);
            }
            args.put(argv[i].substring(2), argv[i + 1]);
        }
        return args;
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "client=%s accounts=%d inflight=%d cores=%d java=%s maxHeap=%d MiB%n", client,
                accounts, inflight, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        try (ProsodyServer prosody = ProsodyServer.builder()
                .fileDescriptorLimit(accounts + 1024)
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
            LoadClient c = client.equals("openzoep")
                    ? new ZoepLoadClient(prosody, accounts, inflight, LoadClient.Inbound.NONE)
                    : new SmackLoadClient(prosody, accounts, inflight, LoadClient.Inbound.NONE);
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

    record LoginStats(int ok, int failed, long nanos, String firstError) {
    }

    private LoginStats loginRange(LoadClient c, int from, int to, long deadline) throws InterruptedException {
        return loginRange(c, from, to, inflight, deadline);
    }

    /** Logs in accounts {@code from..to-1} with at most {@code inflight} pending; prints a line. */
    static LoginStats loginRange(LoadClient c, int from, int to, int inflight, long deadline)
            throws InterruptedException {
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

    record Snapshot(int threads, long heapUsed, long rssKb, Map<String, Integer> threadGroups) {
        static Snapshot take(String label) throws InterruptedException {
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(200);
            }
            ThreadMXBean tx = ManagementFactory.getThreadMXBean();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            Snapshot s = new Snapshot(tx.getThreadCount(), used, readRssKb(), liveThreadGroups());
            System.out.printf(Locale.ROOT, "[%s] threads=%d heapUsed=%.1f MiB rss=%.1f MiB%n", label, s.threads,
                    s.heapUsed / 1048576.0, s.rssKb / 1024.0);
            return s;
        }

        /** Live threads by name, digits replaced by {@code #}. */
        static Map<String, Integer> liveThreadGroups() {
            ThreadMXBean tx = ManagementFactory.getThreadMXBean();
            Map<String, Integer> groups = new TreeMap<>();
            for (ThreadInfo ti : tx.getThreadInfo(tx.getAllThreadIds())) {
                if (ti != null) {
                    groups.merge(ti.getThreadName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
                }
            }
            return groups;
        }

        static long readRssKb() {
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

    /**
     * Runs {@code op(0..n-1)} with at most {@code inflight} pending (an op that returns null is
     * skipped); returns how many succeeded.
     */
    static int boundedAll(int n, int inflight, IntFunction<CompletionStage<?>> op, long deadlineNanos)
            throws InterruptedException {
        Semaphore permits = new Semaphore(inflight);
        AtomicInteger ok = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            if (!permits.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return ok.get();
            }
            CompletionStage<?> s = op.apply(i);
            if (s == null) {
                permits.release();
                continue;
            }
            s.whenComplete((v, t) -> {
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
