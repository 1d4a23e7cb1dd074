package org.openzoep.internal.xmlapi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.openzoep.AccountSettings;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * The {@code configuration} iq payload ({@value XmlApi#CONFIG_NS}), read strictly: an unknown
 * element or attribute, a bad number or a missing file is an error naming it, so a typo never
 * passes silently. The schema is documented in {@code docs/configuration.md}.
 *
 * <p>Thread: stateless.
 */
final class ConfigurationXml {
    private ConfigurationXml() {
    }

    private static final Set<String> SERVER = Set.of("host", "port");
    private static final Set<String> TLS = Set.of("mode", "trust-store");
    private static final Set<String> AUDIO = Set.of("capture", "playback");
    private static final Set<String> CODEC = Set.of("name", "complexity", "bitrate", "fec", "dtx", "frame-ms");
    private static final Set<String> ICE = Set.of("host", "port", "username", "password", "transport");
    private static final Set<String> PSTN = Set.of("provider", "username", "password");
    private static final Set<String> CODECS = Set.of("opus", "pcmu", "pcma");
    private static final Set<String> INCOMING_CALLS = Set.of("from");
    private static final Set<String> SASL = Set.of("plain", "channel-binding", "max-iterations");

    /** The settings after applying {@code config} to {@code base}. */
    static AccountSettings apply(AccountSettings base, XmlElement config) {
        if (config.attrCount() > 0) {
            throw new IllegalArgumentException("unknown configuration attribute '" + config.attrName(0) + "'");
        }
        AccountSettings s = base;
        AccountSettings.Audio audio = base.audio();
        List<AccountSettings.Codec> codecs = null;
        List<AccountSettings.IceServer> stun = null;
        List<AccountSettings.IceServer> turn = null;
        AccountSettings.Pstn pstn = base.pstn();
        for (int i = 0; i < config.childCount(); i++) {
            Object child = config.child(i);
            if (child instanceof String text) {
                if (!text.isBlank()) {
                    throw new IllegalArgumentException("unexpected text in configuration: '" + text.trim() + "'");
                }
                continue;
            }
            XmlElement e = (XmlElement) child;
            if (!e.namespace().equals(XmlApi.CONFIG_NS)) {
                throw new IllegalArgumentException("unknown configuration setting {" + e.namespace() + "}" + e.name());
            }
            switch (e.name()) {
                case "server" -> {
                    check(e, SERVER);
                    s = s.withServer(e.attr("host"), e.attr("port") == null ? 0 : number(e, "port", 1, 65535));
                }
                case "tls" -> {
                    check(e, TLS);
                    TlsMode mode = s.tlsMode();
                    String m = e.attr("mode");
                    if (m != null) {
                        mode = switch (m) {
                            case "starttls" -> TlsMode.STARTTLS;
                            case "direct" -> TlsMode.DIRECT_TLS;
                            default -> throw new IllegalArgumentException(
                                    "tls mode must be 'starttls' or 'direct', not '" + m + "'");
                        };
                    }
                    Path trust = s.trustStore();
                    String ts = e.attr("trust-store");
                    if (ts != null) {
                        trust = Path.of(ts);
                        if (!Files.isReadable(trust)) {
                            throw new IllegalArgumentException("trust store '" + ts + "' is not a readable file");
                        }
                    }
                    s = s.withTls(mode, trust);
                }
                case "resource" -> {
                    check(e, Set.of());
                    String r = e.text().trim();
                    s = s.withResource(r.isEmpty() ? null : r);
                }
                case "audio" -> {
                    check(e, AUDIO);
                    audio = new AccountSettings.Audio(or(e.attr("capture"), audio.capture()),
                            or(e.attr("playback"), audio.playback()));
                    // both devices, or both files/none: refused here rather than when a call rings
                    org.openzoep.CallAudio.parse(audio.capture(), audio.playback());
                }
                case "codec" -> {
                    check(e, CODEC);
                    String name = e.attr("name");
                    if (name == null || !CODECS.contains(name.toLowerCase(Locale.ROOT))) {
                        throw new IllegalArgumentException("codec name must be one of " + CODECS + ", not '" + name + "'");
                    }
                    if (codecs == null) {
                        codecs = new ArrayList<>();
                    }
                    codecs.add(new AccountSettings.Codec(name.toLowerCase(Locale.ROOT),
                            optNumber(e, "complexity", 0, 10), optNumber(e, "bitrate", 6000, 510000),
                            bool(e, "fec"), bool(e, "dtx"), optNumber(e, "frame-ms", 10, 60)));
                }
                case "stun", "turn" -> {
                    check(e, ICE);
                    if (e.attr("host") == null) {
                        throw new IllegalArgumentException(e.name() + " needs a host");
                    }
                    AccountSettings.IceServer server = new AccountSettings.IceServer(e.attr("host"),
                            e.attr("port") == null ? 3478 : number(e, "port", 1, 65535), e.attr("username"),
                            e.attr("password"), or(e.attr("transport"), "udp"));
                    if (e.name().equals("stun")) {
                        stun = add(stun, server);
                    } else {
                        turn = add(turn, server);
                    }
                }
                case "pstn" -> {
                    check(e, PSTN);
                    if (e.attr("provider") == null) {
                        throw new IllegalArgumentException("pstn needs a provider");
                    }
                    pstn = new AccountSettings.Pstn(e.attr("provider"), e.attr("username"), e.attr("password"));
                }
                case "incoming-calls" -> {
                    check(e, INCOMING_CALLS);
                    String from = e.attr("from");
                    AccountSettings.IncomingCalls who = switch (from == null ? "" : from) {
                        case "everyone" -> AccountSettings.IncomingCalls.EVERYONE;
                        case "roster" -> AccountSettings.IncomingCalls.ROSTER;
                        case "nobody" -> AccountSettings.IncomingCalls.NOBODY;
                        default -> throw new IllegalArgumentException(
                                "incoming-calls from must be 'everyone', 'roster' or 'nobody', not '" + from + "'");
                    };
                    s = s.withIncomingCalls(who);
                }
                case "sasl" -> s = s.withSasl(sasl(e, s.sasl()));
                default -> throw new IllegalArgumentException("unknown configuration setting '" + e.name() + "'");
            }
        }
        return s.withMedia(audio, codecs == null ? s.codecs() : codecs, stun == null ? s.stunServers() : stun,
                turn == null ? s.turnServers() : turn, pstn);
    }

    /** {@code <sasl plain='allowed|forbidden' channel-binding='optional|required' max-iterations='N'/>}. */
    private static AccountSettings.Sasl sasl(XmlElement e, AccountSettings.Sasl old) {
        check(e, SASL);
        boolean plain = choice(e, "plain", "allowed", "forbidden", old.plainAllowed());
        boolean binding = !choice(e, "channel-binding", "optional", "required", !old.channelBindingRequired());
        int max = e.attr("max-iterations") == null ? old.maxScramIterations()
                : number(e, "max-iterations", 4096, Integer.MAX_VALUE);
        return new AccountSettings.Sasl(plain, binding, max);
    }

    private static boolean choice(XmlElement e, String attr, String yes, String no, boolean old) {
        String v = e.attr(attr);
        if (v == null) {
            return old;
        }
        if (v.equals(yes) || v.equals(no)) {
            return v.equals(yes);
        }
        throw new IllegalArgumentException(e.name() + " " + attr + " must be '" + yes + "' or '" + no + "', not '" + v + "'");
    }

    /** The settings as a configuration element (answer to a {@code get}); passwords are left out. */
    static XmlElement toElement(AccountSettings s) {
        String ns = XmlApi.CONFIG_NS;
        XmlElement.Builder b = XmlElement.builder("configuration", ns);
        XmlElement.Builder server = XmlElement.builder("server", ns);
        if (s.serverHost() != null) {
            server.attr("host", s.serverHost());
        }
        if (s.serverPort() > 0) {
            server.attr("port", Integer.toString(s.serverPort()));
        }
        b.child(server.build());
        XmlElement.Builder tls = XmlElement.builder("tls", ns)
                .attr("mode", s.tlsMode() == TlsMode.DIRECT_TLS ? "direct" : "starttls");
        if (s.trustStore() != null) {
            tls.attr("trust-store", s.trustStore().toString());
        }
        b.child(tls.build());
        if (s.resource() != null) {
            b.textChild("resource", s.resource());
        }
        b.child(XmlElement.builder("audio", ns).attr("capture", s.audio().capture())
                .attr("playback", s.audio().playback()).build());
        for (AccountSettings.Codec c : s.codecs()) {
            b.child(XmlElement.builder("codec", ns).attr("name", c.name())
                    .attr("complexity", str(c.complexity())).attr("bitrate", str(c.bitrate()))
                    .attr("fec", str(c.fec())).attr("dtx", str(c.dtx())).attr("frame-ms", str(c.frameMs())).build());
        }
        for (AccountSettings.IceServer st : s.stunServers()) {
            b.child(XmlElement.builder("stun", ns).attr("host", st.host()).attr("port", Integer.toString(st.port())).build());
        }
        for (AccountSettings.IceServer t : s.turnServers()) {
            b.child(XmlElement.builder("turn", ns).attr("host", t.host()).attr("port", Integer.toString(t.port()))
                    .attr("username", t.username()).attr("transport", t.transport()).build());
        }
        b.child(XmlElement.builder("incoming-calls", ns)
                .attr("from", s.incomingCalls().name().toLowerCase(Locale.ROOT)).build());
        b.child(XmlElement.builder("sasl", ns).attr("plain", s.sasl().plainAllowed() ? "allowed" : "forbidden")
                .attr("channel-binding", s.sasl().channelBindingRequired() ? "required" : "optional")
                .attr("max-iterations", Integer.toString(s.sasl().maxScramIterations())).build());
        if (s.pstn() != null) {
            b.child(XmlElement.builder("pstn", ns).attr("provider", s.pstn().provider())
                    .attr("username", s.pstn().username()).build());
        }
        return b.build();
    }

    private static void check(XmlElement e, Set<String> allowed) {
        for (int i = 0; i < e.attrCount(); i++) {
            if (!e.attrNamespace(i).isEmpty() || !allowed.contains(e.attrName(i))) {
                throw new IllegalArgumentException("unknown attribute '" + e.attrName(i) + "' on configuration setting '"
                        + e.name() + "'");
            }
        }
        if (!allowed.isEmpty() || !e.name().equals("resource")) {
            for (XmlElement c : e.elements()) {
                throw new IllegalArgumentException("unknown configuration setting '" + e.name() + "/" + c.name() + "'");
            }
        }
    }

    private static int number(XmlElement e, String attr, int min, int max) {
        String v = e.attr(attr);
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(e.name() + " " + attr + " must be a number from " + min + " to " + max
                    + ", not '" + v + "'");
        }
    }

    private static Integer optNumber(XmlElement e, String attr, int min, int max) {
        return e.attr(attr) == null ? null : number(e, attr, min, max);
    }

    private static Boolean bool(XmlElement e, String attr) {
        String v = e.attr(attr);
        if (v == null) {
            return null;
        }
        return switch (v) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(e.name() + " " + attr + " must be true or false, not '" + v + "'");
        };
    }

    private static <T> List<T> add(List<T> list, T item) {
        List<T> l = list == null ? new ArrayList<>() : list;
        l.add(item);
        return l;
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
