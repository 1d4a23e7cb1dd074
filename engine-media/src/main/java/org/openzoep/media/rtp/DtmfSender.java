package org.openzoep.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Sends RFC 4733 telephone events (DTMF) through an {@link RtpSender}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * One event is sent as packets every packet interval that share the event's start timestamp, the
 * first with the marker bit, each carrying the duration so far; the final packet has the E bit
 * and is sent three times (RFC 4733 section 2.5.1.4). The audio timestamp is the caller's to keep
 * running: it advances it by one packet interval for each packet sent in place of audio.
 *
 * <p>Thread: the thread that owns the {@link RtpSender}. Buffers: {@code out} borrowed.
 */
public final class DtmfSender {

    private final RtpSender sender;
    private final int payloadType;
    private final int packetTicks;
    private int event = -1;
    private int volume;
    private int startTimestamp;
    private int totalTicks;
    private int duration;
    private int endSent;
    private boolean first;

    /**
     * @param payloadType the negotiated telephone-event payload type
     * @param packetTicks timestamp ticks between event packets (e.g. 960 for 20 ms at 48 kHz)
     */
    public DtmfSender(RtpSender sender, int payloadType, int packetTicks) {
        this.sender = sender;
        this.payloadType = payloadType;
        this.packetTicks = packetTicks;
    }

    /**
     * Starts an event.
     *
     * @param event 0-9, 10 = '*', 11 = '#', 12-15 = A-D
     * @param volume 0..63, in -dBm0
     * @param durationTicks total duration in timestamp units (at most 65535)
     * @return false when an event is still being sent
     */
    public boolean start(int event, int volume, int durationTicks) {
        if (this.event >= 0) {
            return false;
        }
        if (event < 0 || event > 255 || volume < 0 || volume > 63 || durationTicks <= 0 || durationTicks > 0xFFFF) {
            throw new IllegalArgumentException("bad telephone event");
        }
        this.event = event;
        this.volume = volume;
        this.totalTicks = durationTicks;
        this.startTimestamp = sender.timestamp();
        this.duration = 0;
        this.endSent = 0;
        this.first = true;
        return true;
    }

    public boolean active() {
        return event >= 0;
    }

    /**
     * Writes the next packet of the current event, once per packet interval.
     *
     * @param out borrowed; appended at its writer index
     * @return false when there is no event to send (nothing written)
     */
    public boolean writeNext(ByteBuf out) {
        if (event < 0) {
            return false;
        }
        boolean end = false;
        if (duration < totalTicks) {
            duration = Math.min(totalTicks, duration + packetTicks);
        }
        if (duration >= totalTicks) {
            end = true;
        }
        sender.writeHeader(out, payloadType, first, startTimestamp, -1, false);
        first = false;
        out.writeByte(event);
        out.writeByte((end ? 0x80 : 0) | volume);
        out.writeShort(duration);
        sender.countPayload(4);
        if (end && ++endSent == 3) {
            event = -1;
        }
        return true;
    }
}
