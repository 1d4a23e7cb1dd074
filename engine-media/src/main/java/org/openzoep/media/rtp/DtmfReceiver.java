package org.openzoep.media.rtp;

/**
 * Receives RFC 4733 telephone events: reports each event once when it ends (the E bit, or a new
 * event starting before the end was seen), ignoring the retransmitted end packets.
 *
 * <p>Thread: the media network thread; the listener runs there too and must only hand off.
 * Buffers: the packet view is borrowed during {@link #receive}.
 */
public final class DtmfReceiver {

    /** Receives completed events on the network thread. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param event 0-15 for DTMF digits and A-D
         * @param durationTicks duration in timestamp units
         */
        void onEvent(int event, int durationTicks);
    }

    private final Listener listener;
    private boolean active;
    private boolean reported;
    private int timestamp;
    private int event;
    private int duration;
    private long malformed;
    private long events;

    public DtmfReceiver(Listener listener) {
        this.listener = listener;
    }

    /** Handles one valid RTP packet of the telephone-event payload type. */
    public void receive(RtpPacket packet) {
        if (packet.payloadLength() < 4) {
            malformed++;
            return;
        }
        int at = packet.payloadOffset();
        int ev = packet.buffer().getUnsignedByte(at);
        int flags = packet.buffer().getUnsignedByte(at + 1);
        int dur = packet.buffer().getUnsignedShort(at + 2);
        boolean end = (flags & 0x80) != 0;
        int ts = packet.timestamp();
        if (!active || ts != timestamp) {
            if (active && !reported) {
                // the end packets of the previous event were all lost
                fire(event, duration);
            }
            active = true;
            reported = false;
            timestamp = ts;
            event = ev;
            duration = 0;
        }
        if (reported) {
            return; // a retransmitted end packet
        }
        duration = Math.max(duration, dur);
        if (end) {
            fire(event, duration);
            reported = true;
        }
    }

    private void fire(int ev, int dur) {
        events++;
        listener.onEvent(ev, dur);
    }

    public long malformed() {
        return malformed;
    }

    public long events() {
        return events;
    }
}
