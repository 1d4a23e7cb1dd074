package org.openzoep.media;

/**
 * The time source of all timing logic in the media engine (jitter buffer, RTCP intervals, RTT,
 * quality). Production code uses {@link #SYSTEM}; tests hand in a fake clock they advance by hand.
 *
 * <p>Thread: implementations must be safe to read from any thread.
 */
public interface MediaClock {

    /** Monotonic nanoseconds, only meaningful as differences. */
    long nanoTime();

    /** Wall-clock time in milliseconds since 1970, used only for RTCP sender-report NTP stamps. */
    long epochMillis();

    /** The system clock. */
    MediaClock SYSTEM = new MediaClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }
    };
}
