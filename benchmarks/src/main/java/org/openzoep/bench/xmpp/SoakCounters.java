package org.openzoep.bench.xmpp;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every soak stanza counted at both ends. Accounts are paired ({@code i} and {@code i ^ 1}); each
 * sends only to its partner, so every receiver has exactly one sender per kind and can check the
 * sequence numbers: a number at or below the last one seen is a duplicate (or a reordering back), a
 * number beyond the next expected one is a gap (loss or reordering forward). The totals decide:
 * lost = sent and accepted by the client − (received − duplicates).
 *
 * <p>Payload (message body or presence status): {@code soak SENDER SEQ NANOTIME}, where
 * {@code NANOTIME} is the sender's {@link System#nanoTime()} just before the send call. Sender and
 * receiver are in this JVM, so the receiver's {@code nanoTime()} minus it is the delivery latency
 * (client send path, TLS, Prosody, client receive path up to the application callback).
 *
 * <p>Thread: {@link #sent} from the one traffic thread; {@link #sendFailed} from the clients'
 * completion threads; {@link #message}/{@link #presence} on the clients' delivery threads (one at a
 * time per account for both clients). Reads for the report after traffic stopped and drained.
 */
final class SoakCounters implements LoadClient.Inbound {
    static final int MESSAGE = 0;
    static final int PRESENCE = 1;
    private static final String PREFIX = "soak ";

    private final int n;
    /** Indexed [kind * n + account]. */
    private final AtomicIntegerArray sent;
    private final AtomicIntegerArray failed;
    private final AtomicIntegerArray received;
    private final AtomicIntegerArray lastSeq;
    private final AtomicIntegerArray duplicates;
    private final AtomicIntegerArray gaps;
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong otherPresence = new AtomicLong();
    private final LatencyHistogram[] latency = {new LatencyHistogram(), new LatencyHistogram()};
    private volatile boolean recording;

    SoakCounters(int n) {
        this.n = n;
        this.sent = new AtomicIntegerArray(2 * n);
        this.failed = new AtomicIntegerArray(2 * n);
        this.received = new AtomicIntegerArray(2 * n);
        this.lastSeq = new AtomicIntegerArray(2 * n);
        this.duplicates = new AtomicIntegerArray(2 * n);
        this.gaps = new AtomicIntegerArray(2 * n);
    }

    static int partner(int i) {
        return i ^ 1;
    }

    /** Counts a send by {@code from} and returns its payload. */
    String sent(int kind, int from) {
        int seq = sent.incrementAndGet(kind * n + from);
        return PREFIX + from + ' ' + seq + ' ' + System.nanoTime();
    }

    void sendFailed(int kind, int from) {
        failed.incrementAndGet(kind * n + from);
    }

    /** Latencies count only while recording (the steady phase). */
    void recording(boolean on) {
        recording = on;
    }

    @Override
    public void message(int account, String body) {
        arrived(MESSAGE, account, body);
    }

    @Override
    public void presence(int account, String status) {
        if (status == null || !status.startsWith(PREFIX)) {
            otherPresence.incrementAndGet();
            return;
        }
        arrived(PRESENCE, account, status);
    }

    private void arrived(int kind, int account, String payload) {
        long now = System.nanoTime();
        String[] f = payload.split(" ");
        int from;
        int seq;
        long t;
        try {
            from = Integer.parseInt(f[1]);
            seq = Integer.parseInt(f[2]);
            t = Long.parseLong(f[3]);
        } catch (RuntimeException e) {
            foreign.incrementAndGet();
            return;
        }
        if (f.length != 4 || !f[0].equals("soak") || from != partner(account)) {
            foreign.incrementAndGet();
            return;
        }
        int k = kind * n + account;
        received.incrementAndGet(k);
        int last = lastSeq.get(k);
        if (seq <= last) {
            duplicates.incrementAndGet(k);
        } else {
            if (seq != last + 1) {
                gaps.incrementAndGet(k);
            }
            lastSeq.set(k, seq);
        }
        if (recording) {
            latency[kind].record((now - t) / 1000);
        }
    }

    LatencyHistogram latency(int kind) {
        return latency[kind];
    }

    long sentTotal(int kind) {
        return sum(sent, kind);
    }

    long receivedTotal(int kind) {
        return sum(received, kind);
    }

    long failedTotal(int kind) {
        return sum(failed, kind);
    }

    long duplicatesTotal(int kind) {
        return sum(duplicates, kind);
    }

    long gapsTotal(int kind) {
        return sum(gaps, kind);
    }

    long foreign() {
        return foreign.get();
    }

    long otherPresence() {
        return otherPresence.get();
    }

    /** Stanzas account {@code i}'s partner got accepted by its client but {@code i} has not (yet) received. */
    int missing(int kind, int i) {
        int p = partner(i);
        return sent.get(kind * n + p) - failed.get(kind * n + p)
                - (received.get(kind * n + i) - duplicates.get(kind * n + i));
    }

    /** Total over accounts {@code 0..n-1} of {@link #missing}. */
    long missingTotal(int kind) {
        long m = 0;
        for (int i = 0; i < n; i++) {
            m += missing(kind, i);
        }
        return m;
    }

    private long sum(AtomicIntegerArray a, int kind) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += a.get(kind * n + i);
        }
        return s;
    }
}
