/**
 * OpenZoep's media engine: RTP/RTCP, SRTP and DTLS-SRTP, ICE, codecs (Opus, G.711), the jitter
 * buffer, the conference mixer, the one media clock and the sound devices (PortAudio via JNA).
 *
 * <p>Exported to everyone: {@code device}, whose {@code AudioSource}/{@code AudioSink} an
 * application hands to a call. Exported only to engine-core: what the call layer builds a call
 * from — the session description and offer/answer ({@code description}), the per-leg media path
 * ({@code path}), the media clock ({@code clock}), the conference ({@code session}), ICE candidates,
 * WAV files, the quality figures and the DTLS role. Everything else (RTP, RTCP, SRTP, STUN, jitter,
 * mixing, codecs, transports) is internal. JNA reaches the two native bindings reflectively.
 * This module never sees the protocol modules (docs/architecture.md).
 */
module org.openzoep.media {
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires transitive io.netty.transport;
    requires com.sun.jna;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.tls;
    requires org.bouncycastle.util;
    requires org.slf4j;

    exports org.openzoep.media.device;
    exports org.openzoep.media.clock to org.openzoep.core;
    exports org.openzoep.media.description to org.openzoep.core;
    exports org.openzoep.media.device.wav to org.openzoep.core;
    exports org.openzoep.media.ice to org.openzoep.core;
    exports org.openzoep.media.path to org.openzoep.core;
    exports org.openzoep.media.quality to org.openzoep.core;
    exports org.openzoep.media.session to org.openzoep.core;
    exports org.openzoep.media.srtp to org.openzoep.core;

    opens org.openzoep.media.codec.opus to com.sun.jna;
    opens org.openzoep.media.device.portaudio to com.sun.jna;
}
