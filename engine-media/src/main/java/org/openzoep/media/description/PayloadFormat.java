package org.openzoep.media.description;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One RTP payload format: an SDP {@code a=rtpmap}/{@code a=fmtp} pair (RFC 8866 section 6.6,
 * RFC 3551 for the static numbers) or a XEP-0167 {@code <payload-type/>} with its
 * {@code <parameter/>} children.
 *
 * <p>Immutable; any thread.
 *
 * @param id the payload type number, 0..127
 * @param name the encoding name ("opus", "PCMU", "telephone-event"); null or empty for a static
 *     type given by number only ({@code m=audio 49170 RTP/AVP 0} without {@code a=rtpmap})
 * @param clockRate the RTP clock rate in Hz (for a static type without a name: as RFC 3551 has it)
 * @param channels the channel count, 1 when not signalled
 * @param parameters the fmtp parameters (copied; never null)
 */
public record PayloadFormat(int id, String name, int clockRate, int channels, Map<String, String> parameters) {

    /** RFC 4733 telephone events. */
    public static final String TELEPHONE_EVENT = "telephone-event";

    public PayloadFormat {
        if (id < 0 || id > 127) {
            throw new IllegalArgumentException("payload type " + id + " is not in 0..127");
        }
        channels = channels <= 0 ? 1 : channels;
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /** True for RFC 4733 telephone-event. */
    public boolean isTelephoneEvent() {
        return TELEPHONE_EVENT.equalsIgnoreCase(name);
    }

    /**
     * True when both name the same codec: name (case-insensitive), clock rate and channels. A
     * format without a name stands for its RFC 3551 static type (0 is PCMU/8000, 8 is PCMA/8000).
     */
    public boolean sameCodec(PayloadFormat other) {
        return other != null && Objects.equals(effectiveName(), other.effectiveName())
                && clockRate == other.clockRate && channels == other.channels;
    }

    /** The lower-case name, or the RFC 3551 name of a static type given by number only; "" if unknown. */
    public String effectiveName() {
        if (name != null && !name.isEmpty()) {
            return name.toLowerCase(Locale.ROOT);
        }
        return switch (id) {
            case 0 -> "pcmu";
            case 8 -> "pcma";
            default -> "";
        };
    }

    /** "opus/48000/2", "PCMU/8000": the SDP rtpmap text, for messages. */
    @Override
    public String toString() {
        String n = name == null || name.isEmpty() ? effectiveName().toUpperCase(Locale.ROOT) : name;
        return id + " " + n + "/" + clockRate + (channels > 1 ? "/" + channels : "");
    }
}
