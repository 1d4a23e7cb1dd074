package org.openzoep.xmpp.sasl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Chooses a SASL mechanism, and for SCRAM its channel binding, from the server's offer, and
 * creates it.
 *
 * <p>Rules of {@link #choose}:
 * <ol>
 *   <li>Only the supported mechanisms count: {@value #SCRAM_SHA_512}, {@value #SCRAM_SHA_256},
 *       {@value #SCRAM_SHA_1} (each also as {@code -PLUS}) and {@value #PLAIN}. The preference
 *       names the base mechanisms, most preferred first (default {@link #DEFAULT_PREFERENCE}).
 *   <li>Channel-binding type: the first of the client's types (from its TLS connection, best
 *       first: {@code tls-exporter} on TLS 1.3, {@code tls-unique} on TLS 1.2, then
 *       {@code tls-server-end-point}) that the server lists in XEP-0440
 *       {@code <sasl-channel-binding/>}; a server that lists none gets the client's first type
 *       (RFC 5802 names {@code tls-unique} the default, which Prosody 0.12 uses).
 *   <li>With a type, a {@code -PLUS} mechanism the server offers wins over any without, in
 *       preference order (channel binding is the larger gain than a stronger hash).
 *   <li>Else SCRAM without binding, with GS2 flag {@code y} when the client could bind and the
 *       server offered no {@code -PLUS} (RFC 5802 §6), {@code n} otherwise. If the server offers
 *       {@code -PLUS} but lists no type the client supports, the offer may have been tampered
 *       with (XEP-0440 §4, XEP-0474 §7): the exchange goes on with {@code n} and fails unless the
 *       server's first message carries a matching XEP-0474 hash.
 *   <li>Channel binding required ({@link Policy#channelBindingRequired()}) and no {@code -PLUS}
 *       possible: {@link SaslException.Condition#CHANNEL_BINDING_UNAVAILABLE}.
 *   <li>{@value #PLAIN} only when allowed, on an encrypted stream, and never when the server
 *       offered a supported SCRAM mechanism, even one the preference leaves out: a server that
 *       offers SCRAM and PLAIN gets SCRAM or nothing, so a stripped offer cannot downgrade us to
 *       PLAIN.
 *   <li>Nothing acceptable: {@link SaslException.Condition#NO_ACCEPTABLE_MECHANISM} with a
 *       message naming the offer.
 * </ol>
 *
 * <p>Stateless; safe from any thread.
 */
public final class SaslMechanisms {

    /** SCRAM with SHA-512. */
    public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";
    /** SCRAM with SHA-256 (RFC 7677). */
    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    /** SCRAM with SHA-1 (RFC 5802). */
    public static final String SCRAM_SHA_1 = "SCRAM-SHA-1";
    /** PLAIN (RFC 4616). */
    public static final String PLAIN = PlainMechanism.NAME;
    /** The suffix of a channel-binding SCRAM mechanism. */
    public static final String PLUS = "-PLUS";

    /** The default preference: strongest first. */
    public static final List<String> DEFAULT_PREFERENCE = List.of(SCRAM_SHA_512, SCRAM_SHA_256, SCRAM_SHA_1, PLAIN);

    /** Every base mechanism this package implements ({@code -PLUS} variants follow from them). */
    public static final Set<String> SUPPORTED = Set.of(SCRAM_SHA_512, SCRAM_SHA_256, SCRAM_SHA_1, PLAIN);

    private static final List<String> SCRAM = List.of(SCRAM_SHA_512, SCRAM_SHA_256, SCRAM_SHA_1);

    /**
     * The client's rules.
     *
     * @param preference supported base names, most preferred first
     * @param plainAllowed whether PLAIN may be used at all
     * @param channelBindingRequired refuse to authenticate without a {@code -PLUS} mechanism
     * @param maxIterations the highest SCRAM iteration count accepted
     */
    public record Policy(List<String> preference, boolean plainAllowed, boolean channelBindingRequired,
            int maxIterations) {
        /** The default preference, PLAIN allowed (only where the rules permit), binding when possible. */
        public static final Policy DEFAULT = new Policy(DEFAULT_PREFERENCE, true, false, ScramMechanism.MAX_ITERATIONS);

        public Policy {
            preference = List.copyOf(preference);
            checkPreference(preference);
            if (maxIterations < ScramMechanism.MIN_ITERATIONS) {
                throw new IllegalArgumentException("maxIterations must be at least " + ScramMechanism.MIN_ITERATIONS);
            }
        }
    }

    /** The channel-binding data of the client's TLS connection. */
    public interface ChannelBindingData {
        /** No TLS, or a TLS engine that gives no binding data. */
        ChannelBindingData NONE = new ChannelBindingData() {
            @Override
            public List<String> types() {
                return List.of();
            }

            @Override
            public byte[] data(String type) {
                throw new IllegalArgumentException("no channel binding");
            }
        };

        /** The types this connection can bind to, best first. */
        List<String> types();

        /** The binding data of {@code type}, one of {@link #types()}; a new array. */
        byte[] data(String type);
    }

    /**
     * The outcome of {@link #choose}.
     *
     * @param mechanism the full name, e.g. {@code SCRAM-SHA-256-PLUS}
     * @param bindingType the channel-binding type for a {@code -PLUS} mechanism, else null
     * @param gs2Flag {@code p}, {@code y} or {@code n} (PLAIN: {@code n})
     * @param ssdpRequired the server must prove its offer with a XEP-0474 hash
     */
    public record Choice(String mechanism, String bindingType, char gs2Flag, boolean ssdpRequired) {
    }

    private SaslMechanisms() {
    }

    /** {@link #select(Collection, boolean, List)} with {@link #DEFAULT_PREFERENCE}. */
    public static String select(Collection<String> offered, boolean encrypted) throws SaslException {
        return select(offered, encrypted, DEFAULT_PREFERENCE);
    }

    /**
     * The best acceptable mechanism name for a client that cannot bind (no {@code -PLUS}).
     *
     * @param offered the names in the server's {@code <mechanisms/>}, in any order (surrounding
     *     whitespace ignored)
     * @param encrypted whether the stream is protected by TLS
     * @param preference supported base names, most preferred first
     * @throws SaslException with {@link SaslException.Condition#NO_ACCEPTABLE_MECHANISM} when no
     *     offered mechanism is acceptable
     * @throws IllegalArgumentException when {@code preference} is empty or names an unsupported
     *     mechanism
     */
    public static String select(Collection<String> offered, boolean encrypted, List<String> preference)
            throws SaslException {
        return choose(offered, null, encrypted, List.of(),
                new Policy(preference, true, false, ScramMechanism.MAX_ITERATIONS)).mechanism();
    }

    /**
     * The mechanism and channel binding to use (rules in the class documentation).
     *
     * @param offered the names in the server's {@code <mechanisms/>}
     * @param offeredBindingTypes the XEP-0440 types, or null when the server sent none
     * @param encrypted whether the stream is protected by TLS
     * @param clientBindingTypes the types the client's TLS connection gives, best first
     */
    public static Choice choose(Collection<String> offered, Collection<String> offeredBindingTypes, boolean encrypted,
            List<String> clientBindingTypes, Policy policy) throws SaslException {
        Objects.requireNonNull(offered, "offered");
        Objects.requireNonNull(policy, "policy");
        Set<String> offer = names(offered);
        if (offer.isEmpty()) {
            throw new SaslException(SaslException.Condition.NO_ACCEPTABLE_MECHANISM,
                    "the server offered no SASL mechanism");
        }
        Set<String> serverTypes = offeredBindingTypes == null ? null : names(offeredBindingTypes);
        String type = null;
        if (!clientBindingTypes.isEmpty()) {
            if (serverTypes == null) {
                type = clientBindingTypes.get(0);
            } else {
                for (String t : clientBindingTypes) {
                    if (serverTypes.contains(t)) {
                        type = t;
                        break;
                    }
                }
            }
        }
        boolean plusOffered = false;
        boolean scramOffered = false;
        for (String s : SCRAM) {
            plusOffered |= offer.contains(s + PLUS);
            scramOffered |= offer.contains(s) || offer.contains(s + PLUS);
        }
        List<String> preference = policy.preference();
        if (type != null) {
            for (String name : preference) {
                if (!name.equals(PLAIN) && offer.contains(name + PLUS)) {
                    return new Choice(name + PLUS, type, 'p', false);
                }
            }
        }
        if (policy.channelBindingRequired()) {
            String why = !encrypted || clientBindingTypes.isEmpty() ? "this TLS connection gives no channel-binding data"
                    : !plusOffered ? "the server offers no -PLUS mechanism (offered " + offer + ")"
                    : type == null ? "the server lists no channel-binding type this client supports (listed "
                            + serverTypes + ", client has " + clientBindingTypes + ")"
                    : "no -PLUS mechanism in the client's preference " + preference + " is offered (" + offer + ")";
            throw new SaslException(SaslException.Condition.CHANNEL_BINDING_UNAVAILABLE,
                    "channel binding is required, but " + why);
        }
        boolean clientCanBind = !clientBindingTypes.isEmpty();
        char flag = clientCanBind && !plusOffered ? 'y' : 'n';
        boolean ssdpRequired = clientCanBind && plusOffered && type == null;
        List<String> refused = new ArrayList<>();
        for (String name : preference) {
            if (name.equals(PLAIN)) {
                if (!offer.contains(PLAIN)) {
                    continue;
                }
                if (!policy.plainAllowed()) {
                    refused.add("PLAIN (not allowed by the configuration)");
                } else if (scramOffered) {
                    refused.add("PLAIN (the server offers SCRAM)");
                } else if (!encrypted) {
                    refused.add("PLAIN (the stream is not encrypted)");
                } else {
                    return new Choice(PLAIN, null, 'n', false);
                }
                continue;
            }
            if (offer.contains(name)) {
                return new Choice(name, null, flag, ssdpRequired);
            }
        }
        if (!policy.plainAllowed() && offer.contains(PLAIN) && !preference.contains(PLAIN)) {
            refused.add("PLAIN (not allowed by the configuration)");
        }
        throw new SaslException(SaslException.Condition.NO_ACCEPTABLE_MECHANISM,
                "no acceptable SASL mechanism: server offered " + offer + ", client accepts " + preference
                        + (refused.isEmpty() ? "" : ", refused " + refused));
    }

    /**
     * A new mechanism for one exchange, as {@link #choose} decided.
     *
     * @param offered the server's mechanisms, for the XEP-0474 check
     * @param offeredBindingTypes the server's XEP-0440 types or null, for the XEP-0474 check
     * @param tls the client's channel-binding data (for a {@code -PLUS} choice)
     */
    public static SaslMechanism create(Choice choice, Collection<String> offered, Collection<String> offeredBindingTypes,
            ChannelBindingData tls, Policy policy, String authcid, String password) {
        if (choice.mechanism().equals(PLAIN)) {
            return new PlainMechanism(authcid, password);
        }
        ScramMechanism.Hash hash = ScramMechanism.Hash.of(choice.mechanism());
        if (hash == null) {
            throw new IllegalArgumentException("unsupported SASL mechanism: " + choice.mechanism());
        }
        ScramMechanism.Binding binding = switch (choice.gs2Flag()) {
            case 'p' -> ScramMechanism.Binding.of(choice.bindingType(), tls.data(choice.bindingType()));
            case 'y' -> ScramMechanism.Binding.CLIENT_ONLY;
            default -> ScramMechanism.Binding.NONE;
        };
        ScramMechanism.Advertised advertised = new ScramMechanism.Advertised(List.copyOf(names(offered)),
                offeredBindingTypes == null ? null : List.copyOf(names(offeredBindingTypes)), choice.ssdpRequired());
        return new ScramMechanism(hash, authcid, password, binding, policy.maxIterations(), advertised);
    }

    /** {@link #choose} then {@link #create(Choice, Collection, Collection, ChannelBindingData, Policy, String, String)}. */
    public static SaslMechanism negotiate(Collection<String> offered, Collection<String> offeredBindingTypes,
            boolean encrypted, ChannelBindingData tls, Policy policy, String authcid, String password)
            throws SaslException {
        Choice c = choose(offered, offeredBindingTypes, encrypted, tls.types(), policy);
        return create(c, offered, offeredBindingTypes, tls, policy, authcid, password);
    }

    /**
     * A new mechanism instance without channel binding, for one exchange.
     *
     * @param name a supported base mechanism name
     * @param authcid the authentication identity (the JID's localpart)
     * @throws IllegalArgumentException when {@code name} is not supported
     */
    public static SaslMechanism create(String name, String authcid, String password) {
        if (name.equals(PLAIN)) {
            return new PlainMechanism(authcid, password);
        }
        ScramMechanism.Hash hash = name.endsWith(PLUS) ? null : ScramMechanism.Hash.of(name);
        if (hash == null) {
            throw new IllegalArgumentException("unsupported SASL mechanism: " + name
                    + " (supported: " + DEFAULT_PREFERENCE + ")");
        }
        return new ScramMechanism(hash, authcid, password);
    }

    /**
     * {@link #select(Collection, boolean, List)} then {@link #create(String, String, String)}.
     */
    public static SaslMechanism negotiate(Collection<String> offered, boolean encrypted, List<String> preference,
            String authcid, String password) throws SaslException {
        return create(select(offered, encrypted, preference), authcid, password);
    }

    private static Set<String> names(Collection<String> raw) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : raw) {
            if (name != null && !name.isBlank()) {
                out.add(name.strip());
            }
        }
        return out;
    }

    private static void checkPreference(List<String> preference) {
        Objects.requireNonNull(preference, "preference");
        if (preference.isEmpty()) {
            throw new IllegalArgumentException("SASL preference is empty");
        }
        for (String name : preference) {
            if (!SUPPORTED.contains(name)) {
                throw new IllegalArgumentException("unsupported SASL mechanism in preference: " + name
                        + " (supported: " + DEFAULT_PREFERENCE + "; -PLUS variants are used whenever possible)");
            }
        }
    }
}
