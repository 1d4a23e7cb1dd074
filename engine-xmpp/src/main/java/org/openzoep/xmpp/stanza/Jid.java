package org.openzoep.xmpp.stanza;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * An XMPP address (RFC 7622): {@code [local@]domain[/resource]}.
 *
 * <p>The local part and domain are case-folded to lower case; characters RFC 7622 forbids in a
 * local part and empty or over-long (1023 bytes) parts are refused. This is the comparison
 * subset of PRECIS that matters for routing and sender checks, not a full PRECIS profile.
 *
 * <p>Thread: immutable.
 */
public final class Jid {
    private final String local;
    private final String domain;
    private final String resource;

    private Jid(String local, String domain, String resource) {
        this.local = local;
        this.domain = domain;
        this.resource = resource;
    }

    /** Parses {@code s}; throws {@link IllegalArgumentException} with the reason when it is not a JID. */
    public static Jid parse(String s) {
        Objects.requireNonNull(s, "jid");
        int slash = s.indexOf('/');
        String bare = slash < 0 ? s : s.substring(0, slash);
        String resource = slash < 0 ? null : s.substring(slash + 1);
        int at = bare.indexOf('@');
        String local = at < 0 ? null : bare.substring(0, at);
        String domain = at < 0 ? bare : bare.substring(at + 1);
        return of(local, domain, resource);
    }

    /** Parses {@code s}, or returns null when it is null or not a JID. */
    public static Jid parseOrNull(String s) {
        if (s == null) {
            return null;
        }
        try {
            return parse(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static Jid of(String local, String domain, String resource) {
        if (local != null) {
            local = local.toLowerCase(Locale.ROOT);
            checkPart("local part", local);
            for (int i = 0; i < local.length(); i++) {
                char c = local.charAt(i);
                if (c == '"' || c == '&' || c == '\'' || c == '/' || c == ':' || c == '<' || c == '>' || c == '@'
                        || c <= ' ') {
                    throw new IllegalArgumentException("character '" + c + "' not allowed in a JID local part");
                }
            }
        }
        domain = Objects.requireNonNull(domain, "domain").toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        checkPart("domain", domain);
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (c <= ' ' || c == '@' || c == '/') {
                throw new IllegalArgumentException("character '" + c + "' not allowed in a JID domain");
            }
        }
        if (resource != null) {
            checkPart("resource", resource);
        }
        return new Jid(local, domain, resource);
    }

    private static void checkPart(String what, String part) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("empty JID " + what);
        }
        if (part.getBytes(StandardCharsets.UTF_8).length > 1023) {
            throw new IllegalArgumentException("JID " + what + " longer than 1023 bytes");
        }
    }

    /** The local part, or null. */
    public String local() {
        return local;
    }

    public String domain() {
        return domain;
    }

    /** The resource, or null for a bare JID. */
    public String resource() {
        return resource;
    }

    public boolean isBare() {
        return resource == null;
    }

    public Jid bare() {
        return resource == null ? this : new Jid(local, domain, null);
    }

    public Jid withResource(String resource) {
        return of(local, domain, resource);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Jid j && Objects.equals(local, j.local) && domain.equals(j.domain)
                && Objects.equals(resource, j.resource);
    }

    @Override
    public int hashCode() {
        return Objects.hash(local, domain, resource);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (local != null) {
            sb.append(local).append('@');
        }
        sb.append(domain);
        if (resource != null) {
            sb.append('/').append(resource);
        }
        return sb.toString();
    }
}
