package org.openzoep.xmpp.sasl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Chooses a SASL mechanism from the server's offer and creates it.
 *
 * <p>Rules of {@link #select(Collection, boolean, List)}:
 * <ol>
 *   <li>Only the supported mechanisms count: {@value #SCRAM_SHA_256}, {@value #SCRAM_SHA_1},
 *       {@value #PLAIN}. {@code -PLUS} (channel-binding) variants are never chosen.
 *   <li>The first mechanism of the client's preference order that the server offers wins
 *       (default {@link #DEFAULT_PREFERENCE}).
 *   <li>{@value #PLAIN} only on an encrypted stream, and never when the server offered a supported
 *       SCRAM mechanism, even one the preference leaves out: a server that offers SCRAM and
 *       PLAIN gets SCRAM or nothing, so a stripped offer cannot downgrade us to PLAIN.
 *   <li>Nothing acceptable: {@link SaslException} with
 *       {@link SaslException.Condition#NO_ACCEPTABLE_MECHANISM} and a message naming the offer.
 * </ol>
 *
 * <p>Stateless; safe from any thread.
 */
public final class SaslMechanisms {

    /** SCRAM with SHA-256 (RFC 7677). */
    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    /** SCRAM with SHA-1 (RFC 5802). */
    public static final String SCRAM_SHA_1 = "SCRAM-SHA-1";
    /** PLAIN (RFC 4616). */
    public static final String PLAIN = PlainMechanism.NAME;

    /** The default preference: strongest first. */
    public static final List<String> DEFAULT_PREFERENCE = List.of(SCRAM_SHA_256, SCRAM_SHA_1, PLAIN);

    /** Every mechanism this package implements. */
    public static final Set<String> SUPPORTED = Set.of(SCRAM_SHA_256, SCRAM_SHA_1, PLAIN);

    private SaslMechanisms() {
    }

    /** {@link #select(Collection, boolean, List)} with {@link #DEFAULT_PREFERENCE}. */
    public static String select(Collection<String> offered, boolean encrypted) throws SaslException {
        return select(offered, encrypted, DEFAULT_PREFERENCE);
    }

    /**
     * The best acceptable mechanism name.
     *
     * @param offered the names in the server's {@code <mechanisms/>}, in any order (surrounding
     *     whitespace ignored)
     * @param encrypted whether the stream is protected by TLS
     * @param preference supported names, most preferred first
     * @throws SaslException with {@link SaslException.Condition#NO_ACCEPTABLE_MECHANISM} when no
     *     offered mechanism is acceptable
     * @throws IllegalArgumentException when {@code preference} is empty or names an unsupported
     *     mechanism
     */
    public static String select(Collection<String> offered, boolean encrypted, List<String> preference)
            throws SaslException {
        Objects.requireNonNull(offered, "offered");
        checkPreference(preference);
        Set<String> offer = new LinkedHashSet<>();
        for (String name : offered) {
            if (name != null && !name.isBlank()) {
                offer.add(name.strip());
            }
        }
        if (offer.isEmpty()) {
            throw new SaslException(SaslException.Condition.NO_ACCEPTABLE_MECHANISM,
                    "the server offered no SASL mechanism");
        }
        boolean scramOffered = offer.contains(SCRAM_SHA_256) || offer.contains(SCRAM_SHA_1);
        List<String> refused = new ArrayList<>();
        for (String name : preference) {
            if (!offer.contains(name)) {
                continue;
            }
            if (name.equals(PLAIN)) {
                if (scramOffered) {
                    refused.add("PLAIN (the server offers SCRAM)");
                    continue;
                }
                if (!encrypted) {
                    refused.add("PLAIN (the stream is not encrypted)");
                    continue;
                }
            }
            return name;
        }
        throw new SaslException(SaslException.Condition.NO_ACCEPTABLE_MECHANISM,
                "no acceptable SASL mechanism: server offered " + offer + ", client accepts " + preference
                        + (refused.isEmpty() ? "" : ", refused " + refused));
    }

    /**
     * A new mechanism instance for one exchange.
     *
     * @param name a supported mechanism name, usually from {@link #select}
     * @param authcid the authentication identity (the JID's localpart)
     * @throws IllegalArgumentException when {@code name} is not supported
     */
    public static SaslMechanism create(String name, String authcid, String password) {
        switch (name) {
            case SCRAM_SHA_256:
                return ScramMechanism.sha256(authcid, password);
            case SCRAM_SHA_1:
                return ScramMechanism.sha1(authcid, password);
            case PLAIN:
                return new PlainMechanism(authcid, password);
            default:
                throw new IllegalArgumentException("unsupported SASL mechanism: " + name
                        + " (supported: " + DEFAULT_PREFERENCE + ")");
        }
    }

    /**
     * {@link #select(Collection, boolean, List)} then {@link #create(String, String, String)}.
     */
    public static SaslMechanism negotiate(Collection<String> offered, boolean encrypted, List<String> preference,
            String authcid, String password) throws SaslException {
        return create(select(offered, encrypted, preference), authcid, password);
    }

    private static void checkPreference(List<String> preference) {
        Objects.requireNonNull(preference, "preference");
        if (preference.isEmpty()) {
            throw new IllegalArgumentException("SASL preference is empty");
        }
        for (String name : preference) {
            if (!SUPPORTED.contains(name)) {
                throw new IllegalArgumentException("unsupported SASL mechanism in preference: " + name
                        + " (supported: " + DEFAULT_PREFERENCE + ")");
            }
        }
    }
}
