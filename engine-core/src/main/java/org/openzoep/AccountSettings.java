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
 */
public record AccountSettings(String serverHost, int serverPort, TlsMode tlsMode, Path trustStore, String resource,
        Audio audio, List<Codec> codecs, List<IceServer> stunServers, List<IceServer> turnServers, Pstn pstn,
        IncomingCalls incomingCalls) {

    public AccountSettings {
        Objects.requireNonNull(tlsMode, "tlsMode");
        Objects.requireNonNull(incomingCalls, "incomingCalls");
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

    public static AccountSettings defaults() {
        return new AccountSettings(null, 0, TlsMode.STARTTLS, null, null, new Audio("default", "default"),
                List.of(new Codec("opus", null, null, null, null, null), new Codec("pcmu", null, null, null, null, null)),
                List.of(), List.of(), null, IncomingCalls.ROSTER);
    }

    public Optional<String> host() {
        return Optional.ofNullable(serverHost);
    }

    public AccountSettings withServer(String host, int port) {
        return new AccountSettings(host, port, tlsMode, trustStore, resource, audio, codecs, stunServers, turnServers, pstn,
                incomingCalls);
    }

    public AccountSettings withTls(TlsMode mode, Path trustStore) {
        return new AccountSettings(serverHost, serverPort, mode, trustStore, resource, audio, codecs, stunServers,
                turnServers, pstn, incomingCalls);
    }

    public AccountSettings withResource(String resource) {
        return new AccountSettings(serverHost, serverPort, tlsMode, trustStore, resource, audio, codecs, stunServers,
                turnServers, pstn, incomingCalls);
    }

    public AccountSettings withMedia(Audio audio, List<Codec> codecs, List<IceServer> stun, List<IceServer> turn, Pstn pstn) {
        return new AccountSettings(serverHost, serverPort, tlsMode, trustStore, resource, audio, codecs, stun, turn, pstn,
                incomingCalls);
    }

    /** Who may ring this account. */
    public AccountSettings withIncomingCalls(IncomingCalls who) {
        return new AccountSettings(serverHost, serverPort, tlsMode, trustStore, resource, audio, codecs, stunServers,
                turnServers, pstn, who);
    }
}
