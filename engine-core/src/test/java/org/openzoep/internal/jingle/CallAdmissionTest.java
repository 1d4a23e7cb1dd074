package org.openzoep.internal.jingle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openzoep.AccountSettings.IncomingCalls;
import org.openzoep.internal.call.Signaller;
import org.openzoep.xmpp.jingle.Action;
import org.openzoep.xmpp.jingle.Jingle;
import org.openzoep.xmpp.jingle.JingleMessage;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * Who may ring, and how often (issue 12, M4), at the router against a recording link and a fake
 * clock: 10,000 proposals from strangers ring nothing, send nothing to them and leave bounded
 * state; the rate limits hold per sender and in all; groupchat proposals are not calls; a
 * stranger's session-initiate gets service-unavailable and rings nothing.
 */
class CallAdmissionTest {
    static final Jid ME = JingleSignallerTest.ME;
    static final Jid CONTACT = Jid.parse("carol@example.org/desk");

    long now = 0;
    final RosterLink link = new RosterLink();
    final List<String> rung = new ArrayList<>();
    final JingleRouter router = new JingleRouter(link, new JingleRouter.Incoming() {
        @Override
        public boolean exists(String id) {
            return false;
        }

        @Override
        public void incoming(String id, Signaller signaller) {
            rung.add(id + " " + signaller.peer());
        }
    }, () -> now);

    @Test
    void tenThousandProposalsFromStrangersRingNothingAndLeaveBoundedState() {
        link.policy = IncomingCalls.ROSTER;
        for (int i = 0; i < 10_000; i++) {
            Jid stranger = Jid.parse("s" + i + "@spam.example/r" + (i % 7));
            router.onMessage(JingleMessage.proposeAudio("sid" + i).toMessage(ME, "m" + i)
                    .withAttr("from", stranger.toString()));
            now += TimeUnit.MILLISECONDS.toNanos(1);
        }
        assertThat(rung).isEmpty();
        assertThat(link.sent).as("nothing to the strangers: only roster requests to our own server")
                .allMatch(s -> s.to() == null && s.payload() != null && s.payload().is("query", "jabber:iq:roster"));
        assertThat(link.sent.size()).as("the roster is asked for at most once per recheck period").isLessThanOrEqualTo(3);
        assertThat(router.admission().senders()).isLessThanOrEqualTo(CallAdmission.MAX_SENDERS);
        assertThat(router.admission().held()).isZero();
        assertThat(router.sessions()).isZero();

        // a contact with a subscription still rings, even right after the flood
        now += TimeUnit.SECONDS.toNanos(2);
        router.onMessage(JingleMessage.proposeAudio("contact1").toMessage(ME, "c1")
                .withAttr("from", CONTACT.toString()));
        assertThat(rung).containsExactly("contact1 " + CONTACT);
    }

    /**
     * Strangers the policy refuses do not draw on the total rate: a contact rings in the same
     * instant as a flood of strangers (before, the first ten strangers used up the total burst
     * and the contact was refused as "too many calls").
     */
    @Test
    void strangersRefusedByThePolicyLeaveTheTotalRateToContacts() {
        link.policy = IncomingCalls.ROSTER;
        for (int i = 0; i < 1_000; i++) {
            router.onMessage(JingleMessage.proposeAudio("sid" + i).toMessage(ME, "m" + i)
                    .withAttr("from", "s" + i + "@spam.example/r"));
        }
        router.onMessage(JingleMessage.proposeAudio("contact1").toMessage(ME, "c1")
                .withAttr("from", CONTACT.toString()));
        assertThat(rung).containsExactly("contact1 " + CONTACT);
    }

    @Test
    void everyoneMayRingButOnlyAtTheRateLimits() {
        link.policy = IncomingCalls.EVERYONE;
        Jid one = Jid.parse("mallory@spam.example/r");
        for (int i = 0; i < 10_000; i++) {
            router.onMessage(JingleMessage.proposeAudio("one" + i).toMessage(ME, "m" + i)
                    .withAttr("from", i % 2 == 0 ? one.toString() : one.bare() + "/other" + i));
        }
        assertThat(rung).as("one sender, no time passing: its burst").hasSize(CallAdmission.SENDER_BURST);
        rung.clear();
        for (int i = 0; i < 10_000; i++) {
            router.onMessage(JingleMessage.proposeAudio("many" + i).toMessage(ME, "n" + i)
                    .withAttr("from", "u" + i + "@spam.example/r"));
        }
        assertThat(rung.size()).as("all senders together: the total burst, less what the first one used")
                .isEqualTo(CallAdmission.TOTAL_BURST - CallAdmission.SENDER_BURST);
        assertThat(router.admission().senders()).isLessThanOrEqualTo(CallAdmission.MAX_SENDERS);
        rung.clear();
        now += TimeUnit.SECONDS.toNanos(CallAdmission.SENDER_REFILL_SECONDS);
        router.onMessage(JingleMessage.proposeAudio("later").toMessage(ME, "l").withAttr("from", one.toString()));
        assertThat(rung).as("the buckets refill with time").containsExactly("later " + one);
    }

    @Test
    void aGroupchatProposalIsNotACall() {
        link.policy = IncomingCalls.EVERYONE;
        Stanza m = Stanza.message().type("groupchat").from("room@muc.example/nick").to(ME).id("g")
                .child(JingleMessage.proposeAudio("g1").toXml()).build();
        assertThat(router.onMessage(m)).as("passed on to the application as a message").isFalse();
        assertThat(rung).isEmpty();
        assertThat(link.sent).isEmpty();
    }

    @Test
    void aStrangersSessionInitiateGetsServiceUnavailableAndRingsNothing() throws Exception {
        link.policy = IncomingCalls.NOBODY;
        Jingle initiate = new Jingle(Action.SESSION_INITIATE, "si1", CONTACT, null,
                List.of(JingleMappingTest.xepContent()), null, null);
        Stanza iq = Stanza.iq("set").from(CONTACT.toString()).to(ME).id("i1").child(initiate.toXml()).build();
        assertThat(router.onIq(iq)).isTrue();
        assertThat(rung).isEmpty();
        assertThat(link.sent).hasSize(1);
        assertThat(link.sent.get(0).type()).isEqualTo("error");
        assertThat(link.sent.get(0).error().condition()).isEqualTo("service-unavailable");
        assertThat(router.sessions()).isZero();
    }

    /** A link whose server knows a roster with one subscribed contact and one pending one. */
    static final class RosterLink extends JingleSignallerTest.Link {
        IncomingCalls policy = IncomingCalls.ROSTER;

        @Override
        public IncomingCalls incomingCalls() {
            return policy;
        }

        @Override
        public CompletionStage<Stanza> request(Stanza iq) {
            sent.add(iq);
            if (iq.payload() != null && iq.payload().is("query", "jabber:iq:roster")) {
                XmlElement roster = XmlElement.builder("query", "jabber:iq:roster")
                        .child(XmlElement.builder("item", "jabber:iq:roster").attr("jid", CONTACT.bare().toString())
                                .attr("subscription", "from").build())
                        .child(XmlElement.builder("item", "jabber:iq:roster").attr("jid", "s1@spam.example")
                                .attr("subscription", "none").attr("ask", "subscribe").build())
                        .build();
                return CompletableFuture.completedFuture(Stanza.iq("result").id(iq.id()).child(roster).build());
            }
            return CompletableFuture.completedFuture(iq.result());
        }
    }
}
