package org.openzoep.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SrtpContextTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = HEX.parseHex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] SALT = HEX.parseHex("0EC675AD498AFEEBB6960B3AABE6");
    /** Bytes in front of every packet, so offsets are never zero. */
    private static final int LEAD = 7;

    private final java.util.List<ByteBuf> toRelease = new java.util.ArrayList<>();

    @AfterEach
    void release() {
        toRelease.forEach(ByteBuf::release);
    }

    /** RFC 3711 Appendix B.2: the AES-CM keystream for the given session key and salt, ROC/SEQ/SSRC 0. */
    @Test
    void aesCounterKeystreamMatchesRfc3711AppendixB2() {
        AesCounter aes = new AesCounter(HEX.parseHex("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] iv = HEX.parseHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] stream = new byte[0xFF02 * 16];
        aes.apply(iv, stream, 0, stream.length);
        assertEquals("e03ead0935c95e80e166b16dd92b4eb4", block(stream, 0));
        assertEquals("d23513162b02d0f72a43a2fe4a5f97ab", block(stream, 1));
        assertEquals("41e95b3bb0a2e8dd477901e4fca894c0", block(stream, 2));
        assertEquals("ec8cdf7398607cb0f2d21675ea9ea1e4", block(stream, 0xFEFF));
        assertEquals("362b7c3c6773516318a077d7fc5073ae", block(stream, 0xFF00));
        assertEquals("6a2cc3787889374fbeb4c81b17ba6c44", block(stream, 0xFF01));
    }

    /** RFC 3711 Appendix B.3: session encryption key, salt and authentication key. */
    @Test
    void keyDerivationMatchesRfc3711AppendixB3() {
        assertEquals("c61e7a93744f39ee10734afe3ff7a087",
                HEX.formatHex(SrtpKdf.derive(KEY, SALT, SrtpKdf.RTP_ENCRYPTION, 16)));
        assertEquals("30cbbc08863d8c85d49db34a9ae1", HEX.formatHex(SrtpKdf.derive(KEY, SALT, SrtpKdf.RTP_SALT, 14)));
        assertEquals("cebe321f6ff7716b6fd4ab49af256a156d38baa4",
                HEX.formatHex(SrtpKdf.derive(KEY, SALT, SrtpKdf.RTP_AUTH, 20)));
    }

    /**
     * The protected packet equals one computed independently from RFC 3711 sections 3.1, 4.1.1 and
     * 4.2 with the JDK's AES/CTR and HmacSHA1 (keys from the KDF checked above), for a header
     * with a CSRC and an extension, and after a sequence number wrap (ROC 1 in IV and tag).
     */
    @Test
    void protectedPacketMatchesIndependentComputation() throws Exception {
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        int ssrc = 0xCAFEBABE;
        byte[] payload = new byte[53];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7 + 3);
        }
        assertTrue(tx.protectRtp(rtp(65535, ssrc, payload, true)));
        ByteBuf p = rtp(2, ssrc, payload, true);
        byte[] plain = ByteBufUtil.getBytes(p);
        assertTrue(tx.protectRtp(p));

        int hdr = 12 + 4 + 8; // fixed, one CSRC, extension header with one word
        byte[] encKey = SrtpKdf.derive(KEY, SALT, SrtpKdf.RTP_ENCRYPTION, 16);
        byte[] authKey = SrtpKdf.derive(KEY, SALT, SrtpKdf.RTP_AUTH, 20);
        byte[] salt = SrtpKdf.derive(KEY, SALT, SrtpKdf.RTP_SALT, 14);
        long index = (1L << 16) | 2;
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, 14);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= (byte) (ssrc >>> (24 - 8 * i));
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encKey, "AES"), new IvParameterSpec(iv));
        byte[] expected = Arrays.copyOf(plain, plain.length + 10);
        byte[] enc = ctr.doFinal(plain, hdr, plain.length - hdr);
        System.arraycopy(enc, 0, expected, hdr, enc.length);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(authKey, "HmacSHA1"));
        mac.update(expected, 0, plain.length);
        mac.update(new byte[] {0, 0, 0, 1});
        System.arraycopy(mac.doFinal(), 0, expected, plain.length, 10);

        assertEquals(HEX.formatHex(expected), HEX.formatHex(ByteBufUtil.getBytes(p)));
        assertEquals(1, tx.rolloverCounter(ssrc));
    }

    @Test
    void rtpRoundTripAtNonZeroOffsetHeapAndDirect() {
        for (boolean direct : new boolean[] {false, true}) {
            SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
            SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
            byte[] payload = "hello, secure world: 0123456789abcdef0123456789".getBytes();
            ByteBuf p = rtp(1000, 0x11223344, payload, false, direct);
            byte[] plain = ByteBufUtil.getBytes(p);
            assertTrue(tx.protectRtp(p));
            assertEquals(plain.length + SrtpContext.TAG_LENGTH, p.readableBytes());
            assertEquals(LEAD, p.readerIndex());
            int n = rx.unprotectRtp(p, p.readerIndex(), p.readableBytes());
            assertEquals(plain.length, n);
            assertArrayEquals(plain, ByteBufUtil.getBytes(p, LEAD, n));
            assertEquals(0, rx.authFailures() + rx.replayed() + rx.malformed());
        }
    }

    @Test
    void rtcpRoundTripAtNonZeroOffsetWithIncreasingIndex() {
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
        for (int i = 0; i < 3; i++) {
            ByteBuf p = rtcp(0x55667788, 40);
            byte[] plain = ByteBufUtil.getBytes(p);
            assertTrue(tx.protectRtcp(p));
            assertEquals(plain.length + SrtpContext.SRTCP_TRAILER_LENGTH, p.readableBytes());
            // header clear, rest encrypted, E = 1 and the index counting from 0
            assertArrayEquals(Arrays.copyOf(plain, 8), ByteBufUtil.getBytes(p, LEAD, 8));
            assertFalse(Arrays.equals(Arrays.copyOfRange(plain, 8, plain.length),
                    ByteBufUtil.getBytes(p, LEAD + 8, plain.length - 8)));
            assertEquals(0x80000000 | i, p.getInt(LEAD + plain.length));
            int n = rx.unprotectRtcp(p, LEAD, p.readableBytes());
            assertEquals(plain.length, n);
            assertArrayEquals(plain, ByteBufUtil.getBytes(p, LEAD, n));
        }
        assertEquals(0, rx.authFailures() + rx.replayed() + rx.malformed());
    }

    /**
     * A stream whose first packet is RTCP (a report sent while on hold, before any RTP): the first
     * RTP packet after it, at a sequence number in the upper half, is neither refused as a replay
     * nor encrypted with another ROC. Before the fix, the RTCP packet set s_l to 0, the RTP packet
     * was estimated at ROC -1 and every later one was counted as replayed.
     */
    @Test
    void rtpAfterAnRtcpOnlyStartIsAccepted() {
        for (int firstSeq : new int[] {50000, 100}) {
            SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
            SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
            ByteBuf report = rtcp(0x0BADCAFE, 28);
            int reportLength = report.readableBytes();
            assertTrue(tx.protectRtcp(report));
            assertEquals(reportLength, rx.unprotectRtcp(report, LEAD, report.readableBytes()));
            for (int i = 0; i < 3; i++) {
                ByteBuf p = rtp(firstSeq + i, 0x0BADCAFE, new byte[] {1, 2, 3, 4}, false);
                byte[] plain = ByteBufUtil.getBytes(p);
                assertTrue(tx.protectRtp(p));
                int n = rx.unprotectRtp(p, p.readerIndex(), p.readableBytes());
                assertEquals(plain.length, n, "seq " + (firstSeq + i));
                assertArrayEquals(plain, ByteBufUtil.getBytes(p, LEAD, n));
            }
            assertEquals(0, rx.authFailures() + rx.replayed() + rx.malformed());
        }
    }

    /**
     * RFC 3711 section 3.3.1, every start a receiver can see: the first packet the receiver
     * authenticates sets s_l (and the ROC it was sent with is 0), whatever came before it (SRTCP or
     * nothing) and wherever its sequence number lies; the index guess is never negative, and the
     * sender side of the same class agrees with the receiver for the whole run, across a wrap.
     * Each case sends 10,000 packets seven sequence numbers apart (the rest lost on the way, which
     * the guess must bridge too) from {@code firstSeq}, so each wraps at least once, after an SRTCP
     * report when {@code rtcpFirst}.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "first seq {0}, SRTCP first {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "40000, true", "32769, true", "65535, true", "0, true", "100, true",
        "40000, false", "32768, false", "32769, false", "65535, false", "65534, false", "0, false", "100, false"})
    void everyStartOrderKeepsSenderAndReceiverInStep(int firstSeq, boolean rtcpFirst) {
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
        int ssrc = 0x5EED0001;
        ByteBuf b = io.netty.buffer.Unpooled.buffer(256);
        toRelease.add(b);
        if (rtcpFirst) {
            b.clear().writeByte(0x80).writeByte(201).writeShort(1).writeInt(ssrc);
            assertTrue(tx.protectRtcp(b));
            assertEquals(8, rx.unprotectRtcp(b, 0, b.readableBytes()));
        }
        for (int i = 0; i < 10_000; i++) {
            int seq = (firstSeq + 7 * i) & 0xFFFF;
            b.clear().writeByte(0x80).writeByte(111).writeShort(seq).writeInt(i).writeInt(ssrc).writeInt(i);
            assertTrue(tx.protectRtp(b));
            int n = rx.unprotectRtp(b, 0, b.readableBytes());
            if (n != 16 || b.getInt(12) != i) {
                fail("packet " + i + " (seq " + seq + ") came out as " + n + "; sender ROC " + tx.rolloverCounter(ssrc)
                        + ", receiver ROC " + rx.rolloverCounter(ssrc) + "; " + rx.authFailures() + " auth failures, "
                        + rx.replayed() + " replayed");
            }
            if (i % 97 == 0) {
                // an SRTCP report now and then changes nothing
                b.clear().writeByte(0x80).writeByte(201).writeShort(1).writeInt(ssrc);
                assertTrue(tx.protectRtcp(b));
                assertEquals(8, rx.unprotectRtcp(b, 0, b.readableBytes()));
            }
        }
        long wraps = (firstSeq + 7 * 9_999L) >>> 16;
        assertEquals(wraps, tx.rolloverCounter(ssrc));
        assertEquals(wraps, rx.rolloverCounter(ssrc));
    }

    /**
     * A sequence number from before the first one (a sender that restarts lower, a packet the
     * application resends) has no ROC -1: the receiver drops it as too old, and neither side moves
     * s_l for it, so the packets after it still decrypt. Before the fix, the sender took it as roll
     * 0 and moved s_l up to it: its next packet was guessed one roll further than the receiver's,
     * and every later packet failed authentication.
     */
    @Test
    void aSequenceNumberFromBeforeTheFirstDoesNotDesynchronise() {
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
        int ssrc = 0x5EED0002;
        int[] seqs = {100, 101, 65000, 102, 103, 104};
        int[] results = new int[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            ByteBuf p = rtp(seqs[i], ssrc, new byte[] {(byte) i}, false);
            if (!tx.protectRtp(p)) {
                results[i] = Integer.MIN_VALUE; // the sender refused it: nothing went out
                continue;
            }
            results[i] = rx.unprotectRtp(p, LEAD, p.readableBytes());
        }
        assertEquals("[13, 13, x, 13, 13, 13]", Arrays.toString(results).replace(String.valueOf(Integer.MIN_VALUE), "x")
                .replace(String.valueOf(SrtpContext.REPLAYED), "x"), "per packet: plaintext length, x = not delivered");
        assertEquals(0, rx.authFailures());
        assertEquals(0, tx.rolloverCounter(ssrc));
        assertEquals(0, rx.rolloverCounter(ssrc));
    }

    /**
     * The replay window and s_l move only after the tag verified: forged packets (right SSRC, any
     * sequence number, ahead or behind, a bad tag) change nothing, and the genuine stream goes on.
     * (One that would need ROC -1 is dropped before its tag is computed, as too old.)
     * RFC 3711 section 3.3.2: "update the replay list ... only after the packet has been
     * authenticated".
     */
    @Test
    void forgedPacketsMoveNeitherTheReplayWindowNorTheRolloverCounter() {
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
        int ssrc = 0x5EED0003;
        for (int seq = 1000; seq < 1010; seq++) {
            ByteBuf p = rtp(seq, ssrc, new byte[20], false);
            assertTrue(tx.protectRtp(p));
            assertEquals(32, rx.unprotectRtp(p, LEAD, p.readableBytes()));
        }
        int[] forgedSeqs = {1010, 1011, 5000, 40000, 65535, 0, 33768};
        for (int seq : forgedSeqs) {
            SrtpContext attacker = SrtpContext.create(new byte[16], new byte[14], 128);
            ByteBuf f = rtp(seq, ssrc, new byte[20], false);
            assertTrue(attacker.protectRtp(f));
            int r = rx.unprotectRtp(f, LEAD, f.readableBytes());
            assertTrue(r == SrtpContext.AUTH_FAILED || r == SrtpContext.REPLAYED, "forged seq " + seq + ": " + r);
        }
        ByteBuf forgedRtcp = rtcp(ssrc, 20);
        assertTrue(SrtpContext.create(new byte[16], new byte[14], 128).protectRtcp(forgedRtcp));
        forgedRtcp.setInt(forgedRtcp.writerIndex() - SrtpContext.SRTCP_TRAILER_LENGTH, 0x80000000 | 5000);
        assertEquals(SrtpContext.AUTH_FAILED, rx.unprotectRtcp(forgedRtcp, LEAD, forgedRtcp.readableBytes()));
        assertEquals(forgedSeqs.length + 1, rx.authFailures() + rx.replayed());
        long replayedByForgeries = rx.replayed();
        assertEquals(0, rx.rolloverCounter(ssrc));
        // the genuine packets the forgeries named (1010, 1011) and the ones after them all arrive
        for (int seq = 1010; seq < 1020; seq++) {
            ByteBuf p = rtp(seq, ssrc, new byte[20], false);
            assertTrue(tx.protectRtp(p));
            assertEquals(32, rx.unprotectRtp(p, LEAD, p.readableBytes()), "genuine seq " + seq);
        }
        for (int i = 0; i < 3; i++) {
            ByteBuf c = rtcp(ssrc, 20);
            assertTrue(tx.protectRtcp(c));
            assertEquals(28, rx.unprotectRtcp(c, LEAD, c.readableBytes()), "genuine SRTCP index " + i);
        }
        assertEquals(replayedByForgeries, rx.replayed(), "no genuine packet refused");
    }

    @Test
    void ciphertextDoesNotContainThePlaintextPayload() {
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        byte[] payload = "THIS PAYLOAD MUST NOT BE SEEN ON THE WIRE".getBytes();
        ByteBuf p = rtp(1, 42, payload, false);
        assertTrue(tx.protectRtp(p));
        String wire = new String(ByteBufUtil.getBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(wire.contains("PAYLOAD"));
        ByteBuf c = rtcp(42, 32);
        byte[] body = ByteBufUtil.getBytes(c, LEAD + 8, 32);
        assertTrue(tx.protectRtcp(c));
        assertFalse(Arrays.equals(body, ByteBufUtil.getBytes(c, LEAD + 8, 32)));
    }

    @Test
    void tamperedPayloadOrTagFailsAuthenticationAndIsCounted() {
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
        ByteBuf a = rtp(10, 7, new byte[20], false);
        ByteBuf b = rtp(11, 7, new byte[20], false);
        assertTrue(tx.protectRtp(a));
        assertTrue(tx.protectRtp(b));
        a.setByte(LEAD + 15, a.getByte(LEAD + 15) ^ 0x01); // payload
        byte[] tampered = ByteBufUtil.getBytes(a);
        assertEquals(SrtpContext.AUTH_FAILED, rx.unprotectRtp(a, LEAD, a.readableBytes()));
        assertArrayEquals(tampered, ByteBufUtil.getBytes(a), "a rejected packet is left as it was");
        int last = b.writerIndex() - 1;
        b.setByte(last, b.getByte(last) ^ 0x80); // tag
        assertEquals(SrtpContext.AUTH_FAILED, rx.unprotectRtp(b, LEAD, b.readableBytes()));
        assertEquals(2, rx.authFailures());

        ByteBuf c = rtcp(7, 16);
        assertTrue(tx.protectRtcp(c));
        c.setByte(LEAD + 9, c.getByte(LEAD + 9) ^ 0x04);
        assertEquals(SrtpContext.AUTH_FAILED, rx.unprotectRtcp(c, LEAD, c.readableBytes()));
        assertEquals(3, rx.authFailures());

        SrtpContext otherKey = SrtpContext.create(new byte[16], SALT, 128);
        ByteBuf d = rtp(12, 7, new byte[20], false);
        assertTrue(tx.protectRtp(d));
        assertEquals(SrtpContext.AUTH_FAILED, otherKey.unprotectRtp(d, LEAD, d.readableBytes()));
    }

    @Test
    void replayIsRejectedAndCounted() {
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
        ByteBuf p = rtp(500, 9, new byte[30], false);
        assertTrue(tx.protectRtp(p));
        byte[] wire = ByteBufUtil.getBytes(p);
        assertEquals(42, rx.unprotectRtp(p, LEAD, p.readableBytes()));
        ByteBuf again = copy(wire);
        assertEquals(SrtpContext.REPLAYED, rx.unprotectRtp(again, LEAD, wire.length));
        assertEquals(1, rx.replayed());

        ByteBuf c = rtcp(9, 12);
        assertTrue(tx.protectRtcp(c));
        byte[] rtcpWire = ByteBufUtil.getBytes(c);
        assertEquals(20, rx.unprotectRtcp(c, LEAD, c.readableBytes()));
        assertEquals(SrtpContext.REPLAYED, rx.unprotectRtcp(copy(rtcpWire), LEAD, rtcpWire.length));
        assertEquals(2, rx.replayed());
        assertEquals(0, rx.authFailures());
    }

    @Test
    void reorderingWithinTheWindowIsAcceptedOlderIsRejected() {
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
        byte[][] wire = new byte[301][];
        for (int seq = 0; seq <= 300; seq++) {
            ByteBuf p = rtp(seq, 77, new byte[] {(byte) seq}, false);
            assertTrue(tx.protectRtp(p));
            wire[seq] = ByteBufUtil.getBytes(p);
        }
        assertEquals(13, unprotect(rx, wire[300]));
        assertEquals(13, unprotect(rx, wire[299]));
        assertEquals(13, unprotect(rx, wire[173]), "127 behind the highest: inside a 128 window");
        assertEquals(SrtpContext.REPLAYED, unprotect(rx, wire[172]), "128 behind: outside");
        assertEquals(SrtpContext.REPLAYED, unprotect(rx, wire[10]));
        assertEquals(SrtpContext.REPLAYED, unprotect(rx, wire[299]), "a reordered one, replayed");
        assertEquals(13, unprotect(rx, wire[250]));
        assertEquals(3, rx.replayed());
        assertEquals(0, rx.authFailures());
    }

    @Test
    void sequenceWrapIncrementsRocAndStillDecrypts() {
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
        int ssrc = 0x0BADCAFE;
        byte[] afterWrap = null;
        for (int i = 0; i < 12; i++) {
            int seq = (65530 + i) & 0xFFFF;
            byte[] payload = {1, 2, 3, (byte) i};
            ByteBuf p = rtp(seq, ssrc, payload, false);
            byte[] plain = ByteBufUtil.getBytes(p);
            assertTrue(tx.protectRtp(p));
            if (seq == 3) {
                afterWrap = ByteBufUtil.getBytes(p);
            }
            int n = rx.unprotectRtp(p, LEAD, p.readableBytes());
            assertEquals(plain.length, n, "seq " + seq);
            assertArrayEquals(plain, ByteBufUtil.getBytes(p, LEAD, n));
        }
        assertEquals(1, tx.rolloverCounter(ssrc));
        assertEquals(1, rx.rolloverCounter(ssrc));
        // a receiver that never saw the wrap assumes ROC 0: the tag (which covers the ROC) fails
        SrtpContext fresh = SrtpContext.create(KEY, SALT, 128);
        assertEquals(SrtpContext.AUTH_FAILED, unprotect(fresh, afterWrap));
    }

    @Test
    void lateRtpFromBeforeAWrapStillDecrypts() {
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
        byte[][] wire = new byte[4][];
        int[] seqs = {65534, 65535, 0, 1};
        for (int i = 0; i < seqs.length; i++) {
            ByteBuf p = rtp(seqs[i], 5, new byte[] {(byte) i}, false);
            assertTrue(tx.protectRtp(p));
            wire[i] = ByteBufUtil.getBytes(p);
        }
        assertEquals(13, unprotect(rx, wire[0]));
        assertEquals(13, unprotect(rx, wire[2]));
        assertEquals(13, unprotect(rx, wire[3]));
        assertEquals(13, unprotect(rx, wire[1]), "65535 after the wrap: ROC - 1");
        assertEquals(1, rx.rolloverCounter(5));
    }

    @Test
    void malformedPacketsAreRejectedUntouched() {
        SrtpContext ctx = SrtpContext.create(KEY, SALT, 128);
        ByteBuf shortOne = copy(new byte[] {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0});
        byte[] before = ByteBufUtil.getBytes(shortOne);
        assertFalse(ctx.protectRtp(shortOne));
        assertFalse(ctx.protectRtcp(copy(new byte[] {(byte) 0x80, (byte) 200, 0})));
        assertArrayEquals(before, ByteBufUtil.getBytes(shortOne));
        ByteBuf v1 = rtp(1, 1, new byte[40], false);
        v1.setByte(LEAD, 0x40);
        assertEquals(SrtpContext.MALFORMED, ctx.unprotectRtp(v1, LEAD, v1.readableBytes()));
        assertEquals(SrtpContext.MALFORMED, ctx.unprotectRtp(shortOne, LEAD, shortOne.readableBytes()));
        assertEquals(SrtpContext.MALFORMED, ctx.unprotectRtcp(shortOne, LEAD, shortOne.readableBytes()));
        ByteBuf badExtension = rtp(1, 1, new byte[0], true);
        badExtension.setShort(LEAD + 16 + 2, 200); // extension longer than the packet
        assertFalse(ctx.protectRtp(badExtension));
        assertEquals(6, ctx.malformed());
        assertEquals(0, ctx.authFailures());
    }

    /** The per-packet path allocates nothing once warm (this thread's allocation counter). */
    @Test
    void protectAndUnprotectDoNotAllocatePerPacket() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadAllocatedMemorySupported());
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
        // a wrapped array: the paranoid leak detector records a stack trace at every access of an
        // allocator's buffer, which is the test rig's allocation, not ours
        ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(new byte[256]);
        toRelease.add(b);
        int n = 20_000;
        long allocated = 0;
        for (int round = 0; round < 2; round++) {
            long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int j = 0; j < n; j++) {
                int seq = (round * n + j) & 0xFFFF;
                b.clear().writeByte(0x80).writeByte(111).writeShort(seq).writeInt(seq).writeInt(3).writeZero(160);
                tx.protectRtp(b);
                if (rx.unprotectRtp(b, 0, b.readableBytes()) != 172) {
                    fail("packet " + seq + " did not round-trip");
                }
            }
            allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        }
        assertTrue(allocated < 8L * n, "allocated " + allocated / (double) n + " bytes per packet pair once warm");
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> SrtpContext.create(new byte[15], SALT, 128));
        assertThrows(IllegalArgumentException.class, () -> SrtpContext.create(KEY, new byte[16], 128));
        assertThrows(IllegalArgumentException.class, () -> SrtpContext.create(KEY, SALT, 32));
    }

    @Test
    void differentSsrcsHaveIndependentState() {
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
        ByteBuf a = rtp(100, 1, new byte[4], false);
        ByteBuf b = rtp(100, 2, new byte[4], false);
        assertTrue(tx.protectRtp(a));
        assertTrue(tx.protectRtp(b));
        assertNotEquals(HEX.formatHex(ByteBufUtil.getBytes(a, LEAD + 12, 4)),
                HEX.formatHex(ByteBufUtil.getBytes(b, LEAD + 12, 4)), "the SSRC is in the IV");
        assertEquals(16, rx.unprotectRtp(a, LEAD, a.readableBytes()));
        assertEquals(16, rx.unprotectRtp(b, LEAD, b.readableBytes()), "same seq, other SSRC: no replay");
    }

    private int unprotect(SrtpContext rx, byte[] wire) {
        return rx.unprotectRtp(copy(wire), LEAD, wire.length);
    }

    private ByteBuf rtp(int seq, int ssrc, byte[] payload, boolean csrcAndExtension) {
        return rtp(seq, ssrc, payload, csrcAndExtension, false);
    }

    /** An RTP packet after {@link #LEAD} filler bytes (readerIndex = LEAD). */
    private ByteBuf rtp(int seq, int ssrc, byte[] payload, boolean csrcAndExtension, boolean direct) {
        ByteBuf b = direct ? PooledByteBufAllocator.DEFAULT.directBuffer(64) : PooledByteBufAllocator.DEFAULT.heapBuffer(64);
        toRelease.add(b);
        b.writeZero(LEAD).readerIndex(LEAD);
        b.writeByte(csrcAndExtension ? 0x80 | 0x10 | 1 : 0x80);
        b.writeByte(111);
        b.writeShort(seq);
        b.writeInt(seq * 960);
        b.writeInt(ssrc);
        if (csrcAndExtension) {
            b.writeInt(0x01020304);
            b.writeShort(0xBEDE).writeShort(1).writeInt(0x10FF0000);
        }
        b.writeBytes(payload);
        return b;
    }

    /** A receiver report with {@code bodyLength} more bytes after the 8-byte header. */
    private ByteBuf rtcp(int ssrc, int bodyLength) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.heapBuffer(64);
        toRelease.add(b);
        b.writeZero(LEAD).readerIndex(LEAD);
        b.writeByte(0x80).writeByte(201).writeShort((8 + bodyLength) / 4 - 1).writeInt(ssrc);
        for (int i = 0; i < bodyLength; i++) {
            b.writeByte(i);
        }
        return b;
    }

    private ByteBuf copy(byte[] wire) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.heapBuffer(LEAD + wire.length + 16);
        toRelease.add(b);
        b.writeZero(LEAD).readerIndex(LEAD);
        b.writeBytes(wire);
        return b;
    }

    private static String block(byte[] stream, int n) {
        return HEX.formatHex(stream, n * 16, n * 16 + 16);
    }
}
