package org.openzoep.bench.xmpp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pauses of a unified JVM GC log ({@code -Xlog:gc*:file=F:uptime,level,tags}): for each
 * {@code [gc]} summary line such as
 * {@code [12.345s][info][gc] GC(12) Pause Young (Normal) (G1 Evacuation Pause) 123M->45M(512M) 3.456ms},
 * the JVM uptime, the kind, the heap before and after and the pause.
 *
 * <p>Thread: any; reads the file once, after the run.
 */
final class GcLog {
    private static final Pattern PAUSE = Pattern.compile(
            "^\\[(\\d+\\.\\d+)s\\]\\[info\\s*\\]\\[gc\\s*\\] GC\\(\\d+\\) (Pause .*?) (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) (\\d+\\.\\d+)ms");

    /** One pause: uptime in seconds, heap sizes in MiB, pause in milliseconds. */
    record Pause(double uptime, String kind, double beforeMiB, double afterMiB, double committedMiB, double millis) {
        boolean full() {
            return kind.startsWith("Pause Full");
        }
    }

    private GcLog() {
    }

    static List<Pause> read(Path file) throws IOException {
        List<Pause> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                out.add(new Pause(Double.parseDouble(m.group(1)), m.group(2),
                        mib(m.group(3), m.group(4)), mib(m.group(5), m.group(6)), mib(m.group(7), m.group(8)),
                        Double.parseDouble(m.group(9))));
            }
        }
        return out;
    }

    private static double mib(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "K" -> v / 1024;
            case "G" -> v * 1024;
            default -> v;
        };
    }

    /** Least-squares slope of {@code y} over {@code x}; NaN for fewer than two points. */
    static double slope(double[] x, double[] y) {
        int k = x.length;
        if (k < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < k; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= k;
        my /= k;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < k; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }
}
