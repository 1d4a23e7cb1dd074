package org.openzoep.media.codec.opus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openzoep.media.testsupport.AudioFixtures.correlation;
import static org.openzoep.media.testsupport.AudioFixtures.rms;
import static org.openzoep.media.testsupport.AudioFixtures.snrDb;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openzoep.media.testsupport.AudioFixtures;

class OpusCodecTest {

    /** Encodes and decodes every whole frame of {@code in}; returns output and total payload bytes. */
    private static short[] roundTrip(OpusEncoder enc, OpusDecoder dec, short[] in, long[] bytes) {
        int n = enc.frameSamples();
        int frames = in.length / n;
        short[] out = new short[frames * n];
        byte[] payload = new byte[1500];
        for (int f = 0; f < frames; f++) {
            int len = enc.encode(in, f * n, payload, 0, payload.length);
            assertThat(len).as("frame %d", f).isPositive();
            bytes[0] += len;
            assertThat(dec.decode(payload, 0, len, out, f * n, n)).isEqualTo(n);
        }
        return out;
    }

    @Test
    void reportsTheSystemLibopusVersion() {
        OpusLibraryInfo info = OpusNative.info();
        System.out.println("libopus in use: " + info);
        assertThat(info.version()).startsWith("libopus ");
        if (Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libopus.so.0"))) {
            // Debian's libopus0 is there: it must win over opus-java's 1.1.2.
            assertThat(info.bundled()).isFalse();
            assertThat(info.path()).startsWith("/usr/lib/x86_64-linux-gnu/libopus.so.0");
            assertThat(info.version()).isNotEqualTo("libopus 1.1.2");
        }
    }

    @Test
    void fallsBackToTheLibopusBundledWithOpusJava() throws Exception {
        // A fresh JVM: the binding is per process, so the bundled copy is forced there.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Dopenzoep.opus.library=bundled",
                "-cp", System.getProperty("java.class.path"), OpusVersionMain.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("bundled=true").contains("version=libopus 1.1.2");
    }

    @Test
    void toneSurvivesARoundTrip() {
        try (OpusEncoder enc = OpusEncoder.builder().build(); OpusDecoder dec = new OpusDecoder()) {
            int lookahead = enc.get(OpusNative.OPUS_GET_LOOKAHEAD_REQUEST);
            short[] in = AudioFixtures.tone(48000, 1000, 10000, 48000);
            long[] bytes = {0};
            short[] out = roundTrip(enc, dec, in, bytes);
            int lag = AudioFixtures.bestLag(in, out, 4800, 38000, 0, 480);
            double c = correlation(in, out, 4800, 38000, lag);
            double snr = snrDb(in, out, 4800, 38000, lag);
            System.out.printf("tone: lookahead %d, measured delay %d samples, correlation %.4f, SNR %.1f dB, %d bit/s%n",
                    lookahead, lag, c, snr, bytes[0] * 8);
            assertThat(lookahead).isBetween(48, 480);
            assertThat(c).isGreaterThan(0.98);
            assertThat(snr).isGreaterThan(12);
        }
    }

    @Test
    void speechSurvivesARoundTripAtVoiceBitrate() throws Exception {
        short[] in = AudioFixtures.speech(48000);
        try (OpusEncoder enc = OpusEncoder.builder().bitrate(28000).complexity(10).build(); OpusDecoder dec = new OpusDecoder()) {
            int lookahead = enc.get(OpusNative.OPUS_GET_LOOKAHEAD_REQUEST);
            long[] bytes = {0};
            short[] out = roundTrip(enc, dec, in, bytes);
            double seconds = out.length / 48000.0;
            double kbps = bytes[0] * 8 / seconds / 1000;
            int lag = AudioFixtures.bestLag(in, out, 0, out.length - 960, 0, 960);
            double c = correlation(in, out, 0, out.length - lookahead, lookahead);
            System.out.printf("speech: %.1f s, %.1f kbit/s, delay %d samples (lookahead %d), correlation %.3f, SNR %.1f dB%n",
                    seconds, kbps, lag, lookahead, c,
                    snrDb(in, out, 0, out.length - lookahead, lookahead));
            assertThat(seconds).isGreaterThan(3);
            assertThat(kbps).isBetween(12.0, 40.0);
            assertThat(Math.abs(lag - lookahead)).as("codec delay is the encoder lookahead").isLessThanOrEqualTo(8);
            assertThat(c).isGreaterThan(0.85);
        }
    }

