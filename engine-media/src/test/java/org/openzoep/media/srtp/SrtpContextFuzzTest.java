package org.openzoep.media.srtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.openzoep.testkit.FuzzInput;

/**
 * Fuzz targets: SRTP and SRTCP unprotect (RFC 3711) in {@link SrtpContext}, under the key of
 * {@code SrtpContextTest}.
 *
 * <p>{@link #unprotect}: one datagram against a fresh receiving context, as SRTP (flag bit 0 clear)
 * or SRTCP. {@link #afterValidStream}: a sending and a receiving context; the input is a script of
 * steps, each a choice from the back: a valid SRTP packet whose sequence number advances by 1..256
 * (op 0) or by any amount (op 4), a valid SRTCP packet (op 1), a forged datagram from the front of
 * the input (op 2), or the last valid packet again (op 3).
 *
 * <p>Every unprotect must return a plaintext length or one of the three failure codes and throw
 * nothing; bytes outside the datagram never change, nor the datagram itself on failure; a packet
 * that authenticates decrypts to what was sent; a packet accepted once is refused as a replay the
 * second time, and one refused once is refused again; every
 * SRTCP packet is accepted, and an SRTP packet whose sequence number is 1..256 past an accepted
 * one and was not sent before. (Not after a jump of 2^15 or more: RFC 3711 section 3.3.1 reads that
 * as a packet from the past, on both sides, and the script's sender may then send a sequence
 * number again, which the receiver rightly refuses as a replay. The first run found that case in
 * this target's own check: {@code crash-bcbf6061...}, kept in the corpus. The second run found that
 * after two such jumps the sender's rollover counter was one ahead of the receiver's, every later
 * packet failed authentication, and a replay of one was refused as AUTH_FAILED, not REPLAYED; the
 * check expects REPLAYED only of a packet that was accepted: {@code crash-30520965...}. Since the
 * M6 fix the sender refuses a sequence number from before its first one, which only a jump back
 * can reach: {@code crash-bcbf6061...} replays that.)
 *
 * <p>Corpus: {@code SrtpContextFuzzTestInputs/unprotect/} and {@code .../afterValidStream/}
 * ({@code org.openzoep.media.fuzz.FuzzSeeds}).
 */
class SrtpContextFuzzTest {

    static final byte[] KEY = HexFormat.of().parseHex("E1F97A0D3E018BE0D64FA32C06DE4139");
    static final byte[] SALT = HexFormat.of().parseHex("0EC675AD498AFEEBB6960B3AABE6");
    private static final int OFFSET = 7;

    @FuzzTest(maxDuration = "30s")
    void unprotect(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        boolean rtcp = (in.choice() & 1) != 0;
        SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
        unprotectChecked(rx, in.rest(), rtcp, null);
    }

    @FuzzTest(maxDuration = "30s")
    void afterValidStream(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        SrtpContext tx = SrtpContext.create(KEY, SALT, 128);
        SrtpContext rx = SrtpContext.create(KEY, SALT, 128);
        int seq = in.choice() << 8 | in.choice();
        int ssrc = 0x5EED0000 | in.choice();
        int timestamp = 0;
        boolean lastRtpAccepted = false;
        // sequence numbers sent, and whether the script ever jumped back: after that a sequence
        // number may be sent again, which the receiver rightly refuses as a replay
        Set<Integer> sent = new HashSet<>();
        boolean jumpedBack = false;
        byte[] last = null;
        boolean lastRtcp = false;
        boolean lastAccepted = false;
        for (int step = 0; step < 64 && in.remaining() > 0; step++) {
            int op = in.choice() % 5;
            switch (op) {
                case 0, 4 -> {
                    int delta = op == 0 ? 1 + in.choice() : in.choice() << 8 | in.choice();
                    seq = (seq + delta) & 0xFFFF;
                    jumpedBack |= delta >= 0x8000;
                    boolean fresh = sent.add(seq) && !jumpedBack;
                    timestamp += 160 * Math.max(delta, 1);
                    byte[] plain = rtp(seq, timestamp, ssrc, in.choice());
                    byte[] wire = tryProtect(tx, plain, false);
                    if (wire == null) {
                        // the sender refuses a sequence number from before its first one (there is
                        // no ROC -1; issue 12, M6); only a jump back can reach one
                        if (!jumpedBack) {
                            throw new AssertionError("the sender refused SRTP seq " + seq + " (+" + delta + ")");
                        }
                        continue;
                    }
                    int r = unprotectChecked(rx, wire, false, plain);
                    if (op == 0 && lastRtpAccepted && fresh && r < 0) {
                        throw new AssertionError("SRTP seq " + seq + " (+" + delta + ") after an accepted packet: " + r);
                    }
                    lastRtpAccepted = r >= 0;
                    last = wire;
                    lastRtcp = false;
                    lastAccepted = r >= 0;
                }
                case 1 -> {
                    byte[] plain = rtcp(ssrc, in.choice());
                    byte[] wire = protect(tx, plain, true);
                    int r = unprotectChecked(rx, wire, true, plain);
                    if (r < 0) {
                        throw new AssertionError("SRTCP packet refused: " + r);
                    }
                    last = wire;
                    lastRtcp = true;
                    lastAccepted = true;
                }
                case 2 -> unprotectChecked(rx, in.bytes(in.choice()), (in.choice() & 1) != 0, null);
                default -> {
                    if (last != null) {
                        int r = unprotectChecked(rx, last, lastRtcp, null);
                        if (lastAccepted ? r != SrtpContext.REPLAYED : r >= 0) {
                            throw new AssertionError("a replayed " + (lastRtcp ? "SRTCP" : "SRTP") + " packet that was "
                                    + (lastAccepted ? "accepted" : "refused") + " gave " + r);
                        }
                    }
                }
            }
        }
    }

