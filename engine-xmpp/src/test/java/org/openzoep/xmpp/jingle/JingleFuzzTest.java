package org.openzoep.xmpp.jingle;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target: Jingle (XEP-0166/0167/0176/0320) and Jingle Message Initiation (XEP-0353) payloads
 * from a peer. The input is the bytes of stanzas inside a client stream; every {@code <jingle/>}
 * and JMI element in them is parsed. Parsing may refuse with {@link JingleException} and nothing
 * else; what it accepts must write an element that parses back to the same element.
 *
 * <p>Corpus: {@code JingleFuzzTestInputs/jingle/}, seeded with the XEP examples under
 * {@code fixtures/jingle/} ({@code org.openzoep.xmpp.fuzz.FuzzSeeds}).
 */
class JingleFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void jingle(byte[] data) {
        JingleFuzzing.jingles(data);
    }
}
