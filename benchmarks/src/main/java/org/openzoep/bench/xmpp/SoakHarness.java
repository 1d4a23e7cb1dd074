package org.openzoep.bench.xmpp;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openzoep.testkit.ProsodyServer;

/**
 * The soak: N accounts of one client in this JVM against a private Prosody, with steady traffic for
 * a fixed time, every stanza counted at both ends ({@link SoakCounters}), the heap read from the GC
 * log ({@link GcLog}), threads sampled, and the delivery latency measured at the receiver.
 *
 * <pre>
 * java -Xlog:gc*:file=gc.log:uptime,level,tags -cp benchmarks/target/benchmarks.jar \
 *     org.openzoep.bench.xmpp.SoakHarness --client openzoep|smack --accounts 9000 --rate 3000 \
 *     --warmup 60 --steady 600 --gclog gc.log [--inflight 64] [--drain 120] [--timeout 900]
 * </pre>
 *
 * <p>Phases: Prosody starts (N + 1,024 files), N accounts are written, logged in as in
 * {@link LoadHarness}; then one traffic thread sends {@code --rate} stanzas per second in all,
 * round-robin over the accounts whose partner ({@code i ^ 1}) is online too, so that each account
 * sends every N/rate seconds: two chat messages, then one directed presence (to the partner's full
 * JID, payload in {@code <status/>}), and so on. After {@code --warmup} seconds a full GC marks the
 * start of the steady phase; {@code --steady} seconds later another marks its end; latencies count
 * only in between, threads are sampled every 5 s. Then the traffic stops, the harness waits (at most
 * {@code --drain} s) until every account has received what its partner sent, reports, and logs out.
 *
 * <p>Heap: the full GC after warm-up against the one at the end (live heap, traffic running), and
 * the least-squares slope of the heap after every pause in the steady phase, and of the per-minute
 * minimum of it.
 *
 * <p>Thread: {@code main} drives the phases and samples; {@code soak-traffic} sends; the clients'
 * threads call {@link SoakCounters}.
 */
public final class SoakHarness {

    private final String client;
    private final int accounts;
    private final int rate;
    private final int warmupSeconds;
    private final int steadySeconds;
    private final int drainSeconds;
    private final int inflight;
    private final int timeoutSeconds;
    private final Path gcLog;

    private SoakHarness(Map<String, String> args) {
        this.client = args.getOrDefault("client", "openzoep");
        this.accounts = Integer.parseInt(args.getOrDefault("accounts", "200"));
        this.rate = Integer.parseInt(args.getOrDefault("rate", "100"));
        this.warmupSeconds = Integer.parseInt(args.getOrDefault("warmup", "20"));
        this.steadySeconds = Integer.parseInt(args.getOrDefault("steady", "60"));
        this.drainSeconds = Integer.parseInt(args.getOrDefault("drain", "120"));
        this.inflight = Integer.parseInt(args.getOrDefault("inflight", "64"));
        this.timeoutSeconds = Integer.parseInt(args.getOrDefault("timeout", "900"));
        this.gcLog = args.containsKey("gclog") ? Path.of(args.get("gclog")) : null;
        if (!client.equals("openzoep") && !client.equals("smack")) {
            throw new IllegalArgumentException("--client must be openzoep or smack");
        }
        if (accounts < 2 || accounts % 2 != 0 || rate < 1 || inflight < 1) {
            throw new IllegalArgumentException("--accounts even and >= 2, --rate >= 1, --inflight >= 1");
        }
    }

