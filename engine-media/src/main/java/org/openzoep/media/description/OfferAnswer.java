package org.openzoep.media.description;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openzoep.media.description.NegotiationException.Failure;
import org.openzoep.media.srtp.DtlsRole;

/**
 * The offer/answer model (RFC 3264) for one audio line, in one place: what we offer, how we answer
 * an offer, and what an answer to our offer means. An answer lists our own format parameters,
 * never the offerer's (nothing we did not understand is echoed). Jingle (XEP-0167 section 6) and SIP follow the
 * same rules:
 * <ul>
 *   <li>Codecs: the answerer takes the first offered codec (the offerer's order) that its policy
 *       allows; Opus only at 48000 Hz (RFC 7587), PCMU and PCMA by name or by their RFC 3551
 *       static numbers 0 and 8 without a name.
 *   <li>Payload type numbers are per direction (RFC 3264 section 5.1): each side sends with the
 *       number the other side listed. The answer reuses the offerer's numbers; an answer from a
 *       peer that renumbers dynamic types is understood (RFC 4317 section 2.1).
 *   <li>Telephone events (RFC 4733): the one at the chosen codec's clock rate, or none.
 *   <li>Direction (RFC 3264 section 6.1): the answer reverses the offer's (sendonly is answered
 *       recvonly), narrowed by what the answerer wants.
 *   <li>DTLS role (RFC 5763 section 5): the offer says actpass; the answer says active (we are the
 *       DTLS client) or passive; an answer with actpass is a bad answer.
 *   <li>Security: DTLS-SRTP needs a fingerprint; without one, or for plain RTP, only where the
 *       policy allows plain RTP; SDES-SRTP (RFC 4568, suite AES_CM_128_HMAC_SHA1_80) only where
 *       the policy allows SDES.
 * </ul>
 *
 * <p>Pure functions; any thread.
 */
public final class OfferAnswer {

    /** The one SDES suite our SRTP implements (RFC 4568 section 6.2.1). */
    public static final String SDES_SUITE = "AES_CM_128_HMAC_SHA1_80";

    /** Opus as we offer it (RFC 7587 section 7: 48000/2, in-band FEC, 10 ms minimum packet). */
    public static final PayloadFormat OPUS =
            new PayloadFormat(111, "opus", 48000, 2, Map.of("useinbandfec", "1", "minptime", "10"));
    public static final PayloadFormat PCMU = new PayloadFormat(0, "PCMU", 8000, 1, Map.of());
    public static final PayloadFormat PCMA = new PayloadFormat(8, "PCMA", 8000, 1, Map.of());
    public static final PayloadFormat TELEPHONE_EVENT_48K =
            new PayloadFormat(101, PayloadFormat.TELEPHONE_EVENT, 48000, 1, Map.of("events", "0-15"));
    public static final PayloadFormat TELEPHONE_EVENT_8K =
            new PayloadFormat(126, PayloadFormat.TELEPHONE_EVENT, 8000, 1, Map.of("events", "0-15"));

    private OfferAnswer() {
    }

    /**
     * Our offer: the policy's codecs (Opus 111 useinbandfec=1 minptime=10, PCMU 0, PCMA 8) then
     * telephone-event 101/48000 and 126/8000 (events 0-15), rtcp-mux, SENDRECV. A DTLS
     * {@code local} without a setup offers actpass. For a hold re-offer, use
     * {@link MediaDescription#withDirection}.
     */
    public static MediaDescription offer(String mid, NegotiationPolicy policy, IceParameters ice,
            InetSocketAddress connection, Security local) {
        List<PayloadFormat> formats = new ArrayList<>();
        for (String c : policy.codecs()) {
            switch (c) {
                case "opus" -> addOnce(formats, OPUS);
                case "pcmu" -> addOnce(formats, PCMU);
                case "pcma" -> addOnce(formats, PCMA);
                default -> {
                    // a codec this engine does not implement is not offered
                }
            }
        }
        formats.add(TELEPHONE_EVENT_48K);
        formats.add(TELEPHONE_EVENT_8K);
        Security sec = local;
        if (sec instanceof Security.Dtls d && d.setup() == null) {
            sec = d.withSetup(DtlsSetup.ACTPASS);
        }
        return new MediaDescription(mid, "audio", formats, true, Direction.SENDRECV, ice, connection, sec);
    }

    private static void addOnce(List<PayloadFormat> formats, PayloadFormat f) {
        if (!formats.contains(f)) {
            formats.add(f);
        }
    }

    /** {@link #answer(MediaDescription, NegotiationPolicy, IceParameters, InetSocketAddress, Security, Direction)} wanting sendrecv. */
    public static Answer answer(MediaDescription offer, NegotiationPolicy policy, IceParameters ice,
            InetSocketAddress connection, Security local) throws NegotiationException {
        return answer(offer, policy, ice, connection, local, Direction.SENDRECV);
    }

