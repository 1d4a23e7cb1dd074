package org.openzoep.media.stun;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A STUN message (RFC 8489 section 5), parsed in place as a view over {@code (buffer, offset,
 * length)}; {@link #write} appends a new one to a buffer.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic Cookie                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Transaction ID (96 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Attributes: Type (16) | Length (16) | Value, padded to 4 bytes |
 * </pre>
 *
 * The message type interleaves the 12-bit method (M11..M0) and the 2-bit class (C1 C0):
 * {@code M11..M7 C1 M6..M4 C0 M3..M0}. The message length counts the bytes after the header.
 *
 * <p>Attributes after MESSAGE-INTEGRITY other than FINGERPRINT, and everything after FINGERPRINT,
 * are ignored (RFC 8489 section 14.5). Getters never throw: an absent or malformed attribute
 * reads as null, -1 or false.
 *
 * <p>Thread: confined to its creator. Buffers: borrows the buffer for the view's lifetime; never
 * moves its indices or releases it.
 */
public final class StunMessage {

    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;
    public static final int TRANSACTION_ID_LENGTH = 12;

    /** Classes (RFC 8489 section 5). */
    public static final int REQUEST = 0;
    public static final int INDICATION = 1;
    public static final int SUCCESS = 2;
    public static final int ERROR = 3;

    /** The Binding method. */
    public static final int BINDING = 0x001;

    /** Attribute types (RFC 8489 section 18.3, RFC 8445 section 16.1). */
    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int SOFTWARE = 0x8022;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;

    /** XORed into the CRC-32 of a FINGERPRINT ("STUN"). */
    public static final int FINGERPRINT_XOR = 0x5354554e;

    private static final int MI_LENGTH = 20;

    private final ByteBuf buf;
    private final int offset;
    /** Header plus body (the message length field plus 20); may be less than the datagram. */
    private final int length;
    /** Absolute offset of the MESSAGE-INTEGRITY attribute header, or -1. */
    private final int integrityAt;
    /** Absolute offset of the FINGERPRINT attribute header, or -1. */
    private final int fingerprintAt;
    /** Absolute end of the attributes that count (before any ignored ones). */
    private final int attributesEnd;

    private StunMessage(ByteBuf buf, int offset, int length, int integrityAt, int fingerprintAt, int attributesEnd) {
        this.buf = buf;
        this.offset = offset;
        this.length = length;
        this.integrityAt = integrityAt;
        this.fingerprintAt = fingerprintAt;
        this.attributesEnd = attributesEnd;
    }

    /**
     * Whether the datagram at {@code (buf, offset, length)} looks like STUN: first byte 0..3 (RFC
     * 7983), at least a header, the magic cookie, and a 4-aligned length that fits.
     *
     * @param buf borrowed
     */
    public static boolean isStun(ByteBuf buf, int offset, int length) {
        if (offset < 0 || length < HEADER_LENGTH || offset + length > buf.capacity()
                || (buf.getUnsignedByte(offset) & 0xC0) != 0) {
            return false;
        }
        int bodyLength = buf.getUnsignedShort(offset + 2);
        return buf.getInt(offset + 4) == MAGIC_COOKIE && (bodyLength & 3) == 0 && HEADER_LENGTH + bodyLength <= length;
    }

    /**
     * Parses the message at {@code (buf, offset, length)}; bytes after its message length are
     * ignored.
     *
     * @param buf borrowed for the lifetime of the view
     * @return the view, or null when it is not a well-formed STUN message (never throws)
     */
    public static StunMessage parse(ByteBuf buf, int offset, int length) {
        if (!isStun(buf, offset, length)) {
            return null;
        }
        int end = offset + HEADER_LENGTH + buf.getUnsignedShort(offset + 2);
        int at = offset + HEADER_LENGTH;
        int integrity = -1;
        int fingerprint = -1;
        int counted = end;
        while (at < end) {
            if (at + 4 > end) {
                return null;
            }
            int type = buf.getUnsignedShort(at);
            int len = buf.getUnsignedShort(at + 2);
            int next = at + 4 + ((len + 3) & ~3);
            if (next > end) {
                return null;
            }
            if (type == FINGERPRINT) {
                if (len != 4) {
                    return null;
                }
                fingerprint = at;
                if (counted == end) {
                    counted = next;
                }
                break;
            }
            if (integrity >= 0) {
                // attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored
                if (counted == end) {
                    counted = at;
                }
            } else if (type == MESSAGE_INTEGRITY) {
                if (len != MI_LENGTH) {
                    return null;
                }
                integrity = at;
            }
            at = next;
        }
        return new StunMessage(buf, offset, end - offset, integrity, fingerprint, counted);
    }

    /** The buffer this view reads (borrowed). */
    public ByteBuf buffer() {
        return buf;
    }

    public int offset() {
        return offset;
    }

    /** Header plus body in bytes. */
    public int length() {
        return length;
    }

    /** The 14-bit message type. */
    public int type() {
        return buf.getUnsignedShort(offset) & 0x3FFF;
    }

    /** The 12-bit method, e.g. {@link #BINDING}. */
    public int method() {
        return methodOf(type());
    }

    /** {@link #REQUEST}, {@link #INDICATION}, {@link #SUCCESS} or {@link #ERROR}. */
    public int messageClass() {
        return classOf(type());
    }

    public static int methodOf(int type) {
        return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    }

    public static int classOf(int type) {
        return ((type >> 4) & 1) | ((type >> 7) & 2);
    }

    /** The message type of {@code method} in class {@code cls}. */
    public static int typeOf(int method, int cls) {
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
                | ((cls & 1) << 4) | ((cls & 2) << 7);
    }

    /** A copy of the 12-byte transaction id. */
    public byte[] transactionId() {
        byte[] id = new byte[TRANSACTION_ID_LENGTH];
        buf.getBytes(offset + 8, id);
        return id;
    }

    /** Whether the transaction id equals {@code id} (no copy). */
    public boolean transactionIdEquals(byte[] id) {
        if (id.length != TRANSACTION_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < TRANSACTION_ID_LENGTH; i++) {
            if (buf.getByte(offset + 8 + i) != id[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The absolute offset of the first attribute of {@code type} that counts (its 4-byte header),
     * or -1.
     */
    public int find(int type) {
        int at = offset + HEADER_LENGTH;
        while (at < attributesEnd) {
            int t = buf.getUnsignedShort(at);
            int len = buf.getUnsignedShort(at + 2);
            if (t == type) {
                return at;
            }
            at += 4 + ((len + 3) & ~3);
        }
        return -1;
    }

    public boolean has(int type) {
        return find(type) >= 0;
    }

    /** The value length of the attribute whose header is at {@code at} (from {@link #find}). */
    public int valueLength(int at) {
        return buf.getUnsignedShort(at + 2);
    }

    /** The XOR-MAPPED-ADDRESS, or null. */
    public InetSocketAddress xorMappedAddress() {
        return address(find(XOR_MAPPED_ADDRESS), true);
    }

    /** The MAPPED-ADDRESS, or null. */
    public InetSocketAddress mappedAddress() {
        return address(find(MAPPED_ADDRESS), false);
    }

    private InetSocketAddress address(int at, boolean xor) {
        if (at < 0) {
            return null;
        }
        int len = valueLength(at);
        int v = at + 4;
        if (len < 4) {
            return null;
        }
        int family = buf.getUnsignedByte(v + 1);
        int size = family == 0x01 ? 4 : family == 0x02 ? 16 : -1;
        if (size < 0 || len < 4 + size) {
            return null;
        }
        int port = buf.getUnsignedShort(v + 2);
        byte[] addr = new byte[size];
        buf.getBytes(v + 4, addr);
        if (xor) {
            port ^= MAGIC_COOKIE >>> 16;
            for (int i = 0; i < size; i++) {
                // the first four bytes are XORed with the cookie, the rest with the transaction id
                addr[i] ^= buf.getByte(offset + 4 + i);
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** USERNAME as UTF-8, or null. */
    public String username() {
        return string(find(USERNAME));
    }

    /** SOFTWARE as UTF-8, or null. */
    public String software() {
        return string(find(SOFTWARE));
    }

    private String string(int at) {
        return at < 0 ? null : buf.toString(at + 4, valueLength(at), StandardCharsets.UTF_8);
    }

    /** The ERROR-CODE number (e.g. 487), or -1. */
    public int errorCode() {
        int at = find(ERROR_CODE);
        if (at < 0 || valueLength(at) < 4) {
            return -1;
        }
        return (buf.getUnsignedByte(at + 6) & 0x07) * 100 + buf.getUnsignedByte(at + 7);
    }

    /** The ERROR-CODE reason phrase, or null. */
    public String errorReason() {
        int at = find(ERROR_CODE);
        if (at < 0 || valueLength(at) < 4) {
            return null;
        }
        return buf.toString(at + 8, valueLength(at) - 4, StandardCharsets.UTF_8);
    }

    /** PRIORITY (an unsigned 32-bit value), or -1. */
    public long priority() {
        int at = find(PRIORITY);
        return at < 0 || valueLength(at) != 4 ? -1 : buf.getUnsignedInt(at + 4);
    }

    public boolean useCandidate() {
        return has(USE_CANDIDATE);
    }

    /** The ICE-CONTROLLING tie-breaker; check {@link #has} first (0 when absent). */
    public long iceControlling() {
        return tieBreaker(ICE_CONTROLLING);
    }

    /** The ICE-CONTROLLED tie-breaker; check {@link #has} first (0 when absent). */
    public long iceControlled() {
        return tieBreaker(ICE_CONTROLLED);
    }

    private long tieBreaker(int type) {
        int at = find(type);
        return at < 0 || valueLength(at) != 8 ? 0 : buf.getLong(at + 4);
    }

    public boolean hasMessageIntegrity() {
        return integrityAt >= 0;
    }

    public boolean hasFingerprint() {
        return fingerprintAt >= 0;
    }

    /** Verifies MESSAGE-INTEGRITY with an HMAC-SHA1 key (short-term: the password's UTF-8). */
    public boolean verifyIntegrity(byte[] key) {
        return integrityAt >= 0 && verifyIntegrity(hmac(key));
    }

    /**
     * Verifies MESSAGE-INTEGRITY with a keyed HMAC-SHA1 (reset and reused; confined to the
     * caller's thread). False when absent.
     */
    public boolean verifyIntegrity(Mac mac) {
        if (integrityAt < 0) {
            return false;
        }
        mac.reset();
        // the length field covers the message up to and including MESSAGE-INTEGRITY
        byte[] header = new byte[HEADER_LENGTH];
        buf.getBytes(offset, header);
        int adjusted = integrityAt + 4 + MI_LENGTH - offset - HEADER_LENGTH;
        header[2] = (byte) (adjusted >> 8);
        header[3] = (byte) adjusted;
        mac.update(header);
        mac.update(buf.nioBuffer(offset + HEADER_LENGTH, integrityAt - offset - HEADER_LENGTH));
        byte[] expected = mac.doFinal();
        byte[] actual = new byte[MI_LENGTH];
        buf.getBytes(integrityAt + 4, actual);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Verifies FINGERPRINT; false when absent. */
    public boolean verifyFingerprint() {
        if (fingerprintAt < 0) {
            return false;
        }
        byte[] header = new byte[HEADER_LENGTH];
        buf.getBytes(offset, header);
        int adjusted = fingerprintAt + 8 - offset - HEADER_LENGTH;
        header[2] = (byte) (adjusted >> 8);
        header[3] = (byte) adjusted;
        CRC32 crc = new CRC32();
        crc.update(header);
        crc.update(buf.nioBuffer(offset + HEADER_LENGTH, fingerprintAt - offset - HEADER_LENGTH));
        return ((int) crc.getValue() ^ FINGERPRINT_XOR) == buf.getInt(fingerprintAt + 4);
    }

    /** A keyed HMAC-SHA1 for {@link #verifyIntegrity(Mac)} and {@link Writer#messageIntegrity(Mac)}. */
    public static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
        }
    }

    /** The short-term credential key of a password (RFC 8489 section 9.1.1; ICE passwords are ASCII). */
    public static byte[] shortTermKey(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return String.format("STUN[method 0x%03x class %d length %d]", method(), messageClass(), length);
    }

    /**
     * Starts a message at {@code out}'s writer index.
     *
     * @param out borrowed; the message is appended at its writer index
     * @param transactionId 12 bytes
     */
    public static Writer write(ByteBuf out, int method, int cls, byte[] transactionId) {
        if (transactionId.length != TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("a transaction id has 12 bytes");
        }
        return new Writer(out, method, cls, transactionId);
    }

    /**
     * Appends one STUN message: attributes in call order, the header length kept current;
     * {@link #messageIntegrity} then {@link #fingerprint} come last.
     *
     * <p>Thread: confined. Buffers: borrows the output buffer.
     */
    public static final class Writer {
        private final ByteBuf out;
        private final int start;

        private Writer(ByteBuf out, int method, int cls, byte[] txId) {
            this.out = out;
            this.start = out.writerIndex();
            out.writeShort(typeOf(method, cls));
            out.writeShort(0);
            out.writeInt(MAGIC_COOKIE);
            out.writeBytes(txId);
        }

        private void begin(int type, int length) {
            out.writeShort(type);
            out.writeShort(length);
        }

        private Writer end() {
            while (((out.writerIndex() - start) & 3) != 0) {
                out.writeByte(0);
            }
            out.setShort(start + 2, out.writerIndex() - start - HEADER_LENGTH);
            return this;
        }

        /** An attribute with a raw value. */
        public Writer attribute(int type, byte[] value) {
            begin(type, value.length);
            out.writeBytes(value);
            return end();
        }

        public Writer mappedAddress(InetSocketAddress address) {
            return address(MAPPED_ADDRESS, address, false);
        }

        public Writer xorMappedAddress(InetSocketAddress address) {
            return address(XOR_MAPPED_ADDRESS, address, true);
        }

        private Writer address(int type, InetSocketAddress address, boolean xor) {
            byte[] addr = address.getAddress().getAddress();
            begin(type, 4 + addr.length);
            out.writeByte(0);
            out.writeByte(address.getAddress() instanceof Inet4Address ? 0x01 : 0x02);
            int port = address.getPort();
            if (xor) {
                port ^= MAGIC_COOKIE >>> 16;
                for (int i = 0; i < addr.length; i++) {
                    addr[i] ^= out.getByte(start + 4 + i);
                }
            }
            out.writeShort(port);
            out.writeBytes(addr);
            return end();
        }

        public Writer username(String username) {
            return attribute(USERNAME, username.getBytes(StandardCharsets.UTF_8));
        }

        public Writer software(String software) {
            return attribute(SOFTWARE, software.getBytes(StandardCharsets.UTF_8));
        }

        /** ERROR-CODE, e.g. {@code 487, "Role Conflict"}. */
        public Writer errorCode(int code, String reason) {
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            begin(ERROR_CODE, 4 + r.length);
            out.writeShort(0);
            out.writeByte(code / 100);
            out.writeByte(code % 100);
            out.writeBytes(r);
            return end();
        }

        public Writer priority(long priority) {
            begin(PRIORITY, 4);
            out.writeInt((int) priority);
            return end();
        }

        public Writer useCandidate() {
            begin(USE_CANDIDATE, 0);
            return end();
        }

        public Writer iceControlling(long tieBreaker) {
            begin(ICE_CONTROLLING, 8);
            out.writeLong(tieBreaker);
            return end();
        }

        public Writer iceControlled(long tieBreaker) {
            begin(ICE_CONTROLLED, 8);
            out.writeLong(tieBreaker);
            return end();
        }

        public Writer messageIntegrity(byte[] key) {
            return messageIntegrity(hmac(key));
        }

        /** MESSAGE-INTEGRITY over everything so far, with a keyed HMAC-SHA1 (reset and reused). */
        public Writer messageIntegrity(Mac mac) {
            out.setShort(start + 2, out.writerIndex() - start - HEADER_LENGTH + 4 + MI_LENGTH);
            mac.reset();
            mac.update(out.nioBuffer(start, out.writerIndex() - start));
            byte[] h = mac.doFinal();
            begin(MESSAGE_INTEGRITY, MI_LENGTH);
            out.writeBytes(h);
            return end();
        }

        /** FINGERPRINT over everything so far; call last. */
        public Writer fingerprint() {
            out.setShort(start + 2, out.writerIndex() - start - HEADER_LENGTH + 8);
            CRC32 crc = new CRC32();
            crc.update(out.nioBuffer(start, out.writerIndex() - start));
            begin(FINGERPRINT, 4);
            out.writeInt((int) crc.getValue() ^ FINGERPRINT_XOR);
            return end();
        }

        /** Bytes written so far. */
        public int length() {
            return out.writerIndex() - start;
        }
    }
}
