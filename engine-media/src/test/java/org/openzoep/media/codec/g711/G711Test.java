package org.openzoep.media.codec.g711;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openzoep.media.testsupport.AudioFixtures;

/**
 * Values from ITU-T G.711 Tables 1a/1b (A-law) and 2a/2b (mu-law). The standard gives decoder
 * outputs in 13-bit (A) and 14-bit (mu) units; here they are scaled to 16 bits (x8 and x4).
 */
class G711Test {

    @Test
    void muLawDecoderOutputsMatchTheTable() {
        // character 0xFF / 0x7F: positive and negative zero
        assertThat(G711.ulawToLinear(0xFF)).isEqualTo((short) 0);
        assertThat(G711.ulawToLinear(0x7F)).isEqualTo((short) 0);
        // first segment: outputs 0, 2, 4 .. 30 (x4)
        assertThat(G711.ulawToLinear(0xFE)).isEqualTo((short) (2 * 4));
        assertThat(G711.ulawToLinear(0xF0)).isEqualTo((short) (30 * 4));
        // segment starts: 33, 99, 231 (x4)
        assertThat(G711.ulawToLinear(0xEF)).isEqualTo((short) (33 * 4));
        assertThat(G711.ulawToLinear(0xDF)).isEqualTo((short) (99 * 4));
        assertThat(G711.ulawToLinear(0xCF)).isEqualTo((short) (231 * 4));
        // full scale: 8031 (x4), both signs
        assertThat(G711.ulawToLinear(0x80)).isEqualTo((short) (8031 * 4));
        assertThat(G711.ulawToLinear(0x00)).isEqualTo((short) (-8031 * 4));
        assertThat(G711.ulawToLinear(0x6F)).isEqualTo((short) (-33 * 4));
    }

    @Test
    void aLawDecoderOutputsMatchTheTable() {
        // character 0xD5 (1101 0101 on the line): smallest positive output, 1 (x8)
        assertThat(G711.alawToLinear(0xD5)).isEqualTo((short) 8);
        assertThat(G711.alawToLinear(0x55)).isEqualTo((short) -8);
        // segment starts: 33, 66, 132 (x8)
        assertThat(G711.alawToLinear(0x90 ^ 0x55)).isEqualTo((short) (33 * 8));
        assertThat(G711.alawToLinear(0xA0 ^ 0x55)).isEqualTo((short) (66 * 8));
        assertThat(G711.alawToLinear(0xB0 ^ 0x55)).isEqualTo((short) (132 * 8));
        // full scale: 4032 (x8) on 0xAA / 0x2A
        assertThat(G711.alawToLinear(0xAA)).isEqualTo((short) (4032 * 8));
        assertThat(G711.alawToLinear(0x2A)).isEqualTo((short) (-4032 * 8));
    }

    @Test
    void encoderPicksTheTableCharacters() {
        assertThat(G711.linearToUlaw((short) 0)).isEqualTo(0xFF);
        assertThat(G711.linearToUlaw(Short.MAX_VALUE)).isEqualTo(0x80);
        assertThat(G711.linearToUlaw(Short.MIN_VALUE)).isEqualTo(0x00);
        assertThat(G711.linearToUlaw((short) (33 * 4))).isEqualTo(0xEF);
        assertThat(G711.linearToAlaw((short) 0)).isEqualTo(0xD5);
        assertThat(G711.linearToAlaw((short) -8)).isEqualTo(0x55);
        assertThat(G711.linearToAlaw(Short.MAX_VALUE)).isEqualTo(0xAA);
        assertThat(G711.linearToAlaw(Short.MIN_VALUE)).isEqualTo(0x2A);
        assertThat(G711.linearToAlaw((short) (66 * 8))).isEqualTo(0xA0 ^ 0x55);
    }

    @Test
    void everyCodeRoundTrips() {
        for (int c = 0; c < 256; c++) {
            assertThat(G711.linearToAlaw(G711.alawToLinear(c))).as("A-law %02x", c).isEqualTo(c);
            int expected = c == 0x7F ? 0xFF : c; // negative zero decodes to 0, re-encodes as positive zero
            assertThat(G711.linearToUlaw(G711.ulawToLinear(c))).as("mu-law %02x", c).isEqualTo(expected);
        }
    }

    @Test
    void quantisationIsMonotonicAndWithinHalfAStep() {
        int prevU = Integer.MIN_VALUE;
        int prevA = Integer.MIN_VALUE;
        for (int x = -32768; x < 32768; x++) {
            int u = G711.ulawToLinear(G711.linearToUlaw((short) x));
            int a = G711.alawToLinear(G711.linearToAlaw((short) x));
            assertThat(u).isGreaterThanOrEqualTo(prevU);
            assertThat(a).isGreaterThanOrEqualTo(prevA);
            prevU = u;
            prevA = a;
            // largest step is 1024 (mu, top segment, 16-bit units) and 1024 (A); plus clipping at full scale
            if (Math.abs(x) < 32000) {
                assertThat(Math.abs(u - x)).as("mu %d", x).isLessThanOrEqualTo(Math.max(8, Math.abs(x) / 16 + 8));
                assertThat(Math.abs(a - x)).as("A %d", x).isLessThanOrEqualTo(Math.max(16, Math.abs(x) / 16 + 8));
            }
        }
    }

    @Test
    void aToneKeepsG711SignalToNoise() {
        short[] in = AudioFixtures.tone(8000, 1004, 10000, 8000);
        for (G711.Law law : G711.Law.values()) {
            G711Encoder enc = new G711Encoder(law);
            G711Decoder dec = new G711Decoder(law);
            short[] out = new short[in.length];
            byte[] payload = new byte[160];
            for (int f = 0; f < in.length / 160; f++) {
                assertThat(enc.encode(in, f * 160, payload, 0, payload.length)).isEqualTo(160);
                assertThat(dec.decode(payload, 0, 160, out, f * 160, 160)).isEqualTo(160);
            }
            double snr = AudioFixtures.snrDb(in, out, 0, in.length, 0);
            System.out.printf("%s: SNR %.1f dB on a 1004 Hz tone at -10 dBFS%n", law, snr);
            assertThat(snr).as(law.name()).isGreaterThan(35);
            assertThat(enc.rtpClockRate()).isEqualTo(8000);
        }
        assertThat(G711.Law.PCMU.payloadType()).isZero();
        assertThat(G711.Law.PCMA.payloadType()).isEqualTo(8);
    }

    @Test
    void concealmentFadesToSilenceWithoutThrowing() {
        G711Decoder dec = new G711Decoder(G711.Law.PCMU);
        short[] in = AudioFixtures.tone(8000, 200, 10000, 160);
        byte[] payload = new byte[160];
        new G711Encoder(G711.Law.PCMU).encode(in, 0, payload, 0, 160);
        short[] out = new short[160];
        dec.decode(payload, 0, 160, out, 0, 160);
        assertThat(dec.conceal(out, 0, 160)).isEqualTo(160);
        double first = AudioFixtures.rms(out, 0, 160);
        dec.conceal(out, 0, 160);
        dec.conceal(out, 0, 160);
        assertThat(first).isGreaterThan(2000);
        assertThat(AudioFixtures.rms(out, 0, 160)).isZero();
        assertThat(dec.decode(payload, 100, 160, out, 0, 160)).isNegative();
        assertThat(dec.conceal(out, 100, 160)).isNegative();
    }
}
