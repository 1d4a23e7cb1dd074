package org.openzoep.internal.jingle;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.openzoep.AccountSettings.IncomingCalls;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may ring this account, and how often: the gate in front of every new incoming call (a
 * XEP-0353 {@code propose} or a XEP-0166 {@code session-initiate} without one). A call that does
 * not pass is not rung and its caller hears nothing that says this device is online (the router
 * answers a refused session-initiate, an iq that must be answered, with {@code service-unavailable},
 * as the server does for a resource that is not there).
 *
 * <ol>
 *   <li>Rate per sender: a token bucket per sender's bare JID ({@value #SENDER_BURST} at once, then
 *       one per {@value #SENDER_REFILL_SECONDS} s; at most {@value #MAX_SENDERS} senders remembered,
 *       the least recently seen forgotten first).</li>
 *   <li>Policy ({@link IncomingCalls}): {@code EVERYONE}; {@code NOBODY}; {@code ROSTER}: the sender's
 *       bare JID is in the account's roster with subscription {@code to}, {@code from} or {@code both}.</li>
 *   <li>Rate in all: one bucket for the calls the policy lets through ({@value #TOTAL_BURST} at
 *       once, then one per second), so strangers the policy refuses never use up the contacts'
 *       share.</li>
 * </ol>
 *
 * <p>The roster (RFC 6121 section 2.1.3): the engine keeps none of its own, so the gate asks the
 * server for it when a call needs it and remembers the subscribed contacts (at most
 * {@value #MAX_CONTACTS}) for {@value #ROSTER_MAX_AGE_SECONDS} s; a caller not among them makes it
 * ask again once the answer is {@value #ROSTER_RECHECK_SECONDS} s old (a contact added a moment ago
 * can call). While the roster is asked for, at most {@value #MAX_HELD} calls wait; a failed roster
 * request counts as an empty roster. Asking for the roster makes this resource "interested"
 * (the server sends it roster pushes, which reach the application as before).
 *
 * <p>Thread: confined to the account's serial executor. Memory: bounded by the constants above,
 * however many proposals arrive.
 */
final class CallAdmission {
    private static final Logger LOG = LoggerFactory.getLogger(CallAdmission.class);

    static final int SENDER_BURST = 3;
    static final int SENDER_REFILL_SECONDS = 10;
    static final int TOTAL_BURST = 10;
    static final int MAX_SENDERS = 1024;
    static final int MAX_HELD = 16;
    static final int MAX_CONTACTS = 10_000;
    static final int ROSTER_MAX_AGE_SECONDS = 60;
    static final int ROSTER_RECHECK_SECONDS = 5;
    static final String ROSTER_NS = "jabber:iq:roster";

    /** What to do with one call once it is decided. */
    interface Verdict {
        void ring();

        void refuse();
    }

    private final JingleLink link;
    private final LongSupplier clock;
    private final Bucket total = new Bucket(TOTAL_BURST, TimeUnit.SECONDS.toNanos(1));
    private final Map<Jid, Bucket> senders = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Jid, Bucket> eldest) {
            return size() > MAX_SENDERS;
        }
    };
    private final List<Held> held = new ArrayList<>();
    private Set<Jid> contacts;
    private Jid rosterOf;
    private long rosterAt;
    private boolean asking;

    CallAdmission(JingleLink link, LongSupplier clock) {
        this.link = link;
        this.clock = clock;
    }

    /** Decides a new incoming call from {@code from} (a full JID): now, or once the roster is known. */
    void admit(Jid from, Verdict verdict) {
        long now = clock.getAsLong();
        Jid bare = from.bare();
        Bucket b = senders.computeIfAbsent(bare, k -> new Bucket(SENDER_BURST,
                TimeUnit.SECONDS.toNanos(SENDER_REFILL_SECONDS)));
        if (!b.take(now)) {
            LOG.debug("incoming call from {} not rung: too many calls from them", from);
            verdict.refuse();
            return;
        }
        IncomingCalls policy = link.incomingCalls();
        switch (policy) {
            case EVERYONE -> ring(from, verdict);
            case NOBODY -> {
                LOG.debug("incoming call from {} not rung: incoming calls are off", from);
                verdict.refuse();
            }
            case ROSTER -> {
                Jid me = link.jid();
                long age = now - rosterAt;
                boolean known = contacts != null && me != null && me.bare().equals(rosterOf);
                if (known && contacts.contains(bare) && age < TimeUnit.SECONDS.toNanos(ROSTER_MAX_AGE_SECONDS)) {
                    ring(from, verdict);
                } else if (known && age < TimeUnit.SECONDS.toNanos(ROSTER_RECHECK_SECONDS)) {
                    refuseStranger(from, verdict);
                } else if (held.size() < MAX_HELD) {
                    held.add(new Held(bare, from, verdict));
                    askRoster();
                } else {
                    verdict.refuse();
                }
            }
        }
    }

    /** Senders remembered (for tests: bounded by {@value #MAX_SENDERS}). */
    int senders() {
        return senders.size();
    }

    /** Calls waiting for the roster (for tests: bounded by {@value #MAX_HELD}). */
    int held() {
        return held.size();
    }

    /**
     * Rings a call the policy lets through, unless too many rang in all lately. Only admitted calls
     * draw on the total bucket, so strangers refused by the policy cannot use up the contacts' share.
     */
    private void ring(Jid from, Verdict verdict) {
        if (total.take(clock.getAsLong())) {
            verdict.ring();
        } else {
            LOG.debug("incoming call from {} not rung: too many calls", from);
            verdict.refuse();
        }
    }

    private static void refuseStranger(Jid from, Verdict verdict) {
        LOG.debug("incoming call from {} not rung: not a roster contact with a subscription", from);
        verdict.refuse();
    }

    private void askRoster() {
        if (asking || !link.online()) {
            if (!link.online()) {
                decideHeld();
            }
            return;
        }
        asking = true;
        Jid me = link.jid();
        Stanza get = Stanza.iq("get").id("roster-" + Long.toHexString(clock.getAsLong()))
                .child(XmlElement.of("query", ROSTER_NS)).build();
        link.request(get).whenCompleteAsync((result, err) -> {
            asking = false;
            Set<Jid> found = new HashSet<>();
            if (err == null && result != null && result.payload() != null
                    && result.payload().is("query", ROSTER_NS)) {
                for (XmlElement item : result.payload().elements()) {
                    if (found.size() >= MAX_CONTACTS) {
                        LOG.debug("roster has more than {} items; the rest cannot ring", MAX_CONTACTS);
                        break;
                    }
                    String sub = item.attr("subscription");
                    Jid jid = Jid.parseOrNull(item.attr("jid"));
                    if (item.is("item", ROSTER_NS) && jid != null
                            && ("to".equals(sub) || "from".equals(sub) || "both".equals(sub))) {
                        found.add(jid.bare());
                    }
                }
            } else {
                LOG.debug("roster request failed; only known contacts may ring", err);
            }
            contacts = found;
            rosterOf = me == null ? null : me.bare();
            rosterAt = clock.getAsLong();
            decideHeld();
        }, link.serial());
    }

    private void decideHeld() {
        List<Held> now = new ArrayList<>(held);
        held.clear();
        for (Held h : now) {
            if (contacts != null && contacts.contains(h.bare)) {
                ring(h.from, h.verdict);
            } else {
                refuseStranger(h.from, h.verdict);
            }
        }
    }

    private record Held(Jid bare, Jid from, Verdict verdict) {
    }

    /** A token bucket: {@code burst} tokens, one more every {@code refillNanos}. */
    static final class Bucket {
        private final int burst;
        private final long refillNanos;
        private double tokens;
        private long last;
        private boolean started;

        Bucket(int burst, long refillNanos) {
            this.burst = burst;
            this.refillNanos = refillNanos;
            this.tokens = burst;
        }

        boolean take(long now) {
            if (started) {
                tokens = Math.min(burst, tokens + (double) (now - last) / refillNanos);
            }
            started = true;
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
