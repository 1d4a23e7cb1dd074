package org.openzoep.xmpp.fuzz;

import org.openzoep.testkit.FuzzInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the seed corpora of engine-xmpp's and engine-core's fuzz targets from the test vectors:
 * the RFC 6120/6121 session fixtures and the XEP examples under {@code fixtures/jingle/}. The
 * seeds are committed; run this again (from the repository root, {@code scripts/fuzz seeds}) when a
 * fixture or an input format changes. It writes {@code seed-*} files only; the fuzzer's findings
 * ({@code crash-*}, {@code timeout-*}) in the same directories are kept.
 */
public final class FuzzSeeds {
    static final String HEAD = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    static final String[] XEPS = {"xep-0166.txt", "xep-0167.txt", "xep-0176.txt", "xep-0215.txt", "xep-0293.txt",
        "xep-0320.txt", "xep-0353.txt", "xep-0115.txt"};

    private FuzzSeeds() {
    }

    /** @param args the repository root */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Path stream = clean(root.resolve("engine-xmpp/src/test/resources/org/openzoep/xmpp/xml/XmlStreamParserFuzzTestInputs/stream"));
        Path jingle = clean(root.resolve("engine-xmpp/src/test/resources/org/openzoep/xmpp/jingle/JingleFuzzTestInputs/jingle"));
        Path mapping = clean(root.resolve("engine-core/src/test/resources/org/openzoep/internal/jingle/JingleMappingFuzzTestInputs/mapping"));

        int[] sizes = {1, 7, 64, 255, 13, 2, 100};
        for (String fixture : new String[] {"rfc6120-session.xml", "rfc6121-roster.xml"}) {
            byte[] doc = resource("/fixtures/" + fixture);
            String name = fixture.replace(".xml", "");
            Files.write(stream.resolve("seed-" + name + "-whole"), FuzzInput.encode(doc, 0, 0, 0));
            Files.write(stream.resolve("seed-" + name + "-pieces"), pieces(doc, 0, sizes));
            Files.write(stream.resolve("seed-" + name + "-pieces-small-limits"), pieces(doc, 1, 37));
        }
        for (String xep : XEPS) {
            StringBuilder doc = new StringBuilder(HEAD);
            int n = 0;
            for (String example : examples(xep)) {
                doc.append(example);
                byte[] one = example.getBytes(StandardCharsets.UTF_8);
                String name = "seed-" + xep.replace(".txt", "") + "-" + (++n);
                if (!xep.equals("xep-0115.txt") && !xep.equals("xep-0215.txt")) { // not Jingle: stream seeds only
                    Files.write(jingle.resolve(name), one);
                    Files.write(mapping.resolve(name), one);
                }
            }
            doc.append("</stream:stream>");
            Files.write(stream.resolve("seed-" + xep.replace(".txt", "") + "-stream"),
                    pieces(doc.toString().getBytes(StandardCharsets.UTF_8), 0, 100, 3, 250));
        }
    }

    /** {@code doc} in pieces of the given sizes (cycled), each in the next kind of buffer. */
    static byte[] pieces(byte[] doc, int flags, int... sizes) {
        List<Integer> choices = new ArrayList<>();
        choices.add(flags);
        int at = 0;
        for (int i = 0; at < doc.length; i++) {
            int size = Math.min(sizes[i % sizes.length], doc.length - at);
            choices.add(size);
            choices.add(i % 5);
            at += size;
        }
        return FuzzInput.encode(doc, choices.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The examples of one XEP fixture file: one per {@code ### caption} section, {@code #} lines
     * left out (the format {@code jingle.XepFixtures} reads; read here too, so that this package
     * does not depend on that one, which depends on this one).
     */
    static List<String> examples(String file) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder xml = null;
        for (String line : new String(resource("/fixtures/jingle/" + file), StandardCharsets.UTF_8).split("\n", -1)) {
            if (line.startsWith("### ")) {
                if (xml != null) {
                    out.add(xml.toString().trim());
                }
                xml = new StringBuilder();
            } else if (!line.startsWith("#") && xml != null) {
                xml.append(line).append('\n');
            }
        }
        if (xml != null) {
            out.add(xml.toString().trim());
        }
        return out;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = FuzzSeeds.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /** The directory, created, with its earlier {@code seed-*} files removed. */
    static Path clean(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().startsWith("seed-")) {
                    Files.delete(f);
                }
            }
        }
        return dir;
    }
}
