package org.openzoep.internal.jingle;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openzoep.media.description.Direction;
import org.openzoep.media.description.DtlsSetup;
import org.openzoep.media.description.IceParameters;
import org.openzoep.media.description.MediaDescription;
import org.openzoep.media.description.PayloadFormat;
import org.openzoep.media.description.Security;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.xmpp.jingle.Candidate;
import org.openzoep.xmpp.jingle.Content;
import org.openzoep.xmpp.jingle.Fingerprint;
import org.openzoep.xmpp.jingle.IceUdpTransport;
import org.openzoep.xmpp.jingle.PayloadType;
import org.openzoep.xmpp.jingle.RtpDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jingle ↔ the session description model, both ways: a XEP-0166 {@code <content/>} with its
 * XEP-0167 RTP description (payload types with their parameters, telephone-event, rtcp-mux) and
 * XEP-0176 ICE-UDP transport (ufrag, pwd, candidates) with its XEP-0320 fingerprint and setup is
 * one {@link MediaDescription}; the content name is its mid. The content's {@code senders} maps to
 * the describer's {@link Direction} (it names initiator and responder, so the mapping needs to know
 * which one describes).
 *
 * <p>Lossless for what the engine supports; not carried: the RTP description's ssrc, unknown
 * extension elements, a candidate's network index and id (a candidate id is made from the
 * candidate, so the same candidate always has the same id).
 *
 * <p>Pure functions; any thread. Candidate addresses must be literals (a host name or an mDNS
 * {@code .local} name is not looked up: the candidate is left out, with a debug log), and one
 * transport yields at most {@value #MAX_CANDIDATES} candidates.
 */
public final class JingleMapping {
    private static final Logger LOG = LoggerFactory.getLogger(JingleMapping.class);

    /**
     * At most this many candidates are taken from one transport (the peer's first ones): the
     * checklist keeps no more remote candidates than this (RFC 8445 section 6.1.2.5), and a peer
     * must not make the engine hold more.
     */
    static final int MAX_CANDIDATES = 100;

    private JingleMapping() {
    }

    /**
     * The description of an RTP content; null when the content has no RTP description.
     *
     * @param describerIsInitiator whether the content comes from the session's initiator
     */
    public static MediaDescription toDescription(Content c, boolean describerIsInitiator) {
        RtpDescription rtp = c.description();
        if (rtp == null) {
            return null;
        }
        List<PayloadFormat> formats = new ArrayList<>();
        for (PayloadType p : rtp.payloadTypes()) {
            formats.add(new PayloadFormat(p.id(), p.name(), p.clockRate(), p.channels(), p.parameters()));
        }
        IceUdpTransport t = c.transport();
        IceParameters ice = t == null ? null : toIce(t);
        Security security = t == null || t.fingerprint() == null ? new Security.Plain()
                : new Security.Dtls(t.fingerprint().hash(), t.fingerprint().value(), DtlsSetup.of(t.fingerprint().setup()));
        return new MediaDescription(c.name(), rtp.media(), formats, rtp.rtcpMux(),
                direction(c.senders(), describerIsInitiator), ice, null, security);
    }

    /**
     * The content for a description.
     *
     * @param creator the content's creator as the session first named it (the peer's choice is kept)
     * @param name the content's name, likewise; null: the description's mid
     * @param describerIsInitiator whether we describe as the session's initiator
     */
    public static Content toContent(MediaDescription d, String creator, String name, boolean describerIsInitiator) {
        List<PayloadType> pts = new ArrayList<>();
        for (PayloadFormat f : d.formats()) {
            pts.add(new PayloadType(f.id(), f.name(), f.clockRate(), f.channels(), f.parameters()));
        }
        return new Content(creator, name != null ? name : d.mid(), senders(d.direction(), describerIsInitiator),
                new RtpDescription(d.media(), null, pts, d.rtcpMux()), toTransport(d.ice(), d.security()));
    }

    /** The ICE-UDP transport for our credentials, candidates and DTLS fingerprint (if any); null without ICE. */
    public static IceUdpTransport toTransport(IceParameters ice, Security security) {
        if (ice == null) {
            return null;
        }
        Fingerprint fp = security instanceof Security.Dtls d && d.fingerprint() != null
                ? new Fingerprint(d.hashFunction(), (d.setup() == null ? DtlsSetup.ACTPASS : d.setup()).wireName(),
                        d.fingerprint())
                : null;
        List<Candidate> cs = new ArrayList<>();
        for (IceCandidate c : ice.candidates()) {
            cs.add(toJingle(c));
        }
        return new IceUdpTransport(ice.ufrag(), ice.pwd(), fp, cs);
    }

    /**
     * The transport's credentials and its usable candidates (UDP, component 1, literal address),
     * at most {@value #MAX_CANDIDATES}, in the peer's order.
     */
    public static IceParameters toIce(IceUdpTransport t) {
        List<IceCandidate> cs = new ArrayList<>();
        for (Candidate c : t.candidates()) {
            if (cs.size() >= MAX_CANDIDATES) {
                LOG.debug("more than {} candidates in one transport; the rest are ignored", MAX_CANDIDATES);
                break;
            }
            IceCandidate ic = toIce(c);
            if (ic != null) {
                cs.add(ic);
            }
        }
        return new IceParameters(t.ufrag(), t.pwd(), cs);
    }

    /** The candidate, or null when the engine cannot use it (not UDP, not the RTP component, not a literal address). */
    public static IceCandidate toIce(Candidate c) {
        if (!"udp".equalsIgnoreCase(c.protocol()) || c.component() != 1) {
            return null;
        }
        try {
            InetSocketAddress addr = new InetSocketAddress(literal(c.ip()), c.port());
            InetSocketAddress rel = c.relAddr() == null || c.relPort() == null ? null
                    : new InetSocketAddress(literal(c.relAddr()), c.relPort());
            return new IceCandidate(c.foundation(), c.component(), "udp", c.priority(), addr,
                    IceCandidate.Type.of(c.type()), rel, c.generation());
        } catch (UnknownHostException | IllegalArgumentException e) {
            // a host name or an mDNS .local name (RFC 8445 and XEP-0176 want IP literals): never looked up
            LOG.debug("ignoring remote candidate {}: {}", c.id(), e.getMessage());
            return null;
        }
    }

    /** The Jingle candidate; its id is made from the candidate itself. */
    public static Candidate toJingle(IceCandidate c) {
        InetSocketAddress rel = c.related();
        String ip = c.address().getAddress().getHostAddress();
        String id = Integer.toHexString((c.foundation() + "/" + ip + ":" + c.address().getPort() + "/"
                + c.type().wireName()).hashCode());
        return new Candidate(c.component(), c.foundation(), c.generation(), id, ip, 0, c.address().getPort(),
                c.priority(), "udp", c.type().wireName(), rel == null ? null : rel.getAddress().getHostAddress(),
                rel == null ? null : rel.getPort());
    }

    /** XEP-0166 senders as the describer's direction. */
    static Direction direction(String senders, boolean describerIsInitiator) {
        if (senders == null) {
            return Direction.SENDRECV;
        }
        return switch (senders.toLowerCase(Locale.ROOT)) {
            case "none" -> Direction.INACTIVE;
            case "initiator" -> describerIsInitiator ? Direction.SENDONLY : Direction.RECVONLY;
            case "responder" -> describerIsInitiator ? Direction.RECVONLY : Direction.SENDONLY;
            default -> Direction.SENDRECV;
        };
    }

    /** The describer's direction as XEP-0166 senders. */
    static String senders(Direction d, boolean describerIsInitiator) {
        return switch (d) {
            case SENDRECV -> "both";
            case INACTIVE -> "none";
            case SENDONLY -> describerIsInitiator ? "initiator" : "responder";
            case RECVONLY -> describerIsInitiator ? "responder" : "initiator";
        };
    }

    /** A literal IPv4/IPv6 address without a lookup. */
    private static InetAddress literal(String ip) throws UnknownHostException {
        byte[] bytes = ip == null ? null : NetUtil.createByteArrayFromIpAddressString(ip);
        if (bytes == null) {
            throw new UnknownHostException("not a literal address: " + ip);
        }
        return InetAddress.getByAddress(bytes); // no lookup: the bytes are the address
    }
}