    /** A plain RTP packet with a payload of {@code size % 64} bytes. */
    private static byte[] rtp(int seq, int timestamp, int ssrc, int size) {
        ByteBuf b = Unpooled.buffer();
        try {
            b.writeByte(0x80).writeByte(111).writeShort(seq).writeInt(timestamp).writeInt(ssrc);
            for (int i = 0; i < size % 64; i++) {
                b.writeByte(i * 7);
            }
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    /** A plain RTCP receiver report with {@code blocks % 3} report blocks. */
    private static byte[] rtcp(int ssrc, int blocks) {
        ByteBuf b = Unpooled.buffer();
        try {
            int n = blocks % 3;
            b.writeByte(0x80 | n).writeByte(201).writeShort(1 + 6 * n).writeInt(ssrc);
            for (int i = 0; i < 6 * n; i++) {
                b.writeInt(i);
            }
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static byte[] protect(SrtpContext tx, byte[] plain, boolean rtcp) {
        byte[] wire = tryProtect(tx, plain, rtcp);
        if (wire == null) {
            throw new AssertionError("could not protect a valid packet");
        }
        return wire;
    }

    /** The protected packet, or null if the context refused to protect it. */
    static byte[] tryProtect(SrtpContext tx, byte[] plain, boolean rtcp) {
        ByteBuf b = Unpooled.buffer(plain.length + 32).writeBytes(plain);
        try {
            boolean ok = rtcp ? tx.protectRtcp(b) : tx.protectRtp(b);
            return ok ? ByteBufUtil.getBytes(b) : null;
        } finally {
            b.release();
        }
    }

    /**
     * Unprotects {@code wire} at an offset inside a larger buffer and checks the result.
     *
     * @param plain what was protected, or null when not known
     */
    private static int unprotectChecked(SrtpContext rx, byte[] wire, boolean rtcp, byte[] plain) {
        ByteBuf b = Unpooled.buffer(OFFSET + wire.length + 4);
        try {
            b.writeBytes(new byte[OFFSET]).writeBytes(wire).writeInt(0xEEEEEEEE);
            b.setBytes(0, new byte[] {1, 2, 3, 4, 5, 6, 7});
            long failuresBefore = rx.authFailures() + rx.replayed() + rx.malformed();
            int r = rtcp ? rx.unprotectRtcp(b, OFFSET, wire.length) : rx.unprotectRtp(b, OFFSET, wire.length);
            long failures = rx.authFailures() + rx.replayed() + rx.malformed() - failuresBefore;
            byte[] after = ByteBufUtil.getBytes(b);
            for (int i = 0; i < OFFSET; i++) {
                if (after[i] != i + 1) {
                    throw new AssertionError("byte " + i + " before the datagram changed");
                }
            }
            if (b.getInt(OFFSET + wire.length) != 0xEEEEEEEE) {
                throw new AssertionError("bytes after the datagram changed");
            }
            if (r >= 0) {
                int expected = wire.length - (rtcp ? SrtpContext.SRTCP_TRAILER_LENGTH : SrtpContext.TAG_LENGTH);
                if (r != expected || failures != 0) {
                    throw new AssertionError("plaintext length " + r + ", expected " + expected + "; failures counted " + failures);
                }
                if (plain != null && !ByteBufUtil.equals(b, OFFSET, Unpooled.wrappedBuffer(plain), 0, plain.length)) {
                    throw new AssertionError("authenticated, but decrypted to something else than was sent");
                }
            } else {
                if (r != SrtpContext.AUTH_FAILED && r != SrtpContext.REPLAYED && r != SrtpContext.MALFORMED) {
                    throw new AssertionError("unprotect returned " + r);
                }
                if (failures != 1) {
                    throw new AssertionError("a refused packet counted " + failures + " times");
                }
                for (int i = 0; i < wire.length; i++) {
                    if (after[OFFSET + i] != wire[i]) {
                        throw new AssertionError("a refused datagram was changed at byte " + i);
                    }
                }
            }
            return r;
        } finally {
            b.release();
        }
    }
}