    @Test
    void everyFrameDurationWorks() {
        for (int ms : new int[] {10, 20, 40, 60}) {
            try (OpusEncoder enc = OpusEncoder.builder().frameMillis(ms).build(); OpusDecoder dec = new OpusDecoder()) {
                assertThat(enc.frameSamples()).isEqualTo(48 * ms);
                short[] in = AudioFixtures.tone(48000, 440, 8000, 48000);
                long[] bytes = {0};
                short[] out = roundTrip(enc, dec, in, bytes);
                assertThat(dec.lastPacketDuration()).isEqualTo(48 * ms);
                byte[] p = new byte[1500];
                int len = enc.encode(in, 0, p, 0, p.length);
                assertThat(dec.packetSamples(p, 0, len)).isEqualTo(48 * ms);
                int lag = AudioFixtures.bestLag(in, out, 9600, 28800, 0, 480);
                assertThat(correlation(in, out, 9600, 28800, lag)).as("%d ms", ms).isGreaterThan(0.95);
            }
        }
    }

    @Test
    void narrowbandAndWidebandRatesWork() {
        for (int rate : new int[] {8000, 16000}) {
            try (OpusEncoder enc = OpusEncoder.builder().sampleRate(rate).build(); OpusDecoder dec = new OpusDecoder(rate)) {
                assertThat(enc.frameSamples()).isEqualTo(rate / 50);
                assertThat(enc.rtpClockRate()).isEqualTo(48000);
                short[] in = AudioFixtures.tone(rate, 440, 8000, rate);
                short[] out = roundTrip(enc, dec, in, new long[1]);
                int lag = AudioFixtures.bestLag(in, out, rate / 10, rate / 2, rate / 50);
                assertThat(correlation(in, out, rate / 10, rate / 2, lag)).as("%d Hz", rate).isGreaterThan(0.95);
            }
        }
    }

    @Test
    void concealmentContinuesTheSignalAndFadesOut() {
        try (OpusEncoder enc = OpusEncoder.builder().build(); OpusDecoder dec = new OpusDecoder()) {
            short[] in = AudioFixtures.tone(48000, 300, 10000, 48000);
            roundTrip(enc, dec, in, new long[1]);
            short[] plc = new short[960];
            assertThat(dec.conceal(plc, 0, 960)).isEqualTo(960);
            double first = rms(plc, 0, 960);
            for (int i = 0; i < 20; i++) {
                assertThat(dec.conceal(plc, 0, 960)).isEqualTo(960);
            }
            double late = rms(plc, 0, 960);
            System.out.printf("PLC: first concealed frame RMS %.0f (input %.0f), after 420 ms %.0f%n", first, rms(in, 0, 960), late);
            assertThat(first).isGreaterThan(0.3 * rms(in, 0, 960));
            assertThat(late).isLessThan(first / 4);
        }
    }

    @Test
    void fecRecoversALostFrameBetterThanConcealment() throws Exception {
        short[] in = AudioFixtures.speech(48000);
        int n = 960;
        int frames = in.length / n;
        byte[][] packets = new byte[frames][];
        try (OpusEncoder enc = OpusEncoder.builder().bitrate(32000).build()) {
            enc.setExpectedLossPercent(10);
            byte[] buf = new byte[1500];
            for (int f = 0; f < frames; f++) {
                int len = enc.encode(in, f * n, buf, 0, buf.length);
                packets[f] = java.util.Arrays.copyOf(buf, len);
            }
            assertThat(enc.fecActive()).isTrue();
            assertThat(enc.get(OpusNative.OPUS_GET_INBAND_FEC_REQUEST)).isEqualTo(1);
            assertThat(enc.get(OpusNative.OPUS_GET_PACKET_LOSS_PERC_REQUEST)).isEqualTo(10);
        }
        int withFec = 0;
        for (byte[] p : packets) {
            withFec += OpusPackets.hasFec(p, 0, p.length) ? 1 : 0;
        }
        // Reference: every packet decoded. Then every 7th packet lost, recovered by FEC or by PLC.
        short[] ref = decodeWithLoss(packets, n, 0);
        short[] plc = decodeWithLoss(packets, n, 1);
        short[] fec = decodeWithLoss(packets, n, 2);
        double errPlc = 0, errFec = 0, energy = 0;
        int lost = 0;
        for (int f = 7; f < frames - 1; f += 7) {
            if (rms(ref, f * n, n) < 300) {
                continue; // silence: both are trivially right
            }
            lost++;
            for (int i = f * n; i < (f + 1) * n; i++) {
                energy += (double) ref[i] * ref[i];
                errPlc += Math.pow(ref[i] - plc[i], 2);
                errFec += Math.pow(ref[i] - fec[i], 2);
            }
        }
        double snrPlc = 10 * Math.log10(energy / errPlc);
        double snrFec = 10 * Math.log10(energy / errFec);
        System.out.printf("FEC: %d of %d packets carry LBRR; %d voiced frames lost: SNR vs. lossless decode PLC %.1f dB, FEC %.1f dB%n",
                withFec, frames, lost, snrPlc, snrFec);
        assertThat(withFec).isGreaterThan(frames / 2);
        assertThat(lost).isGreaterThan(10);
        assertThat(snrFec).isGreaterThan(snrPlc + 3);
    }

