package org.openzoep.xmpp.jingle;

import java.util.List;

/** The XML namespaces of the Jingle XEPs this package implements, and the features to advertise. */
public final class JingleNamespaces {
    /** XEP-0166. */
    public static final String JINGLE = "urn:xmpp:jingle:1";
    /** XEP-0166 §9 error conditions. */
    public static final String ERRORS = "urn:xmpp:jingle:errors:1";
    /** XEP-0167. */
    public static final String RTP = "urn:xmpp:jingle:apps:rtp:1";
    /** XEP-0167 feature: audio. */
    public static final String RTP_AUDIO = "urn:xmpp:jingle:apps:rtp:audio";
    /** XEP-0167 §7 informational messages. */
    public static final String RTP_INFO = "urn:xmpp:jingle:apps:rtp:info:1";
    /** XEP-0167 §5 error conditions (crypto-required, invalid-crypto). */
    public static final String RTP_ERRORS = "urn:xmpp:jingle:apps:rtp:errors:1";
    /** XEP-0176. */
    public static final String ICE_UDP = "urn:xmpp:jingle:transports:ice-udp:1";
    /** XEP-0320. */
    public static final String DTLS = "urn:xmpp:jingle:apps:dtls:0";
    /** XEP-0353, the namespace of the current XEP and of deployed clients; the one we emit. */
    public static final String JMI = "urn:xmpp:jingle-message:0";
    /** XEP-0353 versions 0.4 and 0.5; parsed, never emitted on our own initiative. */
    public static final String JMI_1 = "urn:xmpp:jingle-message:1";
    /** XEP-0293 RTCP feedback (kept as extensions, not modelled). */
    public static final String RTCP_FB = "urn:xmpp:jingle:apps:rtp:rtcp-fb:0";
    /** XEP-0294 RTP header extensions (kept as extensions, not modelled). */
    public static final String HDREXT = "urn:xmpp:jingle:apps:rtp:rtp-hdrext:0";
    /** XEP-0334 message processing hints ({@code <store/>} on JMI messages). */
    public static final String HINTS = "urn:xmpp:hints";

    /** The XEP-0030 features an audio-calling client advertises. */
    public static final List<String> CALL_FEATURES = List.of(JINGLE, RTP, RTP_AUDIO, ICE_UDP, DTLS, JMI, RTP_INFO);

    private JingleNamespaces() {
    }

    /** True for either JMI namespace. */
    public static boolean isJmi(String namespace) {
        return JMI.equals(namespace) || JMI_1.equals(namespace);
    }
}
