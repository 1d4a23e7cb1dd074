package org.openzoep.bench.xmpp;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Delivery latencies in microseconds, in log-linear buckets: exact below 128 µs, then 128 buckets
 * per power of two (under 0.8 % relative error). Fixed size (58 KB), allocated once, so
 * recording allocates nothing and the soak's heap shows the client, not the harness.
 *
 * <p>Thread: {@link #record} from any thread (atomic adds); {@link #percentile} once recording
 * has stopped.
 */
final class LatencyHistogram {
    private static final int SUB = 128;
    private static final int SUB_BITS = 7;
    private final AtomicLongArray counts = new AtomicLongArray(SUB + 57 * SUB);
    private final AtomicLong max = new AtomicLong();

    void record(long micros) {
        long us = Math.max(0, micros);
        counts.incrementAndGet(index(us));
        max.accumulateAndGet(us, Math::max);
    }

    static int index(long us) {
        if (us < SUB) {
            return (int) us;
        }
        int shift = 63 - Long.numberOfLeadingZeros(us) - SUB_BITS;
        return SUB + shift * SUB + (int) ((us >>> shift) - SUB);
    }

    /** The largest value that falls into bucket {@code i}. */
    static long upperBound(int i) {
        if (i < SUB) {
            return i;
        }
        int shift = (i - SUB) / SUB;
        long mant = SUB + (i - SUB) % SUB;
        return ((mant + 1) << shift) - 1;
    }

    long count() {
        long n = 0;
        for (int i = 0; i < counts.length(); i++) {
            n += counts.get(i);
        }
        return n;
    }

    long max() {
        return max.get();
    }

    /** The value at or below which {@code p} (0..1) of the samples lie (bucket upper bound), or -1 if empty. */
    long percentile(double p) {
        long n = count();
        if (n == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(p * n);
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperBound(i), max.get());
            }
        }
        return max.get();
    }
}
