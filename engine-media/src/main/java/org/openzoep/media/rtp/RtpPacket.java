package org.openzoep.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * A reusable, bounds-checked view of one RTP packet (RFC 3550 section 5.1) over
 * {@code (buffer, offset, length)}. {@link #wrap} validates the fixed header, the CSRC list, the
 * header extension (and every RFC 8285 element in it) and the padding against the packet length;
 * after a {@link Verdict#VALID} wrap every accessor reads inside the packet. Nothing is copied and
 * nothing allocated.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |           length              |  (if X)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        header extension                       |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            payload     ...  | padding | count |  (if P)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Header extensions (RFC 8285): profile {@code 0xBEDE} is the one-byte form (4-bit ID, 4-bit
 * length-minus-one), profiles {@code 0x1000-0x100F} the two-byte form (8-bit ID, 8-bit length).
 *
 * <p>Thread: confined to the thread that wraps it. Buffer: borrowed for as long as the view is
 * used; the view never retains or releases it.
 */
public final class RtpPacket {

    /** Outcome of {@link #wrap}; each non-valid verdict is a reason a packet is dropped. */
    public enum Verdict {
        VALID,
        /** Shorter than the 12-byte fixed header. */
        TRUNCATED,
        /** Version field is not 2. */
        BAD_VERSION,
        /** The CSRC list runs past the end. */
        CSRC_PAST_END,
        /** The header extension (its 4-byte header or its declared length) runs past the end. */
        EXTENSION_PAST_END,
        /** An RFC 8285 element inside the extension runs past the extension block. */
        BAD_EXTENSION_ELEMENT,
        /** Padding count is zero or longer than what follows the header. */
        BAD_PADDING
    }

    /** Fixed header length in bytes. */
    public static final int FIXED_HEADER = 12;
    /** RFC 8285 one-byte header profile. */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** RFC 8285 two-byte header profile (the low 4 bits are "appbits"). */
    public static final int TWO_BYTE_PROFILE = 0x1000;

    private ByteBuf buf;
    private int offset;
    private int length;
    private int csrcCount;
    private int extProfile = -1;
    private int extOffset;
    private int extLength;
    private int payloadOffset;
    private int payloadLength;
    private int foundExtensionLength;

    /**
     * Points this view at a packet and validates it.
     *
     * @param buffer borrowed; read with absolute gets, indices untouched
     * @return {@link Verdict#VALID} or the reason the packet is malformed (the view is then unusable)
     */
    public Verdict wrap(ByteBuf buffer, int offset, int length) {
        this.buf = buffer;
        this.offset = offset;
        this.length = length;
        this.extProfile = -1;
        if (length < FIXED_HEADER || offset < 0 || offset + length > buffer.writerIndex()) {
            return Verdict.TRUNCATED;
        }
        int b0 = buffer.getUnsignedByte(offset);
        if ((b0 >>> 6) != 2) {
            return Verdict.BAD_VERSION;
        }
        csrcCount = b0 & 0x0F;
        int pos = FIXED_HEADER + 4 * csrcCount;
        if (pos > length) {
            return Verdict.CSRC_PAST_END;
        }
        if ((b0 & 0x10) != 0) {
            if (pos + 4 > length) {
                return Verdict.EXTENSION_PAST_END;
            }
            int profile = buffer.getUnsignedShort(offset + pos);
            int words = buffer.getUnsignedShort(offset + pos + 2);
            int extStart = pos + 4;
            int extEnd = extStart + 4 * words;
            if (extEnd > length) {
                return Verdict.EXTENSION_PAST_END;
            }
            extProfile = profile;
            extOffset = offset + extStart;
            extLength = 4 * words;
            if (!elementsFit()) {
                return Verdict.BAD_EXTENSION_ELEMENT;
            }
            pos = extEnd;
        }
        int end = length;
        if ((b0 & 0x20) != 0) {
            int pad = buffer.getUnsignedByte(offset + length - 1);
            if (pad == 0 || pad > length - pos) {
                return Verdict.BAD_PADDING;
            }
            end -= pad;
        }
        payloadOffset = offset + pos;
        payloadLength = end - pos;
        return Verdict.VALID;
    }

    private boolean elementsFit() {
        int p = extOffset;
        int end = extOffset + extLength;
        if (extProfile == ONE_BYTE_PROFILE) {
            while (p < end) {
                int b = buf.getUnsignedByte(p);
                if (b == 0) { // padding byte
                    p++;
                    continue;
                }
                int id = b >>> 4;
                if (id == 15) { // reserved: stop processing (RFC 8285 section 4.2)
                    return true;
                }
                int len = (b & 0x0F) + 1;
                if (p + 1 + len > end) {
                    return false;
                }
                p += 1 + len;
            }
        } else if ((extProfile & 0xFFF0) == TWO_BYTE_PROFILE) {
            while (p < end) {
                int id = buf.getUnsignedByte(p);
                if (id == 0) {
                    p++;
                    continue;
                }
                if (p + 2 > end) {
                    return false;
                }
                int len = buf.getUnsignedByte(p + 1);
                if (p + 2 + len > end) {
                    return false;
                }
                p += 2 + len;
            }
        }
        return true;
    }

    /** The borrowed buffer this view reads. */
    public ByteBuf buffer() {
        return buf;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public boolean padding() {
        return (buf.getByte(offset) & 0x20) != 0;
    }

    public boolean hasExtension() {
        return extProfile >= 0;
    }

    public int csrcCount() {
        return csrcCount;
    }

    public boolean marker() {
        return (buf.getByte(offset + 1) & 0x80) != 0;
    }

    public int payloadType() {
        return buf.getByte(offset + 1) & 0x7F;
    }

    /** Sequence number, 0..65535. */
    public int sequenceNumber() {
        return buf.getUnsignedShort(offset + 2);
    }

    /** RTP timestamp as the raw 32 bits. */
    public int timestamp() {
        return buf.getInt(offset + 4);
    }

    public int ssrc() {
        return buf.getInt(offset + 8);
    }

    /** CSRC {@code index}, {@code 0 <= index < csrcCount()}. */
    public int csrc(int index) {
        if (index < 0 || index >= csrcCount) {
            throw new IndexOutOfBoundsException(index); // programming error, not packet content
        }
        return buf.getInt(offset + FIXED_HEADER + 4 * index);
    }

    /** Extension profile ("defined by profile" field), or -1 without an extension. */
    public int extensionProfile() {
        return extProfile;
    }

    /** Absolute index of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Payload length without padding. */
    public int payloadLength() {
        return payloadLength;
    }

    /**
     * Finds RFC 8285 extension element {@code id} (1..14 one-byte, 1..255 two-byte).
     *
     * @return absolute index of its data in {@link #buffer()}, length in
     *     {@link #foundExtensionLength()}; -1 when absent
     */
    public int findExtension(int id) {
        if (extProfile < 0) {
            return -1;
        }
        int p = extOffset;
        int end = extOffset + extLength;
        if (extProfile == ONE_BYTE_PROFILE) {
            while (p < end) {
                int b = buf.getUnsignedByte(p);
                if (b == 0) {
                    p++;
                    continue;
                }
                int eid = b >>> 4;
                if (eid == 15) {
                    return -1;
                }
                int len = (b & 0x0F) + 1;
                if (eid == id) {
                    foundExtensionLength = len;
                    return p + 1;
                }
                p += 1 + len;
            }
        } else if ((extProfile & 0xFFF0) == TWO_BYTE_PROFILE) {
            while (p < end) {
                int eid = buf.getUnsignedByte(p);
                if (eid == 0) {
                    p++;
                    continue;
                }
                int len = buf.getUnsignedByte(p + 1);
                if (eid == id) {
                    foundExtensionLength = len;
                    return p + 2;
                }
                p += 2 + len;
            }
        }
        return -1;
    }

    /** Length of the element last found by {@link #findExtension}. */
    public int foundExtensionLength() {
        return foundExtensionLength;
    }

    /**
     * RFC 6464 audio level carried in extension {@code id}.
     *
     * @return {@code level | (voice ? 0x80 : 0)} with level 0..127 in -dBov, or -1 when absent or
     *     of the wrong length
     */
    public int audioLevel(int id) {
        int at = findExtension(id);
        if (at < 0 || foundExtensionLength < 1) {
            return -1;
        }
        return buf.getUnsignedByte(at);
    }
}
