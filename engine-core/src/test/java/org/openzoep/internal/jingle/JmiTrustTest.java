package org.openzoep.internal.jingle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openzoep.CallEnd;
import org.openzoep.internal.call.Signaller;
import org.openzoep.xmpp.jingle.JingleMessage;
import org.openzoep.xmpp.stanza.Jid;

/**
 * Whom a XEP-0353 answer is taken from (issue 12, L1), through the router: {@code proceed} and
 * {@code reject} only from the callee (any resource of its bare JID for a bare-JID call, exactly
 * the full JID otherwise), {@code retract} only from the caller's full JID, {@code accept} and
 * {@code reject} of our other devices only from our own bare JID; the first valid answer wins.
 */
class JmiTrustTest {
    static final Jid ME = JingleSignallerTest.ME;
    static final Jid CALLEE = Jid.parse("alice@example.org/desk");
    static final Jid CALLEE_OTHER = Jid.parse("alice@example.org/phone");
    static final Jid MALLORY = Jid.parse("mallory@evil.example/x");

    final JingleSignallerTest.Link link = new JingleSignallerTest.Link();
    final List<Signaller> incoming = new ArrayList<>();
    final JingleRouter router = new JingleRouter(link, new JingleRouter.Incoming() {
        @Override
        public boolean exists(String id) {
            return false;
        }

        @Override
        public void incoming(String id, Signaller signaller) {
            incoming.add(signaller);
        }
    }, System::nanoTime);
    final JingleSignallerTest.Events events = new JingleSignallerTest.Events();

    void from(Jid sender, JingleMessage.Kind kind, String id) {
        router.onMessage(JingleMessage.of(kind, id, null).toMessage(ME).withAttr("from", sender.toString()));
    }

    @Test
    void aFullJidCallTakesProceedOnlyFromThatDevice() {
        Signaller s = router.outgoing("c1", CALLEE);
        s.listen(events);
        s.ring();
        from(MALLORY, JingleMessage.Kind.PROCEED, "c1");
        from(CALLEE_OTHER, JingleMessage.Kind.PROCEED, "c1");
        from(CALLEE_OTHER, JingleMessage.Kind.REJECT, "c1");
        assertThat(events.log).as("a third party and another device of the callee are not the callee").isEmpty();
        assertThat(events.ends).isEmpty();
        assertThat(s.peer()).isEqualTo(CALLEE);
        from(CALLEE, JingleMessage.Kind.PROCEED, "c1");
        from(CALLEE, JingleMessage.Kind.REJECT, "c1");
        assertThat(events.log).containsExactly("proceed " + CALLEE);
        assertThat(events.ends).as("the first valid answer wins").isEmpty();
    }

    @Test
    void aBareJidCallTakesTheFirstAnswerOfAnyDeviceOfTheCallee() {
        Signaller s = router.outgoing("c2", CALLEE.bare());
        s.listen(events);
        s.ring();
        from(MALLORY, JingleMessage.Kind.PROCEED, "c2");
        assertThat(events.log).isEmpty();
        from(CALLEE_OTHER, JingleMessage.Kind.PROCEED, "c2");
        from(CALLEE, JingleMessage.Kind.PROCEED, "c2");
        from(CALLEE, JingleMessage.Kind.REJECT, "c2");
        assertThat(events.log).containsExactly("proceed " + CALLEE_OTHER);
        assertThat(s.peer()).isEqualTo(CALLEE_OTHER);
        assertThat(events.ends).isEmpty();
    }

    @Test
    void aRingingCallIsRetractedOnlyByTheCallerAndAnsweredElsewhereOnlyByOurOwnDevices() {
        link.sent.clear();
        router.onMessage(JingleMessage.proposeAudio("c3").toMessage(ME, "p").withAttr("from", CALLEE.toString()));
        assertThat(incoming).hasSize(1);
        Signaller s = incoming.get(0);
        s.listen(events);
        from(CALLEE_OTHER, JingleMessage.Kind.RETRACT, "c3");
        from(MALLORY, JingleMessage.Kind.RETRACT, "c3");
        from(MALLORY, JingleMessage.Kind.ACCEPT, "c3");
        from(CALLEE, JingleMessage.Kind.ACCEPT, "c3");
        assertThat(events.ends).as("only the caller's device retracts; only our devices accept elsewhere").isEmpty();
        from(Jid.parse(ME.bare() + "/laptop"), JingleMessage.Kind.ACCEPT, "c3");
        assertThat(events.ends).extracting(CallEnd::reason).containsExactly(CallEnd.Reason.ANSWERED_ELSEWHERE);
    }

    @Test
    void theCallerRetracts() {
        router.onMessage(JingleMessage.proposeAudio("c4").toMessage(ME, "p").withAttr("from", CALLEE.toString()));
        Signaller s = incoming.get(0);
        s.listen(events);
        from(CALLEE, JingleMessage.Kind.RETRACT, "c4");
        assertThat(events.ends).extracting(CallEnd::reason).containsExactly(CallEnd.Reason.CANCELLED);
    }
}
