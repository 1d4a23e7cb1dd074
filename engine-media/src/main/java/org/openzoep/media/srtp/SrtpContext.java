package org.openzoep.media.srtp;

import io.netty.buffer.ByteBuf;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The RFC 3711 cryptographic context of ONE direction (every SSRC sent, or every SSRC received,
 * under one master key) for AES_CM_128_HMAC_SHA1_80: AES-128 counter mode, HMAC-SHA1 tags cut to
 * 80 bits, SRTCP with the same transforms and labels 3..5.
 *
 * <pre>
 * SRTP (section 3.1):                       SRTCP (section 3.4):
 * +--------------------------------+        +--------------------------------+
 * | RTP header (12 + 4*CC + ext)   |        | V P RC | PT | length | SSRC     |  8 bytes, clear
 * +--------------------------------+        +--------------------------------+
 * | payload, encrypted             |        | rest of the compound, encrypted|
 * +--------------------------------+        +--------------------------------+
 * | auth tag (10 bytes)            |        | E (1 bit) || SRTCP index (31)  |
 * +--------------------------------+        | auth tag (10 bytes)            |
 *   tag = HMAC(header..payload || ROC)      +--------------------------------+
 * </pre>
 *
 * <p>Thread: one event loop; no locking. Buffers: every method borrows; the packet is transformed
 * in place. Nothing is thrown per packet: a bad packet is left as it was, counted and reported by
 * the return value. Allocation: none per packet, except state for a new SSRC and a scratch array
 * that grows for a packet larger than any before.
 */
public final class SrtpContext {

    /** Length of the SRTP authentication tag (80 bits). */
    public static final int TAG_LENGTH = 10;
    /** What SRTCP appends: E || index (4 bytes) and the tag. */
    public static final int SRTCP_TRAILER_LENGTH = 4 + TAG_LENGTH;

    public static final int AUTH_FAILED = -1;
    public static final int REPLAYED = -2;
    public static final int MALFORMED = -3;

    /** SSRCs remembered per context; the least recently used is forgotten beyond this. */
    static final int MAX_STREAMS = 32;

    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;

    private final int windowSize;
    private final AesCounter rtpCipher;
    private final AesCounter rtcpCipher;
    private final HMac rtpMac;
    private final HMac rtcpMac;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;

    private final byte[] iv = new byte[16];
    private final byte[] roc = new byte[4];
    private final byte[] tag = new byte[20];
    private byte[] work = new byte[2048];

    private final SrtpStream[] streams = new SrtpStream[MAX_STREAMS];
    private int streamCount;
    private long useClock;

    private long authFailures;
    private long replayed;
    private long malformed;

