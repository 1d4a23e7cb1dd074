package org.openzoep.xmpp.jingle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.openzoep.xmpp.jingle.XepFixtures.canonical;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlStreamParser;

/** XEP-0353 messages: the XEP's examples as values, both namespaces, and what is refused. */
class JingleMessageTest {
    static final String ID = "ca3cf894-5325-482f-a412-a6e9f832298d";

    static Stanza example(String caption) throws Exception {
        return Stanza.of(XepFixtures.parseOne(XepFixtures.example("xep-0353.txt", caption).xml()));
    }

    static Stanza message(String xml) {
        return Stanza.of(XmlStreamParser.parseElement(xml, "jabber:client"));
    }

    @Test
    void proposeIsWrittenAsTheXepWritesIt() throws Exception {
        Stanza xep = example("Initiator Sends Intent Message");
        JingleMessage propose = JingleMessage.proposeAudio(ID);
        assertThat(JingleMessage.from(xep)).contains(propose);
        assertThat(propose.proposes("audio")).isTrue();
        assertThat(propose.proposes("video")).isFalse();
        Stanza ours = propose.toMessage(Jid.parse("juliet@capulet.example"));
        assertThat(canonical(ours.element())).isEqualTo(canonical(xep.withAttr("from", null).element()));
        assertThat(ours.type()).isEqualTo("chat");
        assertThat(ours.extension("store", "urn:xmpp:hints")).isNotNull();
        assertThat(propose.toMessage(Jid.parse("juliet@capulet.example"), "m1").id()).isEqualTo("m1");
    }

    @Test
    void theOtherMessagesReadAsValues() throws Exception {
        assertThat(JingleMessage.from(example("One of Responder's Resources Reports it is Ringing")))
                .contains(JingleMessage.of(JingleMessage.Kind.RINGING, ID, null));
        assertThat(JingleMessage.from(example("One of Responder's Resources Accepts the Call")))
                .contains(JingleMessage.of(JingleMessage.Kind.PROCEED, ID, null));
        assertThat(JingleMessage.from(example("Initiator Sends Retract Message")))
                .contains(JingleMessage.of(JingleMessage.Kind.RETRACT, ID, new Reason(Reason.Condition.CANCEL, "Retracted")));
        assertThat(JingleMessage.from(example("One of Responder's Resources Rejects the Call")))
                .contains(JingleMessage.of(JingleMessage.Kind.REJECT, ID, new Reason(Reason.Condition.BUSY, "Busy")));
        assertThat(JingleMessage.from(example("Initiator Sends Finish Message")))
                .contains(JingleMessage.of(JingleMessage.Kind.FINISH, ID, new Reason(Reason.Condition.SUCCESS, "Success")));
    }

    @Test
    void tieBreakAndMigration() throws Exception {
        JingleMessage reject = JingleMessage.from(
                example("Tie break in propose state #3 (Romeo received the higher ID and rejects the call)")).orElseThrow();
        assertThat(reject.kind()).isEqualTo(JingleMessage.Kind.REJECT);
        assertThat(reject.tieBreak()).isTrue();
        assertThat(reject.reason().condition()).isEqualTo(Reason.Condition.EXPIRED);
        JingleMessage finish = JingleMessage.from(XepFixtures.load("xep-0353.txt").stream()
                .filter(e -> e.caption().startsWith("Tie break in accept state #4")).findFirst()
                .map(e -> Stanza.of(XepFixtures.parseOne(e.xml()))).orElseThrow()).orElseThrow();
        assertThat(finish.migratedTo()).isEqualTo("989a46a6-f202-4910-a7c3-83c6ba3f3947");
        assertThat(finish.tieBreak()).isFalse();
    }

    @Test
    void theOlderNamespaceIsReadAndAnsweredInKind() throws Exception {
        JingleMessage old = JingleMessage.from(message("<message type='chat'><propose xmlns='urn:xmpp:jingle-message:1' "
                + "id='p1'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose></message>"))
                .orElseThrow();
        assertThat(old.namespace()).isEqualTo(JingleNamespaces.JMI_1);
        JingleMessage proceed = new JingleMessage(JingleMessage.Kind.PROCEED, old.id(), List.of(), null, false, null,
                old.namespace());
        assertThat(proceed.toXml().namespace()).isEqualTo("urn:xmpp:jingle-message:1");
        assertThat(JingleMessage.of(JingleMessage.Kind.PROCEED, "p1", null).toXml().namespace())
                .isEqualTo("urn:xmpp:jingle-message:0");
    }

    @Test
    void messagesWithoutJmiAreNotJmi() throws Exception {
        assertThat(JingleMessage.from(message("<message type='chat'><body>hi</body></message>"))).isEmpty();
        assertThat(JingleMessage.from(message("<message><propose xmlns='urn:xmpp:jingle-message:2' id='x'/></message>")))
                .isEmpty();
        assertThat(JingleMessage.from(message("<presence><ringing xmlns='urn:xmpp:jingle-message:0' id='x'/></presence>")))
                .isEmpty();
        // a bounce of our own propose is not the peer proposing
        assertThat(JingleMessage.from(message("<message type='error' from='juliet@capulet.example'>"
                + "<propose xmlns='urn:xmpp:jingle-message:0' id='x'><description xmlns='urn:xmpp:jingle:apps:rtp:1' "
                + "media='audio'/></propose><error type='cancel'><service-unavailable "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>"))).isEmpty();
    }

    @Test
    void malformedJmiIsABadRequest() {
        for (String xml : List.of(
                "<message><propose xmlns='urn:xmpp:jingle-message:0' id='x'/></message>",
                "<message><propose xmlns='urn:xmpp:jingle-message:0' id='x'>"
                        + "<description xmlns='urn:xmpp:jingle:apps:file-transfer:5'/></propose></message>",
                "<message><proceed xmlns='urn:xmpp:jingle-message:0'/></message>",
                "<message><reject xmlns='urn:xmpp:jingle-message:0' id='x'><reason xmlns='urn:xmpp:jingle:1'/></reject></message>",
                "<message><finish xmlns='urn:xmpp:jingle-message:0' id='x'><migrated/></finish></message>")) {
            JingleException x = catchThrowableOfType(JingleException.class, () -> JingleMessage.from(message(xml)));
            assertThat(x).as(xml).isNotNull();
            assertThat(x.error().condition()).isEqualTo("bad-request");
        }
    }
}
