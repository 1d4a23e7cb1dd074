package org.openzoep.media.description;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * One media line: an SDP {@code m=} section (RFC 8866 section 5.14) or one Jingle
 * {@code <content/>} with its RTP description (XEP-0167) and transport (XEP-0176, XEP-0320).
 *
 * <p>A line the answerer rejects (RFC 3264 section 6: port zero) is a line whose
 * {@link #connection} has port 0, or one without any format; see {@link #rejected()}.
 *
 * <p>Immutable; any thread.
 *
 * @param mid Jingle content name / SDP {@code a=mid}; may be null
 * @param media the media type, "audio"
 * @param formats payload formats in preference order, telephone-event entries included (copied)
 * @param rtcpMux RFC 5761 {@code a=rtcp-mux} / XEP-0167 {@code <rtcp-mux/>}
 * @param direction the sender's direction attribute (SENDRECV when none is signalled)
 * @param ice ICE credentials and candidates; null without ICE (a plain SIP peer)
 * @param connection the {@code c=} address and {@code m=} port for peers without ICE; else null
 * @param security DTLS fingerprint and setup, SDES crypto lines, or plain RTP
 */
public record MediaDescription(
        String mid,
        String media,
        List<PayloadFormat> formats,
        boolean rtcpMux,
        Direction direction,
        IceParameters ice,
        InetSocketAddress connection,
        Security security) {

    public MediaDescription {
        Objects.requireNonNull(media, "media");
        formats = formats == null ? List.of() : List.copyOf(formats);
        direction = direction == null ? Direction.SENDRECV : direction;
        security = security == null ? new Security.Plain() : security;
    }

    /** True for a line refused by its answerer: port 0 or no format at all (RFC 3264 section 6). */
    public boolean rejected() {
        return formats.isEmpty() || (connection != null && connection.getPort() == 0);
    }

    /** The formats that are not telephone-event, in order. */
    public List<PayloadFormat> codecs() {
        return formats.stream().filter(f -> !f.isTelephoneEvent()).toList();
    }

    /** This line with another direction. */
    public MediaDescription withDirection(Direction d) {
        return new MediaDescription(mid, media, formats, rtcpMux, d, ice, connection, security);
    }
}
