package org.openzoep.media.rtcp;

import java.util.random.RandomGenerator;

/**
 * The RTCP transmission interval of RFC 3550 section 6.3.1 and appendix A.7: the deterministic
 * interval from the RTCP bandwidth (5% of the session bandwidth, a quarter of it for senders when
 * senders are at most a quarter of the members), the average compound size and the member count,
 * never below the 5 second minimum (2.5 s before the first report), then randomized over
 * [0.5, 1.5] times itself and divided by e - 3/2 to compensate for timer reconsideration.
 *
 * <p>Thread: the media network thread. Time is passed in by the caller (nanoseconds on the media
 * clock), so this runs against a fake clock in tests.
 */
public final class RtcpScheduler {

    /** RFC 3550 minimum interval, seconds. */
    public static final double MIN_TIME = 5.0;
    private static final double SENDER_BW_FRACTION = 0.25;
    private static final double RECEIVER_BW_FRACTION = 0.75;
    private static final double COMPENSATION = Math.E - 1.5;

    private final RandomGenerator random;
    private final double rtcpBytesPerSecond;
    private double avgRtcpSize;
    private boolean initial = true;
    private long nextNanos;
    private long lastNanos;

    /**
     * @param sessionBitsPerSecond session bandwidth (RTP payload plus headers) of all senders
     * @param nowNanos the time the session starts; the first report is scheduled from it
     */
    public RtcpScheduler(RandomGenerator random, double sessionBitsPerSecond, long nowNanos) {
        this.random = random;
        this.rtcpBytesPerSecond = sessionBitsPerSecond * 0.05 / 8.0;
        this.avgRtcpSize = 128; // a guess until packets are seen: SR + one block + SDES + UDP/IP
        this.lastNanos = nowNanos;
        this.nextNanos = nowNanos + seconds(interval(2, 1, false));
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    /**
     * RFC 3550 A.7 {@code rtcp_interval()}, in seconds, randomized.
     *
     * @param members current members, including us
     * @param senders members that sent RTP since the last report
     * @param weSent whether we sent RTP since our last report
     */
    public double interval(int members, int senders, boolean weSent) {
        return deterministicInterval(members, senders, weSent) * (random.nextDouble() + 0.5) / COMPENSATION;
    }

    /** The interval before randomization and compensation, in seconds (never below the minimum). */
    public double deterministicInterval(int members, int senders, boolean weSent) {
        double minTime = initial ? MIN_TIME / 2 : MIN_TIME;
        double bw = rtcpBytesPerSecond;
        int n = members;
        if (senders <= members * SENDER_BW_FRACTION) {
            if (weSent) {
                bw *= SENDER_BW_FRACTION;
                n = senders;
            } else {
                bw *= RECEIVER_BW_FRACTION;
                n -= senders;
            }
        }
        double t = avgRtcpSize * n / bw;
        return Math.max(t, minTime);
    }

    /** Whether a report is due at {@code nowNanos}. */
    public boolean due(long nowNanos) {
        return nowNanos - nextNanos >= 0;
    }

    public long nextNanos() {
        return nextNanos;
    }

    /**
     * Call after sending a compound of {@code sizeBytes} (including UDP and IP headers): updates
     * the average size and schedules the next report.
     */
    public void onSent(long nowNanos, int sizeBytes, int members, int senders, boolean weSent) {
        avgRtcpSize = sizeBytes / 16.0 + avgRtcpSize * 15.0 / 16.0;
        initial = false;
        lastNanos = nowNanos;
        nextNanos = nowNanos + seconds(interval(members, senders, weSent));
    }

    /** Call for every compound received, with its size including UDP and IP headers. */
    public void onReceived(int sizeBytes) {
        avgRtcpSize = sizeBytes / 16.0 + avgRtcpSize * 15.0 / 16.0;
    }

    public double averageSize() {
        return avgRtcpSize;
    }

    public long lastSentNanos() {
        return lastNanos;
    }
}
