package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.testkit.TcpProxy;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;

/**
 * L7: what an account has not yet written is bounded. A real Prosody behind a proxy that stops
 * reading from the sender: the application sends 100,000 messages; what waits in the connection
 * stays under the write-buffer high-water mark (plus one stanza), every refused stanza fails with
 * {@link XmppException.Kind#QUEUE_FULL}, and once the proxy reads again every accepted message
 * reaches the receiver, in order. The count bound ({@code maxPendingStanzas}) likewise, with the
 * event loop held up while the application sends.
 */
class SendQueueTest {
    static final int MESSAGES = 100_000;
    static ProsodyServer prosody;
    static TcpProxy proxy;
    static XmppClient client;
    static ExecutorService callbacks;

    @BeforeAll
    static void start() {
        prosody = ProsodyServer.builder().account("alice", "alice-pw").account("bob", "bob-pw").start();
        proxy = TcpProxy.to(prosody.host(), prosody.port());
        client = XmppClient.builder().threads(1).build();
        callbacks = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stop() {
        client.close();
        callbacks.shutdown();
        proxy.close();
        prosody.close();
    }

    static XmppSession login(String user, String host, int port, int maxPending, XmppSessionListener l)
            throws Exception {
        XmppSessionConfig cfg = XmppSessionConfig.builder(Jid.parse(user + "@" + prosody.domain()), user + "-pw")
                .host(host).port(port).trustStorePem(prosody.caCertificate()).resource("q")
                .loginTimeout(Duration.ofSeconds(15)).pingInterval(Duration.ZERO).maxPendingStanzas(maxPending).build();
        return client.connect(cfg, l, callbacks).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** The count bound lifted: what waits for the socket is held at the write-buffer water mark. */
    @Test
    void aServerThatDoesNotReadGetsABoundedQueueAndEveryRefusalIsReported() throws Exception {
        run(Integer.MAX_VALUE, MESSAGES, true);
    }

    /** The count bound alone: at most ten in flight, the rest refused at once. */
    @Test
    void atMostMaxPendingStanzasAreInFlight() throws Exception {
        run(10, 1000, false);
    }

    private void run(int maxPending, int messages, boolean watermark) throws Exception {
        RecordingListener bobEvents = new RecordingListener();
        XmppSession bob = login("bob", prosody.host(), prosody.port(), 1000, bobEvents);
        XmppSession alice = login("alice", proxy.host(), proxy.port(), maxPending, new RecordingListener());
        Jid to = bob.jid();

        // the stall: a proxy that does not read, or (for the count alone) an event loop held up a moment
        CountDownLatch hold = new CountDownLatch(1);
        if (watermark) {
            proxy.pause();
        } else {
            alice.channel().eventLoop().execute(() -> {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>(messages);
        for (int i = 0; i < messages; i++) {
            sent.add(alice.send(Stanza.message().to(to).type("chat").id("m" + i).body("message " + i).build())
                    .toCompletableFuture());
        }
        hold.countDown();
        // every send has reached the event loop, and every outcome so far has reached the callbacks
        alice.channel().eventLoop().submit(() -> { }).get(60, TimeUnit.SECONDS);
        callbacks.submit(() -> { }).get(60, TimeUnit.SECONDS);
        long waiting = alice.channel().eventLoop().submit(
                () -> alice.channel().unsafe().outboundBuffer().totalPendingWriteBytes()).get(10, TimeUnit.SECONDS);
        int high = alice.channel().config().getWriteBufferHighWaterMark();
        assertThat(waiting).as("bytes waiting in the connection while the server does not read")
                .isLessThanOrEqualTo(high + 4096L);
        if (watermark) {
            assertThat(waiting).as("the stall reached the high-water mark").isGreaterThanOrEqualTo(high);
        }

        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            CompletableFuture<Void> f = sent.get(i);
            if (f.isCompletedExceptionally()) {
                XmppException x = failure(f);
                assertThat(x.kind()).as("failure of message %d: %s", i, x).isEqualTo(XmppException.Kind.QUEUE_FULL);
                assertThat(x.getMessage()).contains(watermark ? "bytes wait for the socket" : "stanzas wait to be written");
                refused.add(i);
            }
        }
        assertThat(refused).as("messages refused while the server does not read").isNotEmpty();

        if (watermark) {
            proxy.resume();
        } else {
            assertThat(messages - refused.size()).as("accepted while the event loop was held").isEqualTo(maxPending);
        }
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            CompletableFuture<Void> f = sent.get(i);
            if (!f.isCompletedExceptionally()) {
                f.get(120, TimeUnit.SECONDS); // written once the server reads again
                accepted.add(i);
            }
        }
        assertThat(accepted.size() + refused.size()).isEqualTo(messages);
        List<Integer> arrived = new ArrayList<>(accepted.size());
        while (arrived.size() < accepted.size()) {
            Stanza m = bobEvents.stanzas.poll(60, TimeUnit.SECONDS);
            assertThat(m).as("message %d of %d at the receiver", arrived.size(), accepted.size()).isNotNull();
            if (m.kind() == Stanza.Kind.MESSAGE && m.body() != null) {
                arrived.add(Integer.parseInt(m.body().substring("message ".length())));
            }
        }
        assertThat(arrived).as("what arrived, in order").isEqualTo(accepted);
        System.out.printf("SendQueueTest (maxPendingStanzas %d): %d of %d messages accepted, %d refused; %d bytes waited with the server"
                + " not reading (high-water mark %d)%n", maxPending, accepted.size(), messages, refused.size(), waiting, high);
        alice.close().toCompletableFuture().get(20, TimeUnit.SECONDS);
        bob.close().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static XmppException failure(CompletableFuture<Void> f) {
        try {
            f.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return (XmppException) e.getCause();
        }
    }
}