    public static void main(String[] argv) throws Exception {
        new SoakHarness(LoadHarness.options(argv)).run();
        // Smack's and Netty's leftover daemon threads must not keep the JVM alive.
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT,
                "soak client=%s accounts=%d rate=%d/s warmup=%d s steady=%d s cores=%d java=%s maxHeap=%d MiB gclog=%s%n",
                client, accounts, rate, warmupSeconds, steadySeconds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, gcLog);
        try (ProsodyServer prosody = ProsodyServer.builder()
                .fileDescriptorLimit(accounts + 1024)
                .tcpBacklog(Math.max(1024, inflight * 4))
                .startupTimeout(Duration.ofSeconds(60))
                .start()) {
            List<String> users = prosody.createAccounts("load", accounts, LoadHarness.PASSWORD);
            System.out.printf(Locale.ROOT, "prosody pid %d on %s:%d, %d accounts written%n", prosody.pid(),
                    prosody.host(), prosody.port(), users.size());
            SoakCounters counters = new SoakCounters(accounts);
            LoadClient c = client.equals("openzoep")
                    ? new ZoepLoadClient(prosody, accounts, inflight, counters)
                    : new SmackLoadClient(prosody, accounts, inflight, counters);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
                LoadHarness.LoginStats logins = LoadHarness.loginRange(c, 0, accounts, inflight, deadline);
                c.loginsDone();
                soak(c, counters, prosody.pid(), logins.ok());
            } finally {
                long t1 = System.nanoTime();
                int out = c.logoutAll(System.nanoTime() + TimeUnit.SECONDS.toNanos(120));
                System.out.printf(Locale.ROOT, "logged out %d accounts in %d ms%n", out,
                        (System.nanoTime() - t1) / 1_000_000);
                c.close();
            }
        }
    }

    private void soak(LoadClient c, SoakCounters counters, long prosodyPid, int online) throws Exception {
        List<Integer> active = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            if (c.isOnline(i) && c.isOnline(SoakCounters.partner(i))) {
                active.add(i);
            }
        }
        System.out.printf(Locale.ROOT, "%d online, %d in complete pairs send traffic: each every %.2f s%n", online,
                active.size(), active.size() / (double) rate);
        Traffic traffic = new Traffic(c, counters, active.stream().mapToInt(Integer::intValue).toArray(), rate);
        Thread sender = new Thread(traffic, "soak-traffic");
        sender.setDaemon(true);
        sender.start();
        progressUntil(counters, System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds), null);

        // Steady phase: a full GC on each side of it (in the GC log), latencies and thread samples in between.
        System.gc();
        Mark start = Mark.take(counters, prosodyPid);
        counters.recording(true);
        List<Integer> threadSamples = new ArrayList<>();
        progressUntil(counters, System.nanoTime() + TimeUnit.SECONDS.toNanos(steadySeconds), threadSamples);
        counters.recording(false);
        Mark end = Mark.take(counters, prosodyPid);
        Map<String, Integer> threadGroups = LoadHarness.Snapshot.liveThreadGroups();
        System.gc();
        long heapAfterEndGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

        traffic.stop();
        sender.join(TimeUnit.SECONDS.toMillis(30));
        long drainStart = System.nanoTime();
        long drainDeadline = drainStart + TimeUnit.SECONDS.toNanos(drainSeconds);
        while (System.nanoTime() < drainDeadline
                && (counters.missingTotal(SoakCounters.MESSAGE) > 0 || counters.missingTotal(SoakCounters.PRESENCE) > 0)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // polling a condition, bounded
        }
        double drained = (System.nanoTime() - drainStart) / 1e9;
        report(c, counters, start, end, threadSamples, threadGroups, heapAfterEndGc, drained, traffic);
    }

    /** Prints a line every 60 s until {@code until}; samples the thread count every 5 s into {@code samples}. */
    private static void progressUntil(SoakCounters counters, long until, List<Integer> samples) {
        long nextLine = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            long now = System.nanoTime();
            if (now >= until) {
                return;
            }
            LockSupport.parkNanos(Math.min(until - now, TimeUnit.SECONDS.toNanos(5)));
            if (samples != null) {
                samples.add(ManagementFactory.getThreadMXBean().getThreadCount());
            }
            if (System.nanoTime() >= nextLine) {
                nextLine += TimeUnit.SECONDS.toNanos(60);
                System.out.printf(Locale.ROOT,
                        "  t=%.0fs sent msg %d pres %d, received msg %d pres %d, threads %d, heap used %.0f MiB%n",
                        ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0,
                        counters.sentTotal(SoakCounters.MESSAGE), counters.sentTotal(SoakCounters.PRESENCE),
                        counters.receivedTotal(SoakCounters.MESSAGE), counters.receivedTotal(SoakCounters.PRESENCE),
                        ManagementFactory.getThreadMXBean().getThreadCount(),
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
            }
        }
    }

    /** The counters, uptime and CPU times at a phase boundary. */
    private record Mark(long nanos, double uptime, long sent, long received, long cpuNanos, long prosodyTicks,
            int threads, double loadAverage) {
        static Mark take(SoakCounters c, long prosodyPid) {
            return new Mark(System.nanoTime(), ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0,
                    c.sentTotal(SoakCounters.MESSAGE) + c.sentTotal(SoakCounters.PRESENCE),
                    c.receivedTotal(SoakCounters.MESSAGE) + c.receivedTotal(SoakCounters.PRESENCE),
                    ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime(),
                    cpuTicks(prosodyPid), ManagementFactory.getThreadMXBean().getThreadCount(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }

        /** utime + stime of a process from /proc, in clock ticks (100 per second here), or -1. */
        private static long cpuTicks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    /** Sends {@code rate} stanzas per second, round-robin over the active accounts. */
    private static final class Traffic implements Runnable {
        private final LoadClient c;
        private final SoakCounters counters;
        private final int[] active;
        private final int rate;
        private volatile boolean running = true;
        private volatile long behindMax;

        Traffic(LoadClient c, SoakCounters counters, int[] active, int rate) {
            this.c = c;
            this.counters = counters;
            this.active = active;
            this.rate = rate;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            if (active.length == 0) {
                return;
            }
            long start = System.nanoTime();
            long k = 0;
            while (running) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                behindMax = Math.max(behindMax, due - k);
                while (k < due && running) {
                    sendOne(k++);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // pacing
            }
        }

        private void sendOne(long k) {
            int from = active[(int) (k % active.length)];
            int to = SoakCounters.partner(from);
            int kind = (k / active.length) % 3 == 2 ? SoakCounters.PRESENCE : SoakCounters.MESSAGE;
            String payload = counters.sent(kind, from);
            try {
                (kind == SoakCounters.MESSAGE ? c.sendMessage(from, to, payload) : c.sendPresence(from, to, payload))
                        .whenComplete((v, t) -> {
                            if (t != null) {
                                counters.sendFailed(kind, from);
                            }
                        });
            } catch (RuntimeException e) {
                counters.sendFailed(kind, from);
            }
        }
    }

    private void report(LoadClient c, SoakCounters k, Mark start, Mark end, List<Integer> threadSamples,
            Map<String, Integer> threadGroups, long heapAfterEndGc, double drained, Traffic traffic)
            throws IOException {
        double secs = (end.nanos - start.nanos) / 1e9;
        System.out.println();
        System.out.println("=== soak " + client + ", " + accounts + " accounts, " + Math.round(secs) + " s steady ===");
        System.out.printf(Locale.ROOT, "steady traffic            : sent %.0f/s, received %.0f/s (asked %d/s; sender at most %d behind)%n",
                (end.sent - start.sent) / secs, (end.received - start.received) / secs, rate, traffic.behindMax);
        String[] names = {"messages", "presences"};
        long lostAll = 0;
        long dupAll = 0;
        for (int kind = 0; kind < 2; kind++) {
            long lost = k.missingTotal(kind);
            lostAll += lost;
            dupAll += k.duplicatesTotal(kind);
            System.out.printf(Locale.ROOT,
                    "%-26s: sent %d, send failed %d, received %d, lost %d, duplicates %d, gaps %d%n",
                    names[kind], k.sentTotal(kind), k.failedTotal(kind), k.receivedTotal(kind), lost,
                    k.duplicatesTotal(kind), k.gapsTotal(kind));
        }
        int badAccounts = 0;
        StringBuilder firstBad = new StringBuilder();
        for (int i = 0; i < accounts; i++) {
            int m = k.missing(SoakCounters.MESSAGE, i);
            int p = k.missing(SoakCounters.PRESENCE, i);
            if (m != 0 || p != 0) {
                if (badAccounts++ < 5) {
                    firstBad.append(" load").append(i).append("(msg ").append(m).append(", pres ").append(p).append(')');
                }
            }
        }
        System.out.printf(Locale.ROOT, "per account               : %d of %d with sent != received%s (drain %.1f s)%n",
                badAccounts, accounts, firstBad, drained);
        System.out.printf(Locale.ROOT, "other stanzas             : %d presences without soak payload, %d foreign payloads%n",
                k.otherPresence(), k.foreign());
        System.out.printf(Locale.ROOT, "VERDICT                   : %s (lost %d, duplicates %d)%n",
                lostAll == 0 && dupAll == 0 && badAccounts == 0 ? "nothing lost, nothing twice" : "LOSS OR DUPLICATES",
                lostAll, dupAll);
        for (int kind = 0; kind < 2; kind++) {
            LatencyHistogram h = k.latency(kind);
            System.out.printf(Locale.ROOT,
                    "latency %-18s: n=%d p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
                    names[kind], h.count(), h.percentile(0.50) / 1e3, h.percentile(0.90) / 1e3,
                    h.percentile(0.99) / 1e3, h.percentile(0.999) / 1e3, h.max() / 1e3);
        }
        int tMin = threadSamples.stream().mapToInt(Integer::intValue).min().orElse(-1);
        int tMax = threadSamples.stream().mapToInt(Integer::intValue).max().orElse(-1);
        System.out.printf(Locale.ROOT, "threads (sampled every 5s): min %d, max %d over %d samples; start %d, end %d%n",
                tMin, tMax, threadSamples.size(), start.threads, end.threads);
        System.out.println("thread names (grouped)    : " + threadGroups);
        System.out.printf(Locale.ROOT,
                "CPU in steady phase       : client %.2f cores, prosody %.2f cores (machine load average %.1f at start, %.1f at end)%n",
                (end.cpuNanos - start.cpuNanos) / 1e9 / secs, (end.prosodyTicks - start.prosodyTicks) / 100.0 / secs,
                start.loadAverage, end.loadAverage);
        System.out.printf(Locale.ROOT, "RSS at end                : %.1f MiB; heap used after the final full GC %.1f MiB%n",
                LoadHarness.Snapshot.readRssKb() / 1024.0, heapAfterEndGc / 1048576.0);
        heapReport(start, end);
        System.out.println();
    }

    private void heapReport(Mark start, Mark end) throws IOException {
        if (gcLog == null) {
            System.out.println("heap                      : no --gclog given");
            return;
        }
        List<GcLog.Pause> all = GcLog.read(gcLog);
        GcLog.Pause fullBefore = null;
        GcLog.Pause fullAfter = null;
        List<GcLog.Pause> steady = new ArrayList<>();
        for (GcLog.Pause p : all) {
            if (p.uptime() < start.uptime && p.full()) {
                fullBefore = p;
            } else if (p.uptime() > end.uptime && p.full() && fullAfter == null) {
                fullAfter = p;
            } else if (p.uptime() >= start.uptime && p.uptime() <= end.uptime) {
                steady.add(p);
            }
        }
        if (fullBefore != null && fullAfter != null) {
            System.out.printf(Locale.ROOT,
                    "heap after full GC        : %.1f MiB at steady start (t=%.0fs), %.1f MiB at steady end (t=%.0fs): %+.1f MiB%n",
                    fullBefore.afterMiB(), fullBefore.uptime(), fullAfter.afterMiB(), fullAfter.uptime(),
                    fullAfter.afterMiB() - fullBefore.afterMiB());
        }
        double[] x = new double[steady.size()];
        double[] y = new double[steady.size()];
        double maxPause = 0;
        double sumPause = 0;
        for (int i = 0; i < x.length; i++) {
            GcLog.Pause p = steady.get(i);
            x[i] = (p.uptime() - start.uptime) / 60;
            y[i] = p.afterMiB();
            maxPause = Math.max(maxPause, p.millis());
            sumPause += p.millis();
        }
        int minutes = Math.max(1, (int) Math.floor((end.uptime - start.uptime) / 60));
        double[] minX = new double[minutes];
        double[] minY = new double[minutes];
        int filled = 0;
        StringBuilder perMinute = new StringBuilder();
        for (int m = 0; m < minutes; m++) {
            double lo = Double.MAX_VALUE;
            for (int i = 0; i < x.length; i++) {
                if (x[i] >= m && x[i] < m + 1) {
                    lo = Math.min(lo, y[i]);
                }
            }
            if (lo != Double.MAX_VALUE) {
                minX[filled] = m;
                minY[filled++] = lo;
                perMinute.append(String.format(Locale.ROOT, " %.0f", lo));
            } else {
                perMinute.append(" -");
            }
        }
        System.out.printf(Locale.ROOT, "GC pauses in steady phase : %d, total %.0f ms, max %.1f ms%n", x.length,
                sumPause, maxPause);
        System.out.printf(Locale.ROOT, "heap after GC, per minute : min MiB%s%n", perMinute);
        System.out.printf(Locale.ROOT,
                "heap after GC, slope      : %+.2f MiB/min over all pauses, %+.2f MiB/min over the per-minute minima%n",
                GcLog.slope(x, y), GcLog.slope(Arrays.copyOf(minX, filled), Arrays.copyOf(minY, filled)));
    }
}