    /** mode 0: no loss; 1: every 7th frame concealed; 2: every 7th frame recovered from the next packet's FEC. */
    private static short[] decodeWithLoss(byte[][] packets, int n, int mode) {
        short[] out = new short[packets.length * n];
        try (OpusDecoder dec = new OpusDecoder()) {
            for (int f = 0; f < packets.length; f++) {
                boolean lost = mode != 0 && f >= 7 && f % 7 == 0 && f < packets.length - 1;
                int got;
                if (!lost) {
                    got = dec.decode(packets[f], 0, packets[f].length, out, f * n, n);
                } else if (mode == 2) {
                    got = dec.decodeFec(packets[f + 1], 0, packets[f + 1].length, out, f * n, n);
                    if (got == 0) {
                        got = dec.conceal(out, f * n, n);
                    }
                } else {
                    got = dec.conceal(out, f * n, n);
                }
                assertThat(got).isEqualTo(n);
            }
        }
        return out;
    }

    @Test
    void noFecIsSentBelowOnePercentLoss() throws Exception {
        short[] in = AudioFixtures.speech(48000);
        try (OpusEncoder enc = OpusEncoder.builder().bitrate(32000).build()) {
            enc.setExpectedLossPercent(0);
            byte[] buf = new byte[1500];
            int withFec = 0;
            for (int f = 0; f < in.length / 960; f++) {
                int len = enc.encode(in, f * 960, buf, 0, buf.length);
                withFec += OpusPackets.hasFec(buf, 0, len) ? 1 : 0;
            }
            assertThat(enc.fecActive()).isFalse();
            assertThat(enc.get(OpusNative.OPUS_GET_INBAND_FEC_REQUEST)).isZero();
            assertThat(withFec).isZero();
            try (OpusDecoder dec = new OpusDecoder()) {
                assertThat(dec.decodeFec(buf, 0, 10, new short[960], 0, 960)).isZero();
            }
        }
    }

    @Test
    void dtxSendsNothingDuringSilence() {
        try (OpusEncoder enc = OpusEncoder.builder().dtx(true).build()) {
            short[] silence = new short[960 * 100];
            byte[] buf = new byte[1500];
            int empty = 0;
            for (int f = 0; f < 100; f++) {
                int len = enc.encode(silence, f * 960, buf, 0, buf.length);
                assertThat(len).isNotNegative();
                empty += len == 0 ? 1 : 0;
            }
            assertThat(enc.get(OpusNative.OPUS_GET_DTX_REQUEST)).isEqualTo(1);
            assertThat(empty).isGreaterThan(80);
        }
    }

    @Test
    void badInputReturnsErrorsInsteadOfThrowing() {
        try (OpusEncoder enc = OpusEncoder.builder().build(); OpusDecoder dec = new OpusDecoder()) {
            short[] pcm = new short[960];
            byte[] junk = {(byte) 0xff, (byte) 0xff, 1, 2, 3};
            assertThat(dec.decode(junk, 0, junk.length, pcm, 0, 960)).isNegative();
            assertThat(dec.decode(junk, 0, 0, pcm, 0, 960)).isNegative();
            assertThat(dec.decode(junk, 3, 5, pcm, 0, 960)).isNegative();
            assertThat(enc.encode(new short[100], 0, new byte[100], 0, 100)).isNegative();
            enc.close();
            dec.close();
            assertThat(enc.encode(pcm, 0, new byte[100], 0, 100)).isNegative();
            assertThat(dec.conceal(pcm, 0, 960)).isNegative();
        }
    }

    @Test
    void encodeAndDecodeAllocateNothingPerFrame() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        short[] in = AudioFixtures.speech(48000);
        try (OpusEncoder enc = OpusEncoder.builder().build(); OpusDecoder dec = new OpusDecoder()) {
            enc.setExpectedLossPercent(5);
            short[] out = new short[960];
            byte[] buf = new byte[1500];
            int frames = in.length / 960;
            for (int round = 0; round < 3; round++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int f = 0; f < frames; f++) {
                    int len = enc.encode(in, f * 960, buf, 0, buf.length);
                    dec.decode(buf, 0, len, out, 0, 960);
                    if (f % 10 == 0) {
                        dec.decodeFec(buf, 0, len, out, 0, 960);
                        dec.conceal(out, 0, 960);
                    }
                }
                long allocated = mx.getCurrentThreadAllocatedBytes() - before;
                System.out.printf("round %d: %d frames, %d bytes allocated%n", round, frames, allocated);
                if (round == 2) {
                    assertThat(allocated).isLessThan(frames);
                }
            }
        }
    }
}
