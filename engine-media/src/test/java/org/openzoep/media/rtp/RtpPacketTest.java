package org.openzoep.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RtpPacketTest {


    private static final int OFFSET = 7; // every view is tested at a non-zero offset

    /** Builds a packet from raw bytes behind OFFSET bytes of garbage, and trailing garbage. */
    private static ByteBuf at(int... bytes) {
        ByteBuf b = Unpooled.buffer(OFFSET + bytes.length + 5);
        for (int i = 0; i < OFFSET; i++) {
            b.writeByte(0xAA);
        }
        for (int x : bytes) {
            b.writeByte(x);
        }
        b.writeBytes(new byte[] {(byte) 0x80, 1, 2, 3, 4});
        return b;
    }

    @Test
    void parsesRfcHeaderFieldsAtNonZeroOffset() {
        ByteBuf b = at(0x82, 0xE0 | 0x0F, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04,
                0, 0, 0, 1, 0, 0, 0, 2, 0x55, 0x66);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(b, OFFSET, 22)).isEqualTo(RtpPacket.Verdict.VALID);
            assertThat(p.marker()).isTrue();
            assertThat(p.payloadType()).isEqualTo(0x6F);
            assertThat(p.sequenceNumber()).isEqualTo(0x1234);
            assertThat(p.timestamp()).isEqualTo(0xDEADBEEF);
            assertThat(p.ssrc()).isEqualTo(0x01020304);
            assertThat(p.csrcCount()).isEqualTo(2);
            assertThat(p.csrc(0)).isEqualTo(1);
            assertThat(p.csrc(1)).isEqualTo(2);
            assertThat(p.payloadOffset()).isEqualTo(OFFSET + 20);
            assertThat(p.payloadLength()).isEqualTo(2);
            assertThat(b.readerIndex()).isZero();
        } finally {
            b.release();
        }
    }

    @Test
    void malformedPacketsGetTheirVerdictAndNothingIsThrown() {
        RtpPacket p = new RtpPacket();
        // truncated: 11 bytes
        check(p, RtpPacket.Verdict.TRUNCATED, 0x80, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0);
        // version 1
        check(p, RtpPacket.Verdict.BAD_VERSION, 0x40, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1);
        // CSRC count 3 but only one CSRC present
        check(p, RtpPacket.Verdict.CSRC_PAST_END, 0x83, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9);
        // extension bit but no room for the extension header
        check(p, RtpPacket.Verdict.EXTENSION_PAST_END, 0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE);
        // extension length 2 words but only one present
        check(p, RtpPacket.Verdict.EXTENSION_PAST_END, 0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1,
                0xBE, 0xDE, 0, 2, 0x10, 1, 0, 0);
        // one-byte element claims 4 bytes of data in a 1-word block
        check(p, RtpPacket.Verdict.BAD_EXTENSION_ELEMENT, 0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1,
                0xBE, 0xDE, 0, 1, 0x13, 1, 2, 3);
        // two-byte element claims 9 bytes
        check(p, RtpPacket.Verdict.BAD_EXTENSION_ELEMENT, 0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1,
                0x10, 0x00, 0, 1, 0x05, 9, 1, 2);
        // padding count 9 with only 3 bytes after the header
        check(p, RtpPacket.Verdict.BAD_PADDING, 0xA0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 9);
        // padding count 0
        check(p, RtpPacket.Verdict.BAD_PADDING, 0xA0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 0);
    }

    private static void check(RtpPacket p, RtpPacket.Verdict expected, int... bytes) {
        ByteBuf b = at(bytes);
        try {
            assertThat(p.wrap(b, OFFSET, bytes.length)).isEqualTo(expected);
        } finally {
            b.release();
        }
    }

    @Test
    void paddingIsExcludedFromPayload() {
        ByteBuf b = at(0xA0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7, 7, 7, 0, 0, 3);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(b, OFFSET, 18)).isEqualTo(RtpPacket.Verdict.VALID);
            assertThat(p.padding()).isTrue();
            assertThat(p.payloadLength()).isEqualTo(3);
        } finally {
            b.release();
        }
    }

    @Test
    void findsOneByteAndTwoByteExtensionsSkippingPadding() {
        // one-byte: padding byte, id 3 len 2 (a,b), id 1 len 1 (0x85), padding
        ByteBuf one = at(0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0, 2,
                0x00, 0x31, 0x0A, 0x0B, 0x10, 0x85, 0, 0, 0x99);
        ByteBuf two = at(0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x10, 0x03, 0, 2,
                0x00, 20, 2, 0x0C, 0x0D, 30, 1, 0x7F, 0x99);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(one, OFFSET, 25)).isEqualTo(RtpPacket.Verdict.VALID);
            int at = p.findExtension(3);
            assertThat(at).isEqualTo(OFFSET + 18);
            assertThat(p.foundExtensionLength()).isEqualTo(2);
            assertThat(p.audioLevel(1)).isEqualTo(0x85);
            assertThat(p.findExtension(2)).isEqualTo(-1);
            assertThat(p.payloadOffset()).isEqualTo(OFFSET + 24);
            assertThat(p.payloadLength()).isEqualTo(1);

            assertThat(p.wrap(two, OFFSET, 25)).isEqualTo(RtpPacket.Verdict.VALID);
            assertThat(p.extensionProfile()).isEqualTo(0x1003);
            assertThat(p.findExtension(20)).isEqualTo(OFFSET + 19);
            assertThat(p.foundExtensionLength()).isEqualTo(2);
            assertThat(p.audioLevel(30)).isEqualTo(0x7F);
        } finally {
            one.release();
            two.release();
        }
    }

    @Test
    void senderWritesWhatTheViewReadsWithAudioLevelInBothForms() {
        for (boolean twoByte : new boolean[] {false, true}) {
            RtpSender s = new RtpSender(new SplittableRandom(1), 111, 48000, twoByte ? 17 : 5, twoByte);
            ByteBuf b = Unpooled.buffer();
            try {
                b.writeZero(OFFSET);
                int seq0 = s.nextSequence();
                int ts0 = s.timestamp();
                byte[] payload = {1, 2, 3, 4, 5};
                int n = s.writeAudio(b, payload, 1, 3, 960, true, 42, true);
                int n2 = s.writeAudio(b, payload, 0, 5, 960, false, 127, false);
                RtpPacket p = new RtpPacket();
                assertThat(p.wrap(b, OFFSET, n)).isEqualTo(RtpPacket.Verdict.VALID);
                assertThat(b.getUnsignedByte(OFFSET) >>> 6).isEqualTo(2);
                assertThat(p.payloadType()).isEqualTo(111);
                assertThat(p.marker()).isTrue();
                assertThat(p.sequenceNumber()).isEqualTo(seq0);
                assertThat(p.timestamp()).isEqualTo(ts0);
                assertThat(p.ssrc()).isEqualTo(s.ssrc());
                assertThat(p.audioLevel(twoByte ? 17 : 5)).isEqualTo(0x80 | 42);
                assertThat(p.payloadLength()).isEqualTo(3);
                assertThat(b.getByte(p.payloadOffset())).isEqualTo((byte) 2);
                assertThat(p.wrap(b, OFFSET + n, n2)).isEqualTo(RtpPacket.Verdict.VALID);
                assertThat(p.sequenceNumber()).isEqualTo((seq0 + 1) & 0xFFFF);
                assertThat(p.timestamp()).isEqualTo(ts0 + 960);
                assertThat(p.audioLevel(twoByte ? 17 : 5)).isEqualTo(127);
                assertThat(s.packetCount()).isEqualTo(2);
                assertThat(s.octetCount()).isEqualTo(8);
            } finally {
                b.release();
            }
        }
    }

    @Test
    void initialSequenceTimestampAndSsrcAreRandom() {
        RtpSender a = new RtpSender(new SplittableRandom(1), 111, 48000, 0, false);
        RtpSender b = new RtpSender(new SplittableRandom(2), 111, 48000, 0, false);
        assertThat(a.ssrc()).isNotEqualTo(b.ssrc());
        assertThat(a.nextSequence()).isNotEqualTo(b.nextSequence());
        assertThat(a.timestamp()).isNotEqualTo(b.timestamp());
    }
}
