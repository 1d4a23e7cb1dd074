package org.openzoep;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.openzoep.xmpp.tls.TlsMode;

/**
 * Engine-local settings of one account: what the OpenZoep {@code configuration} iq carries (see
 * {@code docs/configuration.md}). Immutable; {@link #defaults()} then the {@code with...}
 * methods.
 *
 * @param serverHost   host to connect to instead of DNS SRV discovery, or null
 * @param serverPort   port to connect to (0: from SRV or the default)
 * @param tlsMode      STARTTLS (required) or Direct TLS
 * @param trustStore   PEM file of trusted CA certificates for private servers, or null for the JDK's
 * @param resource     default resource when the login names none, or null (server chooses)
 * @param audio        sound devices (used by calls)
 * @param codecs       codec preferences in order (used by calls)
 * @param stunServers  STUN servers for ICE (used by calls)
 * @param turnServers  TURN servers for ICE (used by calls)
 * @param pstn         phone-network provider for {@code unknown/#number} calls, or null
 * @param incomingCalls who may ring this account (XEP-0353 proposals and bare session-initiates)
 * @param sasl         how the account may authenticate ({@link Sasl#DEFAULT})
 */
public record AccountSettings(String serverHost, int serverPort, TlsMode tlsMode, Path trustStore, String resource,
        Audio audio, List<Codec> codecs, List<IceServer> stunServers, List<IceServer> turnServers, Pstn pstn,
        IncomingCalls incomingCalls, Sasl sasl) {

    public AccountSettings {
        Objects.requireNonNull(tlsMode, "tlsMode");
        Objects.requireNonNull(incomingCalls, "incomingCalls");
        Objects.requireNonNull(sasl, "sasl");
        Objects.requireNonNull(audio, "audio");
        codecs = List.copyOf(codecs);
        stunServers = List.copyOf(stunServers);
        turnServers = List.copyOf(turnServers);
        if (serverPort < 0 || serverPort > 65535) {
            throw new IllegalArgumentException("port out of range: " + serverPort);
        }
    }

    /** Sound devices by name ({@code default} when unset). */
    public record Audio(String capture, String playback) {
    }

    /** One codec preference with its optional parameters (null: the codec's default). */
    public record Codec(String name, Integer complexity, Integer bitrate, Boolean fec, Boolean dtx, Integer frameMs) {
    }

    /** A STUN or TURN server. */
    public record IceServer(String host, int port, String username, String password, String transport) {
    }

    /**
     * Who may ring this account (see {@code docs/api.md}, "Who may call"). Anyone else's call
     * is not rung and gets no answer that tells this device is online.
     */
    public enum IncomingCalls {
        /** Anyone (rate-limited per sender and in all). */
        EVERYONE,
        /** Contacts in the account's roster with a presence subscription ({@code to}, {@code from} or {@code both}). */
        ROSTER,
        /** Nobody: no incoming call rings. */
        NOBODY
    }

    /** A PSTN provider account. */
    public record Pstn(String provider, String username, String password) {
    }

    /**
     * Authentication rules (docs/configuration.md, {@code sasl}).
     *
     * @param plainAllowed           whether SASL PLAIN may be used (even then only over TLS and
     *                               only when the server offers no SCRAM)
     * @param channelBindingRequired log in only with SCRAM {@code -PLUS} (channel binding), so a
     *                               TLS-terminating man in the middle cannot authenticate as us
     * @param maxScramIterations     the highest SCRAM iteration count accepted from the server
     *                               (at least 4096)
     */
    public record Sasl(boolean plainAllowed, boolean channelBindingRequired, int maxScramIterations) {
        /** PLAIN allowed where safe, channel binding whenever possible, at most 1,000,000 iterations. */
        public static final Sasl DEFAULT = new Sasl(true, false, 1_000_000);

        public Sasl {
            if (maxScramIterations < 4096) {
                throw new IllegalArgumentException("maxScramIterations must be at least 4096, not " + maxScramIterations);
            }
        }
    }

    /** The same settings with other authentication rules. */
    public AccountSettings withSasl(Sasl sasl) {
        return new AccountSettings(serverHost, serverPort, tlsMode, trustStore, resource, audio, codecs, stunServers,
                turnServers, pstn, incomingCalls, sasl);
    }

    public static AccountSettings defaults() {
        return new AccountSettings(null, 0, TlsMode.STARTTLS, null, null, new Audio("default", "default"),
                List.of(new Codec("opus", null, null, null, null, null), new Codec("pcmu", null, null, null, null, null)),
                List.of(), List.of(), null, IncomingCalls.ROSTER, Sasl.DEFAULT);
    }

    public Optional<String> host() {
        return Optional.ofNullable(serverHost);
    }

    public AccountSettings withServer(String host, int port) {
        return new AccountSettings(host, port, tlsMode, trustStore, resource, audio, codecs, stunServers, turnServers, pstn,
                incomingCalls, sasl);
    }

    public AccountSettings withTls(TlsMode mode, Path trustStore) {
        return new AccountSettings(serverHost, serverPort, mode, trustStore, resource, audio, codecs, stunServers,
                turnServers, pstn, incomingCalls, sasl);
    }

    public AccountSettings withResource(String resource) {
        return new AccountSettings(serverHost, serverPort, tlsMode, trustStore, resource, audio, codecs, stunServers,
                turnServers, pstn, incomingCalls, sasl);
    }

    public AccountSettings withMedia(Audio audio, List<Codec> codecs, List<IceServer> stun, List<IceServer> turn, Pstn pstn) {
        return new AccountSettings(serverHost, serverPort, tlsMode, trustStore, resource, audio, codecs, stun, turn, pstn,
                incomingCalls, sasl);
    }

    /** Who may ring this account. */
    public AccountSettings withIncomingCalls(IncomingCalls who) {
        return new AccountSettings(serverHost, serverPort, tlsMode, trustStore, resource, audio, codecs, stunServers,
                turnServers, pstn, who, sasl);
    }
}