    /**
     * The answerer: intersects (the first offered codec the policy allows, with the offerer's PT
     * numbers), picks telephone-event at the chosen codec's clock rate, the DTLS role (offer
     * actpass: we answer active and are the DTLS client; offer active: passive, server; offer
     * passive: active, client), and the direction (the offer's reversed, narrowed by
     * {@code wanted}, e.g. sendonly while we hold).
     *
     * @param ice our ICE credentials and candidates, used when the offer has ICE
     * @param connection our plain UDP address, used when the offer has none
     * @param local our security: a {@link Security.Dtls} with our fingerprint (its setup is
     *     replaced by the answer's), a {@link Security.Sdes} with our key (its tag and suite follow
     *     the chosen offered line), or {@link Security.Plain}
     */
    public static Answer answer(MediaDescription offer, NegotiationPolicy policy, IceParameters ice,
            InetSocketAddress connection, Security local, Direction wanted) throws NegotiationException {
        if (offer == null || !"audio".equalsIgnoreCase(offer.media())) {
            throw new NegotiationException(Failure.NO_AUDIO, "the offer has no audio"
                    + (offer == null ? "" : " (it offers " + offer.media() + ")"));
        }
        if (offer.rejected()) {
            throw new NegotiationException(Failure.NO_AUDIO, "the offer's audio line is disabled (port 0)");
        }
        boolean useIce = offer.ice() != null && ice != null;
        if (!useIce && (offer.connection() == null || connection == null)) {
            throw new NegotiationException(Failure.NO_AUDIO, offer.ice() == null && offer.connection() == null
                    ? "the offer has no audio over ICE-UDP or a UDP address"
                    : "the offer's transport (" + (offer.ice() != null ? "ICE" : "plain UDP")
                            + ") is not one this endpoint has");
        }

        // security before codecs, as the calls have always done: an insecure offer is refused as such
        Security remote = offer.security();
        Security answerSecurity;
        DtlsRole role = null;
        if (remote instanceof Security.Dtls d && d.fingerprint() != null) {
            if (!(local instanceof Security.Dtls ours)) {
                throw new NegotiationException(Failure.INSECURE, "the offer wants DTLS-SRTP; this endpoint answers "
                        + Security.describe(local));
            }
            DtlsSetup setup = d.setup() == null ? DtlsSetup.ACTPASS : d.setup();
            switch (setup) {
                case ACTPASS, PASSIVE -> {
                    role = DtlsRole.CLIENT;
                    answerSecurity = ours.withSetup(DtlsSetup.ACTIVE);
                }
                case ACTIVE -> {
                    role = DtlsRole.SERVER;
                    answerSecurity = ours.withSetup(DtlsSetup.PASSIVE);
                }
                default -> throw new NegotiationException(Failure.INSECURE,
                        "the offer holds the DTLS connection (setup holdconn), which this endpoint does not support");
            }
        } else if (remote instanceof Security.Sdes s) {
            if (!policy.allowSdes()) {
                throw new NegotiationException(Failure.INSECURE,
                        "the offer keys SRTP in the signalling (SDES), which is not allowed here");
            }
            SdesCrypto chosen = null;
            for (SdesCrypto c : s.crypto()) {
                if (SDES_SUITE.equalsIgnoreCase(c.suite()) && c.inlineKey() != null && c.sessionParams() == null) {
                    chosen = c;
                    break;
                }
            }
            if (chosen == null) {
                throw new NegotiationException(Failure.INSECURE, "the offer's SDES crypto suites ("
                        + suites(s) + ") do not include " + SDES_SUITE + " without session parameters");
            }
            if (!(local instanceof Security.Sdes ours) || ours.crypto().isEmpty()) {
                throw new NegotiationException(Failure.INSECURE, "the offer wants SDES-SRTP; this endpoint answers "
                        + Security.describe(local));
            }
            SdesCrypto key = ours.crypto().get(0);
            answerSecurity = new Security.Sdes(List.of(new SdesCrypto(chosen.tag(), chosen.suite(), key.keyParams(),
                    null)));
            remote = new Security.Sdes(List.of(chosen));
        } else {
            if (!policy.allowPlainRtp()) {
                throw new NegotiationException(Failure.INSECURE, remote instanceof Security.Dtls
                        ? "the offer has no DTLS fingerprint; unencrypted media is refused"
                        : "the offer is plain RTP; unencrypted media is refused");
            }
            remote = new Security.Plain();
            answerSecurity = new Security.Plain();
        }

        PayloadFormat codec = choose(offer.formats(), policy);
        if (codec == null) {
            throw new NegotiationException(Failure.NO_COMMON_CODEC, "no common codec: offered " + names(offer.formats())
                    + "; allowed here " + String.join(", ", policy.codecs()));
        }
        PayloadFormat event = telephoneEvent(offer.formats(), codec.clockRate());
        List<PayloadFormat> formats = new ArrayList<>();
        formats.add(ours(codec));
        if (event != null) {
            formats.add(ours(event));
        }
        Direction ours = narrow(offer.direction().reverse(), wanted == null ? Direction.SENDRECV : wanted);
        MediaDescription description = new MediaDescription(offer.mid(), offer.media(), formats, offer.rtcpMux(),
                ours, useIce ? ice : null, useIce ? null : connection, answerSecurity);
        Negotiated negotiated = new Negotiated(codec, codec.id(), event, remote, role, offer.rtcpMux(), ours,
                useIce ? offer.ice() : null, useIce ? null : offer.connection());
        return new Answer(description, negotiated);
    }

