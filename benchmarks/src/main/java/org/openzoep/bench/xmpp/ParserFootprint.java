package org.openzoep.bench.xmpp;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlLimits;
import org.openzoep.xmpp.xml.XmlStreamParser;
import org.openzoep.xmpp.xml.XmlViolation;

/**
 * Retained heap of one idle {@link XmlStreamParser}, the per-account parser of a session: N
 * parsers each fed a stream header, the features and one round of the corpus, then kept; heap
 * after full GC, minus the baseline, divided by N. Explains the Aalto share of the load harness's
 * heap per account. With {@code -Dseed=true} one parser that has seen the corpus's names is
 * closed first, as a seeded engine would, so that Aalto shares those names with later readers.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.openzoep.bench.xmpp.ParserFootprint [N [histogram-file]]</pre>
 *
 * <p>Thread: main only.
 */
public final class ParserFootprint {

    private ParserFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        XmppCorpus corpus = new XmppCorpus();
        StringBuilder oneRound = new StringBuilder(XmppCorpus.HEADER).append(XmppCorpus.FEATURES);
        for (int i = 0; i < 10; i++) {
            oneRound.append(corpus.stanzas().get(i));
        }
        byte[] input = oneRound.toString().getBytes(StandardCharsets.UTF_8);
        XmlStreamParser.Handler ignore = new XmlStreamParser.Handler() {
            @Override
            public void streamOpened(XmlElement header, String contentNamespace) {
            }

            @Override
            public void element(XmlElement element) {
            }

            @Override
            public void streamClosed() {
            }

            @Override
            public void failed(XmlViolation violation, String detail) {
                throw new IllegalStateException(violation + ": " + detail);
            }
        };
        XmlStreamParser warm = new XmlStreamParser(XmlLimits.DEFAULT, ignore);
        warm.feed(input, 0, input.length); // loads the classes
        if (Boolean.getBoolean("seed")) {
            // What a seeded engine would do: close one reader that has seen the names, so that
            // Aalto merges them into the factory's shared symbol table (restart() closes it).
            warm.restart();
            warm.feed(new byte[] {' '}, 0, 1);
        }
        long base = usedAfterGc();
        XmlStreamParser[] kept = new XmlStreamParser[n];
        for (int i = 0; i < n; i++) {
            kept[i] = new XmlStreamParser(XmlLimits.DEFAULT, ignore);
        }
        long created = usedAfterGc();
        for (XmlStreamParser p : kept) {
            p.feed(input, 0, input.length);
        }
        long fed = usedAfterGc();
        System.out.printf(Locale.ROOT, "%d XmlStreamParsers: %.2f KB each when new, %.2f KB each after a header,"
                + " features and %d stanzas (%d bytes)%n", n, (created - base) / 1024.0 / n, (fed - base) / 1024.0 / n,
                10, input.length);
        if (args.length > 1) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]), LoadHarness.classHistogram());
            System.out.println("class histogram written to " + args[1]);
        }
        if (kept[n - 1].isDone()) {
            throw new IllegalStateException("parser closed unexpectedly");
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
