package org.openzoep.media.stun;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/**
 * STUN views against the RFC 5769 test vectors (sections 2.1 to 2.4), every view at a non-zero
 * offset inside a larger buffer, and the writer against the view.
 */
class StunMessageTest {

    /** RFC 5769 section 2.1, sample request (short-term credential). */
    static final String REQUEST = "00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
            + " 80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74"
            + " 00 24 00 04 6e 00 01 ff"
            + " 80 29 00 08 93 2f f9 b1 51 26 3b 36"
            + " 00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20"
            + " 00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2"
            + " 80 28 00 04 e5 7a 3b cf";

    /** RFC 5769 section 2.2, sample IPv4 response. */
    static final String IPV4_RESPONSE = "01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
            + " 80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
            + " 00 20 00 08 00 01 a1 47 e1 12 a6 43"
            + " 00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7"
            + " 80 28 00 04 c0 7d 4c 96";

    /** RFC 5769 section 2.3, sample IPv6 response. */
    static final String IPV6_RESPONSE = "01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
            + " 80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
            + " 00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9"
            + " 00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41"
            + " 80 28 00 04 c8 fb 0b 4c";

    /** RFC 5769 section 2.4, sample request with long-term authentication (no FINGERPRINT). */
    static final String LONG_TERM_REQUEST = "00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e"
            + " 00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00"
            + " 00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41"
            + " 00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00"
            + " 00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66";

