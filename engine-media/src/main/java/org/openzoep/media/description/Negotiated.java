package org.openzoep.media.description;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.openzoep.media.srtp.DtlsRole;

/**
 * The agreed media of one line, the input of a media path. Payload type numbers are per direction
 * (RFC 3264 section 5.1: the numbers in a description say what its sender expects to receive), so
 * we send with the remote's numbers and receive with ours; they differ when the answerer renumbers
 * dynamic types (RFC 4317 section 2.1).
 *
 * <p>Immutable; any thread.
 *
 * @param codec the codec; its id is the PT number we SEND with (the remote's number)
 * @param receivePayloadType the PT number we expect to RECEIVE the codec with (ours)
 * @param telephoneEvent telephone-event at the codec's clock rate, id = the number we send with;
 *     null when none was agreed
 * @param remoteSecurity the peer's fingerprint and setup, crypto line, or plain
 * @param dtlsRole our DTLS role; null unless DTLS
 * @param rtcpMux whether RTP and RTCP share the port (RFC 5761)
 * @param direction OUR direction: what we do (sendrecv; sendonly while we hold; recvonly while held)
 * @param remoteIce the peer's ICE credentials and candidates; null without ICE
 * @param remoteConnection the peer's RTP address; null with ICE
 * @param receiveTelephoneEventPayloadType the telephone-event number we RECEIVE with; -1 when none
 *     (an addition to the contract; the nine-argument constructor sets it to the sending number)
 */
public record Negotiated(
        PayloadFormat codec,
        int receivePayloadType,
        PayloadFormat telephoneEvent,
        Security remoteSecurity,
        DtlsRole dtlsRole,
        boolean rtcpMux,
        Direction direction,
        IceParameters remoteIce,
        InetSocketAddress remoteConnection,
        int receiveTelephoneEventPayloadType) {

    public Negotiated {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(remoteSecurity, "remoteSecurity");
        direction = direction == null ? Direction.SENDRECV : direction;
        if (telephoneEvent == null) {
            receiveTelephoneEventPayloadType = -1;
        }
    }

    /** The contract's shape: telephone events are received with the number they are sent with. */
    public Negotiated(PayloadFormat codec, int receivePayloadType, PayloadFormat telephoneEvent,
            Security remoteSecurity, DtlsRole dtlsRole, boolean rtcpMux, Direction direction,
            IceParameters remoteIce, InetSocketAddress remoteConnection) {
        this(codec, receivePayloadType, telephoneEvent, remoteSecurity, dtlsRole, rtcpMux, direction, remoteIce,
                remoteConnection, telephoneEvent == null ? -1 : telephoneEvent.id());
    }

    /** The same agreement with another direction of ours (hold, resume). */
    public Negotiated withDirection(Direction d) {
        return new Negotiated(codec, receivePayloadType, telephoneEvent, remoteSecurity, dtlsRole, rtcpMux, d,
                remoteIce, remoteConnection, receiveTelephoneEventPayloadType);
    }

    /** "opus/48000/2" without the number: the codec as the call statistics name it. */
    public String codecName() {
        String n = codec.name() == null || codec.name().isEmpty() ? codec.effectiveName().toUpperCase(java.util.Locale.ROOT)
                : codec.name();
        return n + "/" + codec.clockRate() + (codec.channels() > 1 ? "/" + codec.channels() : "");
    }
}
