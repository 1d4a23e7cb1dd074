package org.openzoep.bench.call;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openzoep.Account;
import org.openzoep.AccountListener;
import org.openzoep.AccountSettings;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.ZoepEngine;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioSource;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.tls.TlsMode;

/**
 * Real calls between two engines in this process, through a private Prosody on loopback.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.openzoep.bench.call.CallHarness setup 200
 * java -cp benchmarks/target/benchmarks.jar org.openzoep.bench.call.CallHarness load 100 30 [same-jvm]
 * </pre>
 *
 * <p>{@code setup N}: N calls one after another, alice (engine A) to bob (engine B, who answers
 * at once); the time from {@code join} (the call request) to {@code joined} (ICE and DTLS-SRTP
 * done, media flowing) on alice's side; p50, p99, max.
 *
 * <p>{@code load N S}: N concurrent calls from alice (engine A: Opus complexity 5, a tone as the
 * voice) to bob (the peer engine in its own JVM, started at nice 19 so that it takes only the CPU
 * A leaves, as a remote party would; complexity 0; silence); once all are connected, S seconds
 * are measured: A's audio frames, the frames that missed their 20 ms deadline, the longest frame,
 * and the CPU time of A's threads (audio, I/O, API, DTLS) per call. With {@code same-jvm} the peer
 * engine runs in this JVM at the same priority instead.
 */
