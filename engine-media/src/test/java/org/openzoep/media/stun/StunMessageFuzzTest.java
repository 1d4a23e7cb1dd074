package org.openzoep.media.stun;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import org.openzoep.testkit.FuzzInput;

/**
 * Fuzz target: a STUN/TURN datagram (RFC 8489) through {@link StunMessage}: the view, every getter,
 * MESSAGE-INTEGRITY and FINGERPRINT. The view is read at a non-zero offset inside a larger buffer
 * and again over a buffer that ends where the message ends: both must read the same, so nothing is
 * read outside the message, and no getter may throw.
 *
 * <p>Input ({@link FuzzInput}): the datagram from the front; one flags byte from the back. Flag bit
 * 0 rewrites the MESSAGE-INTEGRITY value (key: the RFC 5769 password) and bit 1 the FINGERPRINT of
 * a message that has them, as a peer that knows the key would, so that the fuzzer gets past the
 * checks; both must then verify.
 *
 * <p>Corpus: {@code StunMessageFuzzTestInputs/message/}, seeded with the RFC 5769 vectors and
 * messages from {@link StunMessage.Writer} ({@code org.openzoep.media.fuzz.FuzzSeeds}).
 */
class StunMessageFuzzTest {

    static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);
    private static final int OFFSET = 5;
    private static final int[] TYPES = {
        StunMessage.MAPPED_ADDRESS, StunMessage.USERNAME, StunMessage.MESSAGE_INTEGRITY, StunMessage.ERROR_CODE,
        StunMessage.UNKNOWN_ATTRIBUTES, StunMessage.REALM, StunMessage.NONCE, StunMessage.XOR_MAPPED_ADDRESS,
        StunMessage.PRIORITY, StunMessage.USE_CANDIDATE, StunMessage.SOFTWARE, StunMessage.FINGERPRINT,
        StunMessage.ICE_CONTROLLED, StunMessage.ICE_CONTROLLING,
    };

    @FuzzTest(maxDuration = "30s")
    void message(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int flags = in.choice();
        byte[] datagram = in.rest();
        ByteBuf b = Unpooled.buffer(OFFSET + datagram.length + 3);
        try {
            b.writeZero(OFFSET).writeBytes(datagram).writeBytes(new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE});
            boolean stun = StunMessage.isStun(b, OFFSET, datagram.length);
            StunMessage m = StunMessage.parse(b, OFFSET, datagram.length);
            if (stun != (m != null) && m != null) {
                throw new AssertionError("parsed a datagram isStun refused");
            }
            if (m == null) {
                return;
            }
            if (m.length() < StunMessage.HEADER_LENGTH || m.length() > datagram.length || m.offset() != OFFSET) {
                throw new AssertionError("view " + m.offset() + "+" + m.length() + " of a " + datagram.length + "-byte datagram");
            }
            boolean resigned = false;
            if ((flags & 1) != 0 && m.hasMessageIntegrity()) {
                resign(b, StunMessage.MESSAGE_INTEGRITY);
                resigned = true;
            }
            if ((flags & 2) != 0 && m.hasFingerprint()) {
                resign(b, StunMessage.FINGERPRINT);
                resigned = true;
            }
            if (resigned) {
                m = StunMessage.parse(b, OFFSET, datagram.length);
                if (m == null) {
                    throw new AssertionError("a message no longer parses after its checks were rewritten");
                }
                if ((flags & 1) != 0 && m.hasMessageIntegrity() && !m.verifyIntegrity(PASSWORD)) {
                    throw new AssertionError("rewritten MESSAGE-INTEGRITY does not verify");
                }
                if ((flags & 2) != 0 && m.hasFingerprint() && !m.verifyFingerprint()) {
                    throw new AssertionError("rewritten FINGERPRINT does not verify");
                }
            }
            List<Object> seen = readAll(m);
            // the same message in a buffer that ends where the message ends
            ByteBuf exact = Unpooled.buffer(m.length(), m.length()).writeBytes(b, OFFSET, m.length());
            try {
                StunMessage e = StunMessage.parse(exact, 0, m.length());
                if (e == null) {
                    throw new AssertionError("the message alone does not parse");
                }
                List<Object> again = readAll(e);
                if (!deepEquals(seen, again)) {
                    throw new AssertionError("read " + seen + " in the datagram, " + again + " alone");
                }
            } finally {
                exact.release();
            }
        } finally {
            b.release();
        }
    }

    /** Every getter, with attribute positions made relative to the message. */
    private static List<Object> readAll(StunMessage m) {
        List<Object> out = new ArrayList<>();
        out.add(m.type());
        out.add(m.method());
        out.add(m.messageClass());
        out.add(m.transactionId());
        for (int t : TYPES) {
            int at = m.find(t);
            out.add(at < 0 ? -1 : at - m.offset());
            out.add(m.has(t));
            if (at >= 0) {
                if (at < m.offset() + StunMessage.HEADER_LENGTH || at + 4 + m.valueLength(at) > m.offset() + m.length()) {
                    throw new AssertionError("attribute 0x" + Integer.toHexString(t) + " at " + at + " outside the message");
                }
                out.add(m.valueLength(at));
            }
        }
        out.add(m.xorMappedAddress());
        out.add(m.mappedAddress());
        out.add(m.username());
        out.add(m.software());
        out.add(m.errorCode());
        out.add(m.errorReason());
        out.add(m.priority());
        out.add(m.useCandidate());
        out.add(m.iceControlling());
        out.add(m.iceControlled());
        out.add(m.hasMessageIntegrity());
        out.add(m.hasFingerprint());
        out.add(m.verifyIntegrity(PASSWORD));
        out.add(m.verifyFingerprint());
        out.add(m.toString());
        return out;
    }

    private static boolean deepEquals(List<Object> a, List<Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Objects.deepEquals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes a correct value into the first MESSAGE-INTEGRITY or FINGERPRINT attribute that counts,
     * walking the attributes as RFC 8489 section 14 describes (not as the parser does).
     */
    private static void resign(ByteBuf b, int type) {
        int start = OFFSET;
        int end = start + StunMessage.HEADER_LENGTH + b.getUnsignedShort(start + 2);
        int at = start + StunMessage.HEADER_LENGTH;
        while (at + 4 <= end) {
            int t = b.getUnsignedShort(at);
            if (t == type) {
                break;
            }
            if (t == StunMessage.FINGERPRINT) {
                return; // nothing after FINGERPRINT counts
            }
            at += 4 + ((b.getUnsignedShort(at + 2) + 3) & ~3);
        }
        if (at + 4 > end) {
            return;
        }
        byte[] covered = new byte[at - start];
        b.getBytes(start, covered);
        // the length field as if the message ended with this attribute
        int adjusted = at + 4 + (type == StunMessage.FINGERPRINT ? 4 : 20) - start - StunMessage.HEADER_LENGTH;
        covered[2] = (byte) (adjusted >> 8);
        covered[3] = (byte) adjusted;
        if (type == StunMessage.FINGERPRINT) {
            CRC32 crc = new CRC32();
            crc.update(covered);
            b.setInt(at + 4, (int) crc.getValue() ^ StunMessage.FINGERPRINT_XOR);
        } else {
            Mac mac = StunMessage.hmac(PASSWORD);
            b.setBytes(at + 4, Arrays.copyOf(mac.doFinal(covered), 20));
        }
    }
}
