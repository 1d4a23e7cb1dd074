package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.testkit.TestPki;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.tls.TlsMode;

/**
 * L3: SCRAM key derivation with a server-chosen iteration count must not stall other accounts.
 * The compute executor here has one thread, the worst case of a shared pool: account A's server
 * asks for 1,000,000 SCRAM-SHA-256 iterations (allowed; about a second of CPU), and while that
 * runs, account B (4096 iterations) must log in. Before the fix A's derivation was one task, and
 * B's waited behind all of it.
 */
class ScramWorkIsolationTest {
    static TestPki pki;
    static ExecutorService computeThread;
    static ExecutorService callbacks;
    static XmppClient client;
    static final AtomicInteger computeTasks = new AtomicInteger();

    @BeforeAll
    static void setUp() {
        pki = TestPki.shared();
        computeThread = Executors.newSingleThreadExecutor();
        callbacks = Executors.newFixedThreadPool(2);
        client = XmppClient.builder().threads(2).computeExecutor(r -> {
            computeTasks.incrementAndGet();
            computeThread.execute(r);
        }).build();
    }

    @AfterAll
    static void tearDown() {
        client.close();
        computeThread.shutdownNow();
        callbacks.shutdown();
    }

    static XmppSessionConfig config(ScramServer server, String user) {
        return XmppSessionConfig.builder(Jid.parse(user + "@localhost"), ScramServer.PASSWORD)
                .host("127.0.0.1").port(server.port()).tlsMode(TlsMode.DIRECT_TLS)
                .trustStorePem(pki.caCertificate())
                .saslPreference(List.of("SCRAM-SHA-256"))
                .loginTimeout(Duration.ofSeconds(60))
                .build();
    }

    static XmppException loginFailure(ScramServer server, XmppSessionConfig config) throws Exception {
        CompletableFuture<XmppSession> login = client.connect(config, new RecordingListener(), callbacks)
                .toCompletableFuture();
        try {
            login.get(30, TimeUnit.SECONDS);
            throw new AssertionError("login succeeded");
        } catch (ExecutionException e) {
            return (XmppException) e.getCause();
        }
    }

    /** Ten million iterations (above the default cap of 1,000,000): refused before any derivation. */
    @Test
    void aHugeIterationCountIsRefusedBeforeAnyWork() throws Exception {
        ScramServer.Script huge = new ScramServer.Script();
        huge.iterations = 10_000_000;
        try (ScramServer server = new ScramServer(pki, huge)) {
            int tasksBefore = computeTasks.get();
            XmppException e = loginFailure(server, config(server, "huge"));
            assertThat(e.kind()).isEqualTo(XmppException.Kind.AUTH_FAILED);
            assertThat(e.saslCondition()).isEqualTo("iteration-count-out-of-range");
            assertThat(e.getMessage()).contains("10000000").contains("1000000");
            assertThat(computeTasks.get()).as("no key derivation was started").isEqualTo(tasksBefore);
            assertThat(huge.clientFinal.getCount()).isEqualTo(1);
        }
    }

    /** The cap is configurable: 20,000 iterations against a cap of 10,000 is refused, 8192 is fine. */
    @Test
    void theIterationCapIsConfigurable() throws Exception {
        ScramServer.Script above = new ScramServer.Script();
        above.iterations = 20_000;
        try (ScramServer server = new ScramServer(pki, above)) {
            XmppException e = loginFailure(server, XmppSessionConfig.builder(Jid.parse("capped@localhost"),
                    ScramServer.PASSWORD).host("127.0.0.1").port(server.port()).tlsMode(TlsMode.DIRECT_TLS)
                    .trustStorePem(pki.caCertificate()).maxScramIterations(10_000).build());
            assertThat(e.saslCondition()).isEqualTo("iteration-count-out-of-range");
            assertThat(e.getMessage()).contains("20000").contains("10000");
        }
        ScramServer.Script below = new ScramServer.Script();
        below.iterations = 8192;
        try (ScramServer server = new ScramServer(pki, below)) {
            XmppSession s = client.connect(XmppSessionConfig.builder(Jid.parse("capped@localhost"), ScramServer.PASSWORD)
                    .host("127.0.0.1").port(server.port()).tlsMode(TlsMode.DIRECT_TLS)
                    .trustStorePem(pki.caCertificate()).maxScramIterations(10_000).build(), new RecordingListener(),
                    callbacks).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(server.verdict.get()).isEqualTo("ok");
            s.close();
        }
    }

    @Test
    void aLargeIterationCountOnOneAccountDoesNotStallAnotherAccountsLogin() throws Exception {
        ScramServer.Script slow = new ScramServer.Script();
        slow.iterations = 1_000_000;
        try (ScramServer a = new ScramServer(pki, slow);
                ScramServer b = new ScramServer(pki, new ScramServer.Script())) {
            CompletableFuture<XmppSession> loginA = client.connect(config(a, "slow"), new RecordingListener(), callbacks)
                    .toCompletableFuture();
            assertThat(slow.challengeSent.await(20, TimeUnit.SECONDS)).as("login: %s", loginA).isTrue();
            // A's derivation is on the compute thread (or queued first) before B starts
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (computeTasks.get() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(computeTasks.get()).isPositive();

            XmppSession sessionB = client.connect(config(b, "fast"), new RecordingListener(), callbacks)
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertThat(slow.clientFinal.getCount())
                    .as("B logged in while A's 1,000,000 iterations were still being computed")
                    .isEqualTo(1);
            XmppSession sessionA = loginA.get(60, TimeUnit.SECONDS);
            assertThat(a.verdict.get()).isEqualTo("ok");
            sessionA.close();
            sessionB.close();
        }
    }
}
