package org.openzoep.cli;

import java.io.PrintStream;
import org.openzoep.Call;
import org.openzoep.CallStats;

/** Prints a call's live line and its summary. */
final class Progress {
    private Progress() {
    }

    static String line(Call call, long startNanos) {
        long s = (System.nanoTime() - startNanos) / 1_000_000_000L;
        CallStats st = call.stats();
        return String.format("[%02d:%02d] %-10s %-13s rx %5d pkts  lost %3d  loss %4.1f%%  jitter %5.1f ms  rtt %5s  MOS %4.2f",
                s / 60, s % 60, call.state(), st.codec() == null ? "-" : st.codec(), st.packetsReceived(),
                st.packetsLost(), st.lossPercent(), st.jitterMs(), st.rttMs() < 0 ? "-" : String.format("%.0f ms",
                        st.rttMs()), st.mos());
    }

    static void summary(PrintStream out, String who, CallStats st) {
        out.printf("   %s heard: codec %s, %d packets, %d lost (%.1f%% after FEC/concealment), jitter %.1f ms, "
                + "RTT %s, MOS %.2f; SRTP rejected %d (auth) + %d (replay); ICE %s -> %s%n", who,
                st.codec(), st.packetsReceived(), st.packetsLost(), st.lossPercent(), st.jitterMs(),
                st.rttMs() < 0 ? "unknown" : String.format("%.1f ms", st.rttMs()), st.mos(), st.srtpAuthFailures(),
                st.srtpReplayed(), st.localCandidate(), st.remoteCandidate());
    }
}