public final class CallHarness {
    private CallHarness() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "setup";
        if (mode.equals("peer")) {
            peer(args);
            return;
        }
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        try (ProsodyServer prosody = ProsodyServer.builder().account("alice", "alice-pw").account("bob", "bob-pw")
                .start()) {
            List<InetAddress> loopback = List.of(InetAddress.getByName("127.0.0.1"));
            try (ZoepEngine a = ZoepEngine.builder().name("a").mediaAddresses(loopback)
                    .setupTimeout(Duration.ofSeconds(60)).build()) {
                Side alice = new Side(false);
                Account aa = online(a, alice, prosody.host(), prosody.port(), prosody.caCertificate().toString(),
                        prosody.domain(), "alice", 5);
                if (mode.equals("setup")) {
                    try (ZoepEngine b = ZoepEngine.builder().name("b").mediaAddresses(loopback).build()) {
                        Account ba = online(b, new Side(true), prosody.host(), prosody.port(),
                                prosody.caCertificate().toString(), prosody.domain(), "bob", 0);
                        setup(aa, ba, alice, n);
                        b.unregisterAccount(ba);
                    }
                } else if (args.length > 3 && args[3].equals("same-jvm")) {
                    try (ZoepEngine b = ZoepEngine.builder().name("b").mediaAddresses(loopback)
                            .setupTimeout(Duration.ofSeconds(60)).build()) {
                        Account ba = online(b, new Side(true), prosody.host(), prosody.port(),
                                prosody.caCertificate().toString(), prosody.domain(), "bob", 0);
                        load(a, aa, ba.jid(), alice, n, seconds, "the peer engine in this JVM, same priority");
                        b.unregisterAccount(ba);
                    }
                } else {
                    // the peer runs in its own JVM at the lowest CPU priority (nice 19): on this
                    // 2-core machine it then takes only what engine A leaves, as a remote party would
                    Process peer = new ProcessBuilder("nice", "-n", "19", ProcessHandle.current().info().command()
                            .orElse("java"), "-cp", System.getProperty("java.class.path"), CallHarness.class.getName(),
                            "peer", prosody.host(), Integer.toString(prosody.port()),
                            prosody.caCertificate().toString(), prosody.domain()).inheritIO().start();
                    try {
                        Jid bob = Jid.parse("bob@" + prosody.domain() + "/bench");
                        waitForPresence(aa, alice, bob);
                        load(a, aa, bob, alice, n, seconds, "the peer engine in its own JVM at nice 19");
                    } finally {
                        peer.destroy();
                        peer.waitFor(10, TimeUnit.SECONDS);
                    }
                }
                a.unregisterAccount(aa);
            }
        }
    }

    /** The peer process: bob answers every call (Opus complexity 0, silence) until killed. */
    static void peer(String[] args) throws Exception {
        try (ZoepEngine b = ZoepEngine.builder().name("b").mediaAddresses(List.of(InetAddress.getByName("127.0.0.1")))
                .setupTimeout(Duration.ofSeconds(60)).build()) {
            online(b, new Side(true), args[1], Integer.parseInt(args[2]), args[3], args[4], "bob", 0);
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Waits until the peer process is online: a probe call is answered and hung up. */
    static void waitForPresence(Account alice, Side side, Jid bob) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Call c = alice.call(bob, CallAudio.silence()).toCompletableFuture().get();
            CallEnd end = null;
            try {
                side.next(CallEvent.Kind.JOINED);
            } catch (IllegalStateException e) {
                end = c.ended().toCompletableFuture().getNow(null);
            }
            c.hangup();
            c.ended().toCompletableFuture().get(30, TimeUnit.SECONDS);
            side.events.clear();
            if (end == null) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the peer process did not come online");
    }

    /** Collects call events; bob's side answers every incoming call at once. */
    static final class Side implements AccountListener {
        final boolean answer;
        final BlockingQueue<Object[]> events = new LinkedBlockingQueue<>();

        Side(boolean answer) {
            this.answer = answer;
        }

        @Override
        public void onCall(Account account, Call call, CallEvent event) {
            if (answer && event.kind() == CallEvent.Kind.INCOMING) {
                call.answer();
            }
            events.add(new Object[] {call, event, System.nanoTime()});
        }

        Object[] next(CallEvent.Kind kind) throws InterruptedException {
            while (true) {
                Object[] e = events.poll(60, TimeUnit.SECONDS);
                if (e == null) {
                    throw new IllegalStateException("no " + kind + " within 60 s");
                }
                CallEvent ev = (CallEvent) e[1];
                if (ev.kind() == kind) {
                    return e;
                }
                if (ev.kind() == CallEvent.Kind.ENDED && kind != CallEvent.Kind.ENDED) {
                    throw new IllegalStateException("call ended: " + ev.end());
                }
            }
        }
    }

    static Account online(ZoepEngine engine, Side side, String host, int port, String ca, String domain, String user,
            int complexity) throws Exception {
        Account acc = engine.registerAccount(side);
        AccountSettings s = AccountSettings.defaults().withServer(host, port)
                .withTls(TlsMode.STARTTLS, java.nio.file.Path.of(ca))
                .withIncomingCalls(AccountSettings.IncomingCalls.EVERYONE); // the harness's pairs are strangers
        s = s.withMedia(s.audio(), List.of(new AccountSettings.Codec("opus", complexity, null, null, null, null)),
                List.of(), List.of(), null);
        acc.configure(s).toCompletableFuture().get();
        acc.defaultAudio(CallAudio.silence()).toCompletableFuture().get();
        acc.login(Jid.parse(user + "@" + domain + "/bench"), user + "-pw").toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        acc.sendPresence(null).toCompletableFuture().get();
        return acc;
    }

    static void setup(Account alice, Account bob, Side aliceSide, int n) throws Exception {
        for (int warm = 0; warm < 10; warm++) {
            oneCall(alice, bob, aliceSide);
        }
        long[] ms = new long[n];
        for (int i = 0; i < n; i++) {
            ms[i] = oneCall(alice, bob, aliceSide);
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "call setup, join to joined, %d calls after 10 warm-up: p50 %.1f ms, "
                + "p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", n, ms[n / 2] / 1e3, ms[n * 9 / 10] / 1e3,
                ms[Math.min(n - 1, n * 99 / 100)] / 1e3, ms[n - 1] / 1e3);
    }

    /** One call: microseconds from join to joined; then hang up and wait for the end. */
    static long oneCall(Account alice, Account bob, Side side) throws Exception {
        long t0 = System.nanoTime();
        Call c = alice.call(bob.jid(), CallAudio.silence()).toCompletableFuture().get();
        Object[] joined = side.next(CallEvent.Kind.JOINED);
        long us = ((long) joined[2] - t0) / 1000;
        c.hangup();
        c.ended().toCompletableFuture().get(30, TimeUnit.SECONDS);
        side.next(CallEvent.Kind.ENDED);
        return us;
    }

    /** A 440 Hz tone, allocation-free. */
    static final class Tone implements AudioSource {
        private int phase;

        @Override
        public int read(short[] frame, int offset) {
            for (int i = 0; i < AudioDevice.FRAME_SAMPLES; i++) {
                frame[offset + i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * (phase++ % 48000) / 48000.0));
            }
            return AudioDevice.FRAME_SAMPLES;
        }
    }

    static void load(ZoepEngine engine, Account alice, Jid bob, Side side, int n, int seconds, String peer)
            throws Exception {
        List<Call> calls = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            calls.add(alice.call(bob, CallAudio.of(new Tone(), null)).toCompletableFuture().get());
            if (i % 10 == 9) {
                for (int k = 0; k < 10; k++) {
                    side.next(CallEvent.Kind.JOINED);
                }
            }
        }
        for (int k = 0; k < n % 10; k++) {
            side.next(CallEvent.Kind.JOINED);
        }
        System.out.printf(Locale.ROOT, "%d calls connected in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        Thread.sleep(3000); // settle: jitter buffers, RTCP
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = cpu(mx, "a-");
        long all0 = cpu(mx, "");
        engine.resetAudioStats();
        long w0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long wall = System.nanoTime() - w0;
        ZoepEngine.AudioStats st = engine.audioStats();
        long cpu = cpu(mx, "a-") - cpu0;
        long all = cpu(mx, "") - all0;
        double lossSum = 0;
        double mosMin = 5;
        for (Call c : calls) {
            lossSum += c.stats().lossPercent();
            mosMin = Math.min(mosMin, c.stats().mos());
        }
        System.out.printf(Locale.ROOT, "load: %d concurrent calls (engine A: Opus complexity 5; %s: complexity 0), "
                + "%d s measured%n", n, peer, seconds);
        System.out.printf(Locale.ROOT, "  engine A audio: %d frames on its audio threads, %d missed the 20 ms deadline "
                + "(%.3f%%), longest frame %.2f ms%n", st.frames(), st.missedDeadlines(),
                100.0 * st.missedDeadlines() / Math.max(1, st.frames()), st.maxFrameMicros() / 1e3);
        System.out.printf(Locale.ROOT, "  engine A CPU: %.1f%% of one core in all, %.2f%% of a core per call "
                + "(%.0f us per 20 ms frame); this JVM's threads: %.1f%% of one core%n",
                100.0 * cpu / wall, 100.0 * cpu / wall / n, cpu / (double) wall * 20_000 / n, 100.0 * all / wall);
        System.out.printf(Locale.ROOT, "  calls as heard by alice: mean loss %.2f%%, lowest MOS %.2f%n", lossSum / n,
                mosMin);
        for (Call c : calls) {
            c.hangup();
        }
        for (Call c : calls) {
            c.ended().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** CPU time of the live threads whose names start with {@code prefix}. */
    static long cpu(ThreadMXBean mx, String prefix) {
        long sum = 0;
        for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (ti != null && ti.getThreadName().startsWith(prefix)) {
                long t = mx.getThreadCpuTime(ti.getThreadId());
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }
}
