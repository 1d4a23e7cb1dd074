package org.openzoep.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openzoep.xmpp.xml.XmlStreamParserTest.Recorder;

/** What hostile input costs: each of {@link XmlLimits}'s bounds, met as the bytes arrive. */
class XmlLimitsTest {

    static final String HEAD = XmlStreamParserTest.HEAD;

    static byte[] utf8(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Feeds {@code doc} in pieces of {@code chunk} bytes (0: whole) until the parser is done. */
    static void feed(XmlStreamParser p, byte[] doc, int chunk) {
        int step = chunk == 0 ? doc.length : chunk;
        for (int off = 0; off < doc.length && !p.isDone(); off += step) {
            p.feed(doc, off, Math.min(step, doc.length - off));
        }
    }

    // ---- a start tag with 100,000 attributes ----

    @ParameterizedTest
    @ValueSource(ints = {0, 4096})
    void aStartTagWith100000AttributesIsRefusedWithinMillisecondsAndMegabytes(int chunk) {
        StringBuilder sb = new StringBuilder(HEAD).append("<message");
        for (int i = 0; i < 100_000; i++) {
            sb.append(" a").append(i).append("='x'");
        }
        byte[] doc = utf8(sb.append("/>"));
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        Recorder r = new Recorder();
        XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, r);
        long allocated = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        feed(p, doc, chunk);
        long millis = (System.nanoTime() - start) / 1_000_000;
        allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
        assertThat(r.violation).isEqualTo(XmlViolation.POLICY_VIOLATION);
        assertThat(XmlViolation.POLICY_VIOLATION.condition()).isEqualTo("policy-violation");
        assertThat(r.detail).contains("maxAttributes");
        assertThat(r.elements()).isEmpty();
        assertThat(millis).as("milliseconds").isLessThan(500);
        assertThat(allocated).as("bytes allocated").isLessThan(16L << 20);
    }