    static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);
    static final byte[] TX = ByteBufUtil.decodeHexDump("b7e7a701bc34d686fa87dfae");
    static final int OFFSET = 7;

    /** The vector at {@link #OFFSET} inside a buffer with junk on both sides. */
    static ByteBuf at(String hex) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
        for (int i = 0; i < OFFSET; i++) {
            b.writeByte(0xEE);
        }
        b.writeBytes(bytes);
        b.writeBytes(new byte[] {1, 2, 3});
        return b;
    }

    static int length(String hex) {
        return hex.replace(" ", "").length() / 2;
    }

    @Test
    void sampleRequest() {
        ByteBuf b = at(REQUEST);
        try {
            assertThat(StunMessage.isStun(b, OFFSET, length(REQUEST))).isTrue();
            StunMessage m = StunMessage.parse(b, OFFSET, length(REQUEST));
            assertThat(m).isNotNull();
            assertThat(m.method()).isEqualTo(StunMessage.BINDING);
            assertThat(m.messageClass()).isEqualTo(StunMessage.REQUEST);
            assertThat(m.length()).isEqualTo(20 + 0x58);
            assertThat(m.transactionId()).isEqualTo(TX);
            assertThat(m.transactionIdEquals(TX)).isTrue();
            assertThat(m.software()).isEqualTo("STUN test client");
            assertThat(m.username()).isEqualTo("evtj:h6vY");
            assertThat(m.priority()).isEqualTo(0x6e0001ffL);
            assertThat(m.has(StunMessage.ICE_CONTROLLED)).isTrue();
            assertThat(m.has(StunMessage.ICE_CONTROLLING)).isFalse();
            assertThat(m.iceControlled()).isEqualTo(0x932ff9b151263b36L);
            assertThat(m.useCandidate()).isFalse();
            assertThat(m.verifyIntegrity(PASSWORD)).isTrue();
            assertThat(m.verifyIntegrity("VOkJxbRl1RmTxUk/WvJxBu".getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(m.verifyFingerprint()).isTrue();
            // a flipped bit in the USERNAME breaks both
            b.setByte(OFFSET + 20 + 20 + 8 + 12 + 4, 'E');
            StunMessage flipped = StunMessage.parse(b, OFFSET, length(REQUEST));
            assertThat(flipped.username()).isEqualTo("Evtj:h6vY");
            assertThat(flipped.verifyIntegrity(PASSWORD)).isFalse();
            assertThat(flipped.verifyFingerprint()).isFalse();
        } finally {
            b.release();
        }
    }

    @Test
    void sampleIpv4Response() {
        ByteBuf b = at(IPV4_RESPONSE);
        try {
            StunMessage m = StunMessage.parse(b, OFFSET, length(IPV4_RESPONSE));
            assertThat(m.messageClass()).isEqualTo(StunMessage.SUCCESS);
            assertThat(m.method()).isEqualTo(StunMessage.BINDING);
            assertThat(m.software()).isEqualTo("test vector");
            assertThat(m.xorMappedAddress()).isEqualTo(new InetSocketAddress("192.0.2.1", 32853));
            assertThat(m.mappedAddress()).isNull();
            assertThat(m.verifyIntegrity(PASSWORD)).isTrue();
            assertThat(m.verifyFingerprint()).isTrue();
        } finally {
            b.release();
        }
    }

    @Test
    void sampleIpv6Response() {
        ByteBuf b = at(IPV6_RESPONSE);
        try {
            StunMessage m = StunMessage.parse(b, OFFSET, length(IPV6_RESPONSE));
            assertThat(m.xorMappedAddress())
                    .isEqualTo(new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853));
            assertThat(m.verifyIntegrity(PASSWORD)).isTrue();
            assertThat(m.verifyFingerprint()).isTrue();
        } finally {
            b.release();
        }
    }

    @Test
    void sampleLongTermRequestIntegrityWithTheMd5Key() throws Exception {
        ByteBuf b = at(LONG_TERM_REQUEST);
        try {
            StunMessage m = StunMessage.parse(b, OFFSET, length(LONG_TERM_REQUEST));
            assertThat(m.username()).isEqualTo("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9");
            assertThat(m.hasFingerprint()).isFalse();
            assertThat(m.verifyFingerprint()).isFalse();
            // RFC 8489 section 9.2.2: key = MD5(username ":" realm ":" SASLprep(password)); the
            // vector's password "The<U+00AD>M<U+00AA>tr<U+2168>" prepares to "TheMatrIX"
            byte[] key = MessageDigest.getInstance("MD5")
                    .digest((m.username() + ":example.org:TheMatrIX").getBytes(StandardCharsets.UTF_8));
            assertThat(m.verifyIntegrity(key)).isTrue();
            assertThat(m.verifyIntegrity(PASSWORD)).isFalse();
        } finally {
            b.release();
        }
    }

    @Test
    void writerReproducesTheVectorsXorAddressesAndVerifiesItsOwnHashes() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            out.writeBytes(new byte[OFFSET]);
            int len = StunMessage.write(out, StunMessage.BINDING, StunMessage.SUCCESS, TX)
                    .software("test vector")
                    .xorMappedAddress(new InetSocketAddress("192.0.2.1", 32853))
                    .xorMappedAddress(new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853))
                    .messageIntegrity(PASSWORD)
                    .fingerprint()
                    .length();
            assertThat(out.readableBytes()).isEqualTo(OFFSET + len);
            // SOFTWARE (4 + 12), then the two XOR-MAPPED-ADDRESS values byte for byte as in 2.2 and 2.3
            assertThat(ByteBufUtil.hexDump(out, OFFSET + 20 + 16, 12)).isEqualTo("002000080001a147e112a643");
            assertThat(ByteBufUtil.hexDump(out, OFFSET + 20 + 16 + 12, 24))
                    .isEqualTo("002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9");
            StunMessage m = StunMessage.parse(out, OFFSET, len);
            assertThat(m.length()).isEqualTo(len);
            assertThat(m.xorMappedAddress()).isEqualTo(new InetSocketAddress("192.0.2.1", 32853));
            assertThat(m.verifyIntegrity(PASSWORD)).isTrue();
            assertThat(m.verifyFingerprint()).isTrue();
        } finally {
            out.release();
        }
    }

    @Test
    void iceAttributesAndErrorCodeRoundTrip() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            out.writeBytes(new byte[3]);
            int len = StunMessage.write(out, StunMessage.BINDING, StunMessage.REQUEST, TX)
                    .username("remote:local")
                    .priority(0xFFFFFFFFL)
                    .iceControlling(-5L)
                    .useCandidate()
                    .mappedAddress(new InetSocketAddress("10.1.2.3", 65535))
                    .messageIntegrity(PASSWORD)
                    .fingerprint()
                    .length();
            StunMessage m = StunMessage.parse(out, 3, len);
            assertThat(m.username()).isEqualTo("remote:local");
            assertThat(m.priority()).isEqualTo(0xFFFFFFFFL);
            assertThat(m.has(StunMessage.ICE_CONTROLLING)).isTrue();
            assertThat(m.iceControlling()).isEqualTo(-5L);
            assertThat(m.useCandidate()).isTrue();
            assertThat(m.mappedAddress()).isEqualTo(new InetSocketAddress("10.1.2.3", 65535));
            assertThat(m.verifyIntegrity(PASSWORD)).isTrue();
            assertThat(m.verifyFingerprint()).isTrue();

            int start = out.writerIndex();
            int elen = StunMessage.write(out, StunMessage.BINDING, StunMessage.ERROR, TX)
                    .errorCode(487, "Role Conflict").fingerprint().length();
            StunMessage e = StunMessage.parse(out, start, elen);
            assertThat(e.messageClass()).isEqualTo(StunMessage.ERROR);
            assertThat(e.type()).isEqualTo(0x0111);
            assertThat(e.errorCode()).isEqualTo(487);
            assertThat(e.errorReason()).isEqualTo("Role Conflict");
            assertThat(e.hasMessageIntegrity()).isFalse();
            assertThat(e.verifyIntegrity(PASSWORD)).isFalse();
            assertThat(e.verifyFingerprint()).isTrue();
        } finally {
            out.release();
        }
    }

    @Test
    void typeEncodingInterleavesMethodAndClass() {
        assertThat(StunMessage.typeOf(StunMessage.BINDING, StunMessage.REQUEST)).isEqualTo(0x0001);
        assertThat(StunMessage.typeOf(StunMessage.BINDING, StunMessage.INDICATION)).isEqualTo(0x0011);
        assertThat(StunMessage.typeOf(StunMessage.BINDING, StunMessage.SUCCESS)).isEqualTo(0x0101);
        assertThat(StunMessage.typeOf(0xFFF, StunMessage.ERROR)).isEqualTo(0x3FFF);
        for (int method = 0; method < 0x1000; method += 0x55) {
            for (int cls = 0; cls < 4; cls++) {
                int type = StunMessage.typeOf(method, cls);
                assertThat(StunMessage.methodOf(type)).isEqualTo(method);
                assertThat(StunMessage.classOf(type)).isEqualTo(cls);
            }
        }
    }

    @Test
    void attributesAfterIntegrityAreIgnored() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            int len = StunMessage.write(out, StunMessage.BINDING, StunMessage.REQUEST, TX)
                    .messageIntegrity(PASSWORD)
                    .username("sneaked:in")
                    .length();
            StunMessage m = StunMessage.parse(out, 0, len);
            assertThat(m.username()).isNull();
            assertThat(m.verifyIntegrity(PASSWORD)).isTrue();
        } finally {
            out.release();
        }
    }

    @Test
    void malformedInputIsRejectedWithoutThrowing() {
        ByteBuf b = at(REQUEST);
        int len = length(REQUEST);
        try {
            assertThat(StunMessage.parse(b, OFFSET, 19)).isNull();
            assertThat(StunMessage.parse(b, OFFSET, len - 1)).isNull();
            assertThat(StunMessage.parse(b, OFFSET + 1, len)).isNull();
            assertThat(StunMessage.parse(b, b.capacity() - 4, 20)).isNull();
            byte first = b.getByte(OFFSET);
            b.setByte(OFFSET, 0x80); // RTP/DTLS range, not STUN
            assertThat(StunMessage.parse(b, OFFSET, len)).isNull();
            b.setByte(OFFSET, first);
            b.setByte(OFFSET + 4, 0); // cookie
            assertThat(StunMessage.parse(b, OFFSET, len)).isNull();
            b.setByte(OFFSET + 4, 0x21);
            b.setShort(OFFSET + 22, 0x99); // SOFTWARE overruns the message
            assertThat(StunMessage.parse(b, OFFSET, len)).isNull();
            b.setShort(OFFSET + 22, 0x10);
            assertThat(StunMessage.parse(b, OFFSET, len)).isNotNull();
            // every truncation of a valid message is rejected or parsed without throwing
            for (int cut = 0; cut <= len; cut++) {
                StunMessage m = StunMessage.parse(b, OFFSET, cut);
                if (m != null) {
                    m.username();
                    m.xorMappedAddress();
                    m.verifyIntegrity(PASSWORD);
                    m.verifyFingerprint();
                }
            }
        } finally {
            b.release();
        }
    }
}
