package org.openzoep.media.rtp;

import io.netty.buffer.ByteBuf;
import java.util.random.RandomGenerator;

/**
 * Writes outgoing RTP packets for one source: random initial sequence number, timestamp and SSRC
 * (RFC 3550 section 5.1), timestamps at the payload's clock rate (Opus: always 48 kHz, RFC 7587),
 * and optionally the RFC 6464 audio level in an RFC 8285 one-byte or two-byte header extension.
 *
 * <p>Thread: confined to the one thread that builds packets. Buffers: {@code out} is borrowed and
 * written at its writer index; payload arrays are borrowed and copied.
 */
public final class RtpSender {

    private final RandomGenerator random;
    private final int payloadType;
    private final int clockRate;
    private final int audioLevelId;
    private final boolean twoByteExtension;
    private int ssrc;
    private int sequence;
    private int timestamp;
    private long packetCount;
    private long octetCount;
    private int lastTimestampSent;
    private boolean sentSinceReport;

    /**
     * @param random source of the initial SSRC, sequence number and timestamp (use a
     *     {@code SecureRandom} in production, RFC 3550 section 8)
     * @param audioLevelId RFC 8285 extension ID negotiated for RFC 6464, or 0 for none
     * @param twoByteExtension use the two-byte header form (needed only for IDs above 14)
     */
    public RtpSender(RandomGenerator random, int payloadType, int clockRate, int audioLevelId, boolean twoByteExtension) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
        if (audioLevelId < 0 || audioLevelId > (twoByteExtension ? 255 : 14)) {
            throw new IllegalArgumentException("extension id " + audioLevelId);
        }
        this.random = random;
        this.payloadType = payloadType;
        this.clockRate = clockRate;
        this.audioLevelId = audioLevelId;
        this.twoByteExtension = twoByteExtension;
        this.ssrc = random.nextInt();
        this.sequence = random.nextInt(1 << 16);
        this.timestamp = random.nextInt();
    }

    public int ssrc() {
        return ssrc;
    }

    public int payloadType() {
        return payloadType;
    }

    public int clockRate() {
        return clockRate;
    }

    /** Sequence number the next packet gets. */
    public int nextSequence() {
        return sequence;
    }

    /** RTP timestamp the next audio frame gets. */
    public int timestamp() {
        return timestamp;
    }

    /** RTP timestamp of the last packet written (for sender reports). */
    public int lastTimestampSent() {
        return lastTimestampSent;
    }

    public long packetCount() {
        return packetCount;
    }

    /** Payload octets sent (RFC 3550 6.4.1: header and padding excluded). */
    public long octetCount() {
        return octetCount;
    }

    /** Whether a packet was sent since the last {@link #markReported()}. */
    public boolean sentSinceReport() {
        return sentSinceReport;
    }

    public void markReported() {
        sentSinceReport = false;
    }

    /**
     * Picks a new random SSRC after a collision (RFC 3550 section 8.2) and restarts the counts.
     *
     * @return the old SSRC, for which the caller sends a BYE
     */
    public int changeSsrc() {
        int old = ssrc;
        do {
            ssrc = random.nextInt();
        } while (ssrc == old);
        packetCount = 0;
        octetCount = 0;
        return old;
    }

    /** Skips {@code ticks} of timestamp without sending (DTX, or the duration of a DTMF event). */
    public void advanceTimestamp(int ticks) {
        timestamp += ticks;
    }

    /**
     * Writes one audio packet and advances the timestamp by {@code durationTicks}.
     *
     * @param out borrowed; the packet is appended at its writer index
     * @param payload borrowed; {@code length} bytes from {@code offset} are copied
     * @param audioLevel RFC 6464 level 0..127 (-dBov), ignored without a negotiated extension ID
     * @return bytes written
     */
    public int writeAudio(ByteBuf out, byte[] payload, int offset, int length, int durationTicks, boolean marker,
            int audioLevel, boolean voice) {
        int start = out.writerIndex();
        writeHeader(out, payloadType, marker, timestamp, audioLevel, voice);
        out.writeBytes(payload, offset, length);
        octetCount += length;
        timestamp += durationTicks;
        return out.writerIndex() - start;
    }

    /**
     * Writes the header of a packet with this source's SSRC and next sequence number, and counts
     * the packet. The caller appends the payload and adds its length with {@link #countPayload}.
     *
     * @param out borrowed; appended at its writer index
     * @param audioLevel RFC 6464 level, or -1 to write no extension
     */
    public void writeHeader(ByteBuf out, int pt, boolean marker, int rtpTimestamp, int audioLevel, boolean voice) {
        boolean ext = audioLevelId != 0 && audioLevel >= 0;
        out.writeByte(0x80 | (ext ? 0x10 : 0));
        out.writeByte((marker ? 0x80 : 0) | (pt & 0x7F));
        out.writeShort(sequence);
        out.writeInt(rtpTimestamp);
        out.writeInt(ssrc);
        if (ext) {
            int level = (Math.min(127, audioLevel)) | (voice ? 0x80 : 0);
            if (twoByteExtension) {
                out.writeShort(RtpPacket.TWO_BYTE_PROFILE); // appbits 0
                out.writeShort(1);
                out.writeByte(audioLevelId);
                out.writeByte(1);
                out.writeByte(level);
                out.writeByte(0); // padding to a 32-bit boundary
            } else {
                out.writeShort(RtpPacket.ONE_BYTE_PROFILE);
                out.writeShort(1);
                out.writeByte(audioLevelId << 4); // length field 0 = one byte of data
                out.writeByte(level);
                out.writeShort(0);
            }
        }
        sequence = (sequence + 1) & 0xFFFF;
        packetCount++;
        lastTimestampSent = rtpTimestamp;
        sentSinceReport = true;
    }

    /** Adds payload octets written after {@link #writeHeader} to the octet count. */
    public void countPayload(int length) {
        octetCount += length;
    }
}