    @Test
    void aStartTagIsRefusedOnceItPassesTheByteLimitEvenIfItNeverEnds() {
        Recorder r = new Recorder();
        XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, r);
        p.feed(ByteBufFixtures.utf8(HEAD + "<presence/><message to='a@b' id='"));
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        long fed = 0;
        while (r.violation == null && fed < 8L << 20) {
            p.feed(chunk, 0, chunk.length);
            fed += chunk.length;
        }
        assertThat(r.violation).isEqualTo(XmlViolation.POLICY_VIOLATION);
        assertThat(r.detail).contains("maxStartTagBytes");
        assertThat(fed).isLessThanOrEqualTo(XmlLimits.DEFAULT.maxStanzaBytes());
        assertThat(r.elements()).hasSize(1);
    }

    @Test
    void theAttributeCountSkipsQuotedValuesAndCdataAndCountsNamespaceDeclarations() {
        XmlLimits four = new XmlLimits(256 * 1024, 32, 4, 128 * 1024);
        String ok = HEAD + "<message a='x=y>z' b=\"=='\" xmlns='jabber:client' xmlns:p='urn:p'><body><![CDATA[<x a='1' b='2'"
                + " c='3' d='4' e='5'> ]] > ]]></body><p:x p:a='1' b='2' c='3' d='4'/></message>";
        byte[] doc = utf8(ok);
        for (int i = 0; i < doc.length; i++) {
            Recorder r = new Recorder();
            XmlStreamParser p = new XmlStreamParser(four, r);
            p.feed(doc, 0, i);
            p.feed(doc, i, doc.length - i);
            assertThat(r.violation).as("split at %d: %s", i, r.detail).isNull();
            assertThat(r.elements()).hasSize(1);
            assertThat(r.elements().get(0).attr("a")).isEqualTo("x=y>z");
            assertThat(r.elements().get(0).child("body", "jabber:client").text()).startsWith("<x a='1'");
        }
        for (String five : new String[] {"<m a='1' b='2' c='3' d='4' e='5'/>", "<m xmlns:p='urn:p' a='1' b='2' c='3' p:d='4'/>"}) {
            Recorder r = new Recorder();
            new XmlStreamParser(four, r).feed(ByteBufFixtures.utf8(HEAD + "<presence/>" + five));
            assertThat(r.violation).isEqualTo(XmlViolation.POLICY_VIOLATION);
            assertThat(r.detail).contains("maxAttributes");
            assertThat(r.elements()).hasSize(1); // what came before the tag still arrives
        }
    }

    // ---- M3: bytes between stanzas ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "' '|' '|POLICY_VIOLATION",
        "'\t'|'\t'|POLICY_VIOLATION",
        "<!--|a|RESTRICTED_XML",
        "<!-- x --><!--|-|RESTRICTED_XML",
        "<?php |a|RESTRICTED_XML",
        "<![CDATA[|a|POLICY_VIOLATION",
    })
    void floodsBetweenStanzasAreCountedOrRefused(String opener, char filler, XmlViolation expected) {
        Recorder r = new Recorder();
        XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, r);
        p.feed(ByteBufFixtures.utf8(HEAD + "<presence/>" + opener));
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) filler);
        long fed = 0;
        while (r.violation == null && fed < 16L << 20) {
            p.feed(chunk, 0, chunk.length);
            fed += chunk.length;
        }
        assertThat(r.violation).isEqualTo(expected);
        assertThat(fed).isLessThanOrEqualTo(XmlLimits.DEFAULT.maxStanzaBytes() + chunk.length);
        assertThat(r.elements()).hasSize(1);
    }

    @Test
    void whitespaceKeepalivesBetweenStanzasDoNotAddUp() {
        Recorder r = new Recorder();
        XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, r);
        p.feed(ByteBufFixtures.utf8(HEAD));
        byte[] gap = utf8(" ".repeat(4096));
        byte[] stanza = utf8("<presence/>");
        for (int i = 0; i < 200; i++) { // 800 KiB of whitespace in all, 4 KiB at a time
            p.feed(gap, 0, gap.length);
            p.feed(stanza, 0, stanza.length);
        }
        assertThat(r.violation).isNull();
        assertThat(r.elements()).hasSize(200);
    }

    // ---- M2: names ----

    /** Heap in use after full collections: what is retained. */
    static long retainedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Two letters that make this run's names new to every symbol table in the JVM. */
    static String runTag() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        return "" + (char) ('a' + rnd.nextInt(26)) + (char) ('a' + rnd.nextInt(26)) + System.nanoTime() % 1000;
    }

    /** A stanza carrying {@code 2 * count} names never seen before: elements and attributes. */
    static byte[] stanzaOfNames(String tag, int from, int count) {
        StringBuilder sb = new StringBuilder(count * 32).append("<message><x xmlns='urn:t'>");
        for (int i = from; i < from + count; i++) {
            String n = tag + Integer.toString(i, 36);
            sb.append("<e").append(n).append(" a").append(n).append("=''/>");
        }
        return utf8(sb.append("</x></message>"));
    }

    @Test
    void aMillionDistinctNamesAcrossStreamsLeaveTheHeapFlat() {
        String tag = runTag();
        int generations = SharedNames.DEFAULT.generations();
        long before = retainedHeap();
        int streams = 1000;
        int stanzas = 20;
        int perStanza = 25; // 50 names: 1,000 per stream, 1,000,000 in all
        int next = 0;
        for (int s = 0; s < streams; s++) {
            Recorder r = new Recorder();
            XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, r);
            p.feed(ByteBufFixtures.utf8(HEAD));
            for (int i = 0; i < stanzas; i++) {
                byte[] stanza = stanzaOfNames(tag, next, perStanza);
                next += perStanza;
                p.feed(stanza, 0, stanza.length);
            }
            p.feed(ByteBufFixtures.utf8("</stream:stream>"));
            assertThat(r.violation).as("stream %d: %s", s, r.detail).isNull();
            assertThat(r.elements()).hasSize(stanzas);
        }
        long grown = retainedHeap() - before;
        assertThat(grown).as("bytes retained after a million names").isLessThan(24L << 20);
        assertThat(SharedNames.DEFAULT.generations()).as("shared table renewed").isGreaterThan(generations);
    }

    @Test
    void theSharedTableIsRenewedAndAStreamsCountStartsAgainWithIt() {
        SharedNames shared = new SharedNames(300);
        XmlLimits limits = new XmlLimits(256 * 1024, 32, 64, 128 * 1024, 32 * 1024, 100);
        String tag = runTag();
        // A long-lived stream with a vocabulary of its own, re-learned after every renewal.
        Recorder a = new Recorder();
        XmlStreamParser pa = new XmlStreamParser(limits, a, 1, shared);
        pa.feed(ByteBufFixtures.utf8(HEAD));
        byte[] vocabulary = stanzaOfNames(tag + "v", 0, 10);
        int next = 0;
        for (int round = 0; round < 40; round++) {
            pa.feed(vocabulary, 0, vocabulary.length);
            // Another stream teaches the table 80 new names, under its limit of 100.
            Recorder b = new Recorder();
            XmlStreamParser pb = new XmlStreamParser(limits, b, 1, shared);
            pb.feed(ByteBufFixtures.utf8(HEAD));
            for (int i = 0; i < 4; i++) {
                byte[] stanza = stanzaOfNames(tag, next, 10);
                next += 10;
                pb.feed(stanza, 0, stanza.length);
            }
            assertThat(b.violation).as("%s", b.detail).isNull();
        }
        assertThat(shared.generations()).isGreaterThanOrEqualTo(6);
        assertThat(a.violation).as("%s", a.detail).isNull();
        assertThat(a.elements()).hasSize(40);
    }

    @Test
    void oneStreamCannotTeachTheParserNamesWithoutBound() {
        String tag = runTag();
        Recorder r = new Recorder();
        XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, r);
        p.feed(ByteBufFixtures.utf8(HEAD));
        int sent = 0;
        while (r.violation == null && sent < 200_000) {
            byte[] stanza = stanzaOfNames(tag, sent, 25);
            sent += 25;
            p.feed(stanza, 0, stanza.length);
        }
        assertThat(r.violation).isEqualTo(XmlViolation.POLICY_VIOLATION);
        assertThat(r.detail).contains("maxNames");
        assertThat(sent * 2).isLessThan(10_000);
    }
}