    /**
     * The answer that refuses an offered line (RFC 3264 section 6: port zero): no formats, no
     * transport, inactive. A signaller writes it as {@code m=audio 0} or leaves the content out.
     */
    public static MediaDescription reject(MediaDescription offer) {
        return new MediaDescription(offer.mid(), offer.media(), List.of(), offer.rtcpMux(), Direction.INACTIVE, null,
                null, new Security.Plain());
    }

    /**
     * The offerer, on the answer: checks it against our offer (codec among those offered, DTLS
     * setup active or passive, the security kind we offered) and gives the agreement. We send with
     * the answer's numbers and receive with those of our offer.
     */
    public static Negotiated complete(MediaDescription offer, MediaDescription answer, NegotiationPolicy policy)
            throws NegotiationException {
        if (answer == null || answer.rejected()) {
            throw new NegotiationException(Failure.NO_COMMON_CODEC, "the answer rejected the audio line"
                    + (answer == null ? "" : " (" + names(answer.formats()) + ")"));
        }
        if (!offer.media().equalsIgnoreCase(answer.media())) {
            throw new NegotiationException(Failure.BAD_ANSWER, "the answer is " + answer.media() + " to an "
                    + offer.media() + " offer");
        }
        boolean useIce = offer.ice() != null && answer.ice() != null;
        if (!useIce && (offer.connection() == null || answer.connection() == null)) {
            throw new NegotiationException(Failure.BAD_ANSWER, "the answer has neither ICE nor a UDP address we offered");
        }

        Security remote = answer.security();
        DtlsRole role = null;
        Security ourSecurity = offer.security();
        if (remote instanceof Security.Dtls d && d.fingerprint() != null) {
            if (!(ourSecurity instanceof Security.Dtls)) {
                throw new NegotiationException(Failure.BAD_ANSWER, "the answer uses DTLS-SRTP; we offered "
                        + Security.describe(ourSecurity));
            }
            DtlsSetup setup = d.setup() == null ? DtlsSetup.ACTIVE : d.setup();
            role = switch (setup) {
                case ACTIVE -> DtlsRole.SERVER;
                case PASSIVE -> DtlsRole.CLIENT;
                default -> throw new NegotiationException(Failure.BAD_ANSWER, "the answer's DTLS setup is "
                        + setup.wireName() + "; an answer must say active or passive (RFC 5763 section 5)");
            };
        } else if (remote instanceof Security.Sdes s) {
            if (!(ourSecurity instanceof Security.Sdes offered)) {
                throw new NegotiationException(Failure.BAD_ANSWER, "the answer uses SDES-SRTP; we offered "
                        + Security.describe(ourSecurity));
            }
            if (!policy.allowSdes()) {
                throw new NegotiationException(Failure.INSECURE, "SDES-SRTP is not allowed here");
            }
            if (s.crypto().size() != 1 || s.crypto().get(0).inlineKey() == null) {
                throw new NegotiationException(Failure.BAD_ANSWER, "the answer must carry exactly one crypto line "
                        + "with an inline key (RFC 4568 section 5.1.3); it has " + s.crypto().size());
            }
            SdesCrypto a = s.crypto().get(0);
            boolean match = false;
            for (SdesCrypto c : offered.crypto()) {
                match |= c.tag() == a.tag() && c.suite().equalsIgnoreCase(a.suite());
            }
            if (!match || !SDES_SUITE.equalsIgnoreCase(a.suite())) {
                throw new NegotiationException(Failure.BAD_ANSWER, "the answer's " + a + " matches no offered crypto line");
            }
        } else {
            if (!policy.allowPlainRtp()) {
                throw new NegotiationException(Failure.INSECURE, remote instanceof Security.Dtls
                        ? "the answer has no DTLS fingerprint; unencrypted media is refused"
                        : "the answer is plain RTP; unencrypted media is refused");
            }
            remote = new Security.Plain();
        }

        PayloadFormat codec = null;
        PayloadFormat mine = null;
        for (PayloadFormat a : answer.formats()) {
            PayloadFormat normal = allowed(a, policy);
            if (normal == null) {
                continue;
            }
            PayloadFormat o = find(offer.formats(), normal);
            if (o != null) {
                codec = normal;
                mine = o;
                break;
            }
        }
        if (codec == null) {
            throw new NegotiationException(Failure.NO_COMMON_CODEC, "the answer chose " + names(answer.formats())
                    + "; we offered " + names(offer.formats()));
        }
        PayloadFormat event = telephoneEvent(answer.formats(), codec.clockRate());
        PayloadFormat ourEvent = telephoneEvent(offer.formats(), codec.clockRate());
        if (ourEvent == null) {
            event = null;
        }
        Direction ours = narrow(answer.direction().reverse(), offer.direction());
        return new Negotiated(codec, mine.id(), event, remote, role, offer.rtcpMux() && answer.rtcpMux(), ours,
                useIce ? answer.ice() : null, useIce ? null : answer.connection(),
                event == null ? -1 : ourEvent.id());
    }

