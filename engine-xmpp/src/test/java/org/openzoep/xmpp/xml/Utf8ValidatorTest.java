package org.openzoep.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8ValidatorTest {

    static boolean valid(byte[] b, int split, boolean direct) {
        Utf8Validator v = new Utf8Validator();
        return v.accept(view(b, 0, split, direct)) && v.accept(view(b, split, b.length, direct));
    }

    static ByteBuffer view(byte[] b, int from, int to, boolean direct) {
        if (!direct) {
            // a non-zero array offset, as a slice of a bigger array
            byte[] big = new byte[b.length + 5];
            System.arraycopy(b, 0, big, 3, b.length);
            return ByteBuffer.wrap(big, 3 + from, to - from).slice();
        }
        ByteBuffer d = ByteBuffer.allocateDirect(to - from + 3);
        d.position(3);
        d.put(b, from, to - from);
        d.position(3);
        return d;
    }

    @Test
    void validTextIsAcceptedAtEverySplitFromHeapAndDirectBuffers() {
        Random rnd = new Random(42);
        for (int round = 0; round < 50; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                int kind = rnd.nextInt(5);
                sb.append(switch (kind) {
                    case 0, 1 -> "ascii text ";
                    case 2 -> "\u00e9\u0159";
                    case 3 -> "\u65e5\u672c";
                    default -> "\ud83d\ude00";
                });
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            for (int split = 0; split <= b.length; split += 1 + rnd.nextInt(7)) {
                assertThat(valid(b, split, false)).isTrue();
                assertThat(valid(b, split, true)).isTrue();
            }
        }
    }

    @Test
    void invalidSequencesAreRejectedWhereverTheyStand() {
        byte[][] bad = {
            {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xC3, (byte) 0x28}, {(byte) 0xFF},
        };
        for (byte[] seq : bad) {
            for (int prefix = 0; prefix < 20; prefix++) {
                byte[] b = new byte[prefix + seq.length + 9];
                java.util.Arrays.fill(b, (byte) 'a');
                System.arraycopy(seq, 0, b, prefix, seq.length);
                assertThat(valid(b, 0, false)).isFalse();
                assertThat(valid(b, b.length / 2, true)).isFalse();
            }
        }
    }
}