    private SrtpContext(byte[] masterKey, byte[] masterSalt, int windowSize) {
        this.windowSize = windowSize;
        rtpCipher = new AesCounter(SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.RTP_ENCRYPTION, 16));
        rtcpCipher = new AesCounter(SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.RTCP_ENCRYPTION, 16));
        rtpMac = hmac(SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.RTP_AUTH, 20));
        rtcpMac = hmac(SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.RTCP_AUTH, 20));
        rtpSalt = SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.RTP_SALT, 14);
        rtcpSalt = SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.RTCP_SALT, 14);
    }

    /**
     * Creates a context.
     *
     * @param masterKey16 the 128-bit master key
     * @param masterSalt14 the 112-bit master salt
     * @param replayWindow packets remembered per SSRC for replay protection, 64..1024 (128 is a
     *     good default)
     */
    public static SrtpContext create(byte[] masterKey16, byte[] masterSalt14, int replayWindow) {
        if (masterKey16.length != 16 || masterSalt14.length != 14) {
            throw new IllegalArgumentException("AES_CM_128_HMAC_SHA1_80 needs a 16-byte key and a 14-byte salt");
        }
        if (replayWindow < 64 || replayWindow > 1024) {
            throw new IllegalArgumentException("replay window must be 64..1024, not " + replayWindow);
        }
        return new SrtpContext(masterKey16, masterSalt14, replayWindow);
    }

    /**
     * BouncyCastle's lightweight HMAC rather than {@code javax.crypto.Mac}: the JDK's
     * {@code doFinal(byte[], int)} allocates the digest array on every call (measured: 40 bytes a
     * packet), BouncyCastle's writes straight into ours and resets itself to the keyed state.
     */
    private static HMac hmac(byte[] key) {
        HMac mac = new HMac(new SHA1Digest());
        mac.init(new KeyParameter(key));
        return mac;
    }

    /**
     * Protects the RTP packet at {@code readerIndex..writerIndex} in place: encrypts the payload
     * and appends the 10-byte tag (growing the buffer with {@code ensureWritable} if needed).
     *
     * @param packet borrowed
     * @return true, or false if the packet is malformed or cannot grow, or if its sequence number
     *     lies before the SSRC's first one at ROC 0 (no receiver takes it; counted as
     *     {@linkplain #replayed replayed}); then it is untouched
     */
    public boolean protectRtp(ByteBuf packet) {
        int off = packet.readerIndex();
        int len = packet.readableBytes();
        int hdr = rtpHeaderLength(packet, off, len);
        if (hdr < 0 || packet.maxWritableBytes() < TAG_LENGTH) {
            malformed++;
            return false;
        }
        byte[] w = work(len + TAG_LENGTH);
        packet.getBytes(off, w, 0, len);
        int seq = ((w[2] & 0xFF) << 8) | (w[3] & 0xFF);
        int ssrc = getInt(w, 8);
        SrtpStream s = stream(ssrc);
        if (s == null) {
            s = addStream(ssrc, seq, true);
        }
        long index = s.estimate(seq);
        if (index < 0) {
            // a sequence number from before the first one sent, in the roll before roll 0: there
            // is no ROC -1, and the receiver drops it as too old. Sending it as roll 0 and moving
            // s_l up to it (as before) put every later packet a roll ahead of the receiver.
            replayed++;
            return false;
        }
        s.update(index);
        setIv(rtpSalt, ssrc, index);
        rtpCipher.apply(iv, w, hdr, len - hdr);
        putInt(roc, 0, (int) (index >>> 16));
        rtpMac.update(w, 0, len);
        rtpMac.update(roc, 0, 4);
        finishMac(rtpMac);
        packet.setBytes(off + hdr, w, hdr, len - hdr);
        packet.ensureWritable(TAG_LENGTH);
        packet.writeBytes(tag, 0, TAG_LENGTH);
        return true;
    }

    /**
     * Verifies (tag, then replay window of the SSRC) and decrypts the SRTP packet at
     * {@code (buf, offset, length)} in place.
     *
     * @param buf borrowed; on success the plaintext RTP packet is at {@code offset}
     * @return the plaintext length (the tag stripped), or {@link #AUTH_FAILED}, {@link #REPLAYED}
     *     or {@link #MALFORMED} (then the bytes are untouched)
     */
    public int unprotectRtp(ByteBuf buf, int offset, int length) {
        int authLen = length - TAG_LENGTH;
        int hdr = authLen < RTP_HEADER ? -1 : rtpHeaderLength(buf, offset, authLen);
        if (hdr < 0) {
            malformed++;
            return MALFORMED;
        }
        byte[] w = work(length);
        buf.getBytes(offset, w, 0, length);
        int seq = ((w[2] & 0xFF) << 8) | (w[3] & 0xFF);
        int ssrc = getInt(w, 8);
        SrtpStream s = stream(ssrc);
        long index = s == null ? seq : s.estimate(seq);
        if (s != null && s.rtpWindow.rejects(index)) {
            replayed++;
            return REPLAYED;
        }
        putInt(roc, 0, (int) (index >>> 16));
        rtpMac.update(w, 0, authLen);
        rtpMac.update(roc, 0, 4);
        finishMac(rtpMac);
        if (!tagMatches(w, authLen)) {
            authFailures++;
            return AUTH_FAILED;
        }
        setIv(rtpSalt, ssrc, index);
        rtpCipher.apply(iv, w, hdr, authLen - hdr);
        buf.setBytes(offset + hdr, w, hdr, authLen - hdr);
        if (s == null) {
            s = addStream(ssrc, seq, true);
        }
        s.update(index);
        s.rtpWindow.accept(index);
        return authLen;
    }

    /**
     * Protects the RTCP compound packet at {@code readerIndex..writerIndex} in place: encrypts
     * everything after the first 8 bytes (E = 1), appends E || SRTCP index and the tag.
     *
     * @param packet borrowed
     * @return true, or false if malformed or unable to grow (then untouched)
     */
    public boolean protectRtcp(ByteBuf packet) {
        int off = packet.readerIndex();
        int len = packet.readableBytes();
        if (len < RTCP_HEADER || (packet.getUnsignedByte(off) >>> 6) != 2
                || packet.maxWritableBytes() < SRTCP_TRAILER_LENGTH) {
            malformed++;
            return false;
        }
        byte[] w = work(len + SRTCP_TRAILER_LENGTH);
        packet.getBytes(off, w, 0, len);
        int ssrc = getInt(w, 4);
        SrtpStream s = stream(ssrc);
        if (s == null) {
            s = addStream(ssrc, 0, false);
        }
        int index = s.rtcpIndexOut;
        s.rtcpIndexOut = (index + 1) & 0x7FFFFFFF;
        setIv(rtcpSalt, ssrc, index);
        rtcpCipher.apply(iv, w, RTCP_HEADER, len - RTCP_HEADER);
        putInt(w, len, 0x80000000 | index);
        rtcpMac.update(w, 0, len + 4);
        finishMac(rtcpMac);
        System.arraycopy(tag, 0, w, len + 4, TAG_LENGTH);
        packet.setBytes(off + RTCP_HEADER, w, RTCP_HEADER, len - RTCP_HEADER);
        packet.ensureWritable(SRTCP_TRAILER_LENGTH);
        packet.writeBytes(w, len, SRTCP_TRAILER_LENGTH);
        return true;
    }

    /**
     * Verifies (tag, then replay window of the SRTCP index) and decrypts the SRTCP packet at
     * {@code (buf, offset, length)} in place.
     *
     * @param buf borrowed; on success the plaintext RTCP compound is at {@code offset}
     * @return the plaintext length (trailer stripped), or {@link #AUTH_FAILED}, {@link #REPLAYED}
     *     or {@link #MALFORMED}
     */
    public int unprotectRtcp(ByteBuf buf, int offset, int length) {
        int plainLen = length - SRTCP_TRAILER_LENGTH;
        if (plainLen < RTCP_HEADER || (buf.getUnsignedByte(offset) >>> 6) != 2) {
            malformed++;
            return MALFORMED;
        }
        byte[] w = work(length);
        buf.getBytes(offset, w, 0, length);
        int ssrc = getInt(w, 4);
        int eIndex = getInt(w, plainLen);
        int index = eIndex & 0x7FFFFFFF;
        SrtpStream s = stream(ssrc);
        if (s != null && s.rtcpWindow.rejects(index)) {
            replayed++;
            return REPLAYED;
        }
        rtcpMac.update(w, 0, plainLen + 4);
        finishMac(rtcpMac);
        if (!tagMatches(w, plainLen + 4)) {
            authFailures++;
            return AUTH_FAILED;
        }
        if (eIndex < 0) {
            setIv(rtcpSalt, ssrc, index);
            rtcpCipher.apply(iv, w, RTCP_HEADER, plainLen - RTCP_HEADER);
            buf.setBytes(offset + RTCP_HEADER, w, RTCP_HEADER, plainLen - RTCP_HEADER);
        }
        if (s == null) {
            s = addStream(ssrc, 0, false);
        }
        s.rtcpWindow.accept(index);
        return plainLen;
    }

    /** Packets whose tag did not verify. */
    public long authFailures() {
        return authFailures;
    }

    /**
     * Packets rejected by the replay window (seen, or older than the window, or from before the
     * SSRC's first packet); on the sending side, packets refused for the last reason.
     */
    public long replayed() {
        return replayed;
    }

    /** Packets too short or not RTP/RTCP version 2 (or that could not grow for the tag). */
    public long malformed() {
        return malformed;
    }

    /** The rollover counter of {@code ssrc}, or -1 if unknown (for tests). */
    long rolloverCounter(int ssrc) {
        SrtpStream s = stream(ssrc);
        return s == null ? -1 : s.roc;
    }

    /**
     * Length of the RTP header at {@code (buf, off)} within {@code len} bytes (fixed header, CSRCs,
     * extension), or -1 if it is not version 2 or does not fit.
     */
    private static int rtpHeaderLength(ByteBuf buf, int off, int len) {
        if (len < RTP_HEADER) {
            return -1;
        }
        int b0 = buf.getUnsignedByte(off);
        if ((b0 >>> 6) != 2) {
            return -1;
        }
        int hdr = RTP_HEADER + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (hdr + 4 > len) {
                return -1;
            }
            hdr += 4 + 4 * buf.getUnsignedShort(off + hdr + 2);
        }
        return hdr <= len ? hdr : -1;
    }

    private byte[] work(int size) {
        if (work.length < size) {
            work = new byte[Math.max(size, work.length * 2)];
        }
        return work;
    }

    /** IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16), RFC 3711 section 4.1.1. */
    private void setIv(byte[] salt, int ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[13 - i] ^= (byte) (index >>> (8 * i));
        }
    }

    private void finishMac(HMac mac) {
        mac.doFinal(tag, 0);
    }

    private boolean tagMatches(byte[] w, int at) {
        int diff = 0;
        for (int i = 0; i < TAG_LENGTH; i++) {
            diff |= tag[i] ^ w[at + i];
        }
        return diff == 0;
    }

    private SrtpStream stream(int ssrc) {
        for (int i = 0; i < streamCount; i++) {
            SrtpStream s = streams[i];
            if (s.ssrc == ssrc) {
                s.lastUsed = ++useClock;
                return s;
            }
        }
        return null;
    }

    private SrtpStream addStream(int ssrc, int firstSeq, boolean fromRtp) {
        SrtpStream s = new SrtpStream(ssrc, firstSeq, fromRtp, windowSize);
        s.lastUsed = ++useClock;
        if (streamCount < streams.length) {
            streams[streamCount++] = s;
        } else {
            int oldest = 0;
            for (int i = 1; i < streams.length; i++) {
                if (streams[i].lastUsed < streams[oldest].lastUsed) {
                    oldest = i;
                }
            }
            streams[oldest] = s;
        }
        return s;
    }

    private static int getInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