    // ------------------------------------------------------------------ rules

    /** The first format of {@code offered} the policy allows, normalised, with its offered number. */
    static PayloadFormat choose(List<PayloadFormat> offered, NegotiationPolicy policy) {
        for (PayloadFormat p : offered) {
            PayloadFormat f = allowed(p, policy);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    /**
     * The format as we use it if the policy allows it: Opus only at 48000 Hz, kept as offered;
     * PCMU/PCMA by name or by static number with no name, written out as PCMU/8000 or PCMA/8000.
     */
    static PayloadFormat allowed(PayloadFormat p, NegotiationPolicy policy) {
        if (p.isTelephoneEvent()) {
            return null;
        }
        String n = p.name() == null ? "" : p.name();
        if (n.equalsIgnoreCase("opus") && p.clockRate() == 48000 && policy.allows("opus")) {
            return p;
        }
        if ((n.equalsIgnoreCase("pcmu") || (n.isEmpty() && p.id() == 0)) && policy.allows("pcmu")) {
            return new PayloadFormat(p.id(), "PCMU", 8000, 1, Map.of());
        }
        if ((n.equalsIgnoreCase("pcma") || (n.isEmpty() && p.id() == 8)) && policy.allows("pcma")) {
            return new PayloadFormat(p.id(), "PCMA", 8000, 1, Map.of());
        }
        return null;
    }

    /**
     * A chosen offered format as our answer lists it: the offerer's number, name, rate and
     * channels with our own fmtp parameters (what we want to receive, RFC 7587 section 7 and RFC
     * 4733 section 2.4.1), never the offerer's: an answer echoes nothing it did not understand.
     */
    static PayloadFormat ours(PayloadFormat chosen) {
        Map<String, String> params = chosen.isTelephoneEvent() ? TELEPHONE_EVENT_48K.parameters()
                : "opus".equals(chosen.effectiveName()) ? OPUS.parameters() : Map.of();
        return new PayloadFormat(chosen.id(), chosen.name(), chosen.clockRate(), chosen.channels(), params);
    }

    /** The format in {@code list} that is the same codec as {@code codec} (Opus: any channel count). */
    private static PayloadFormat find(List<PayloadFormat> list, PayloadFormat codec) {
        for (PayloadFormat p : list) {
            if (p.sameCodec(codec) || ("opus".equals(codec.effectiveName()) && "opus".equals(p.effectiveName())
                    && p.clockRate() == codec.clockRate())) {
                return p;
            }
        }
        return null;
    }

    /** The telephone-event format at {@code clockRate}, or null. */
    static PayloadFormat telephoneEvent(List<PayloadFormat> formats, int clockRate) {
        for (PayloadFormat p : formats) {
            if (p.isTelephoneEvent() && p.clockRate() == clockRate) {
                return p;
            }
        }
        return null;
    }

    /** What both directions permit: sending if both send, receiving if both receive. */
    static Direction narrow(Direction a, Direction b) {
        return Direction.of(a.sends() && b.sends(), a.receives() && b.receives());
    }

    private static String names(List<PayloadFormat> formats) {
        StringBuilder sb = new StringBuilder();
        for (PayloadFormat p : formats) {
            sb.append(sb.length() == 0 ? "" : ", ").append(p);
        }
        return sb.length() == 0 ? "nothing" : sb.toString();
    }

    private static String suites(Security.Sdes s) {
        StringBuilder sb = new StringBuilder();
        for (SdesCrypto c : s.crypto()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.suite());
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }
}
