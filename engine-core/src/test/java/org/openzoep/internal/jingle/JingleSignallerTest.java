package org.openzoep.internal.jingle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.openzoep.AccountSettings;
import org.openzoep.CallEnd;
import org.openzoep.internal.call.Signaller;
import org.openzoep.media.description.IceParameters;
import org.openzoep.media.description.MediaDescription;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.xmpp.jingle.Action;
import org.openzoep.xmpp.jingle.Content;
import org.openzoep.xmpp.jingle.Jingle;
import org.openzoep.xmpp.jingle.JingleMessage;
import org.openzoep.xmpp.jingle.Reason;
import org.openzoep.xmpp.jingle.SessionInfo;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;

/**
 * The Jingle signaller's protocol against a recording link: what goes out for each verb, which
 * events come in for each message, and that every action after the first names the content as
 * the peer named it.
 */
class JingleSignallerTest {
    static final Jid ME = Jid.parse("bob@example.org/phone");
    static final Jid PEER = Jid.parse("alice@example.org/desk");

    final Link link = new Link();
    final Events events = new Events();
    final JingleRouter router = new JingleRouter(link, null, System::nanoTime);

    @Test
    void aPeersContentNameAndCreatorAreKeptInEveryLaterAction() throws Exception {
        JingleSignaller s = new JingleSignaller(router, link, "sid1", PEER, true);
        s.listen(events);
        Content theirs = new Content("initiator", "audio-1", "both", JingleMappingTest.xepContent().description(),
                JingleMappingTest.xepContent().transport());
        Jingle initiate = new Jingle(Action.SESSION_INITIATE, "sid1", PEER, null, List.of(theirs), null, null);
        s.initiatedBy(iq(initiate), initiate);
        s.alerting();
        assertThat(events.offers).hasSize(1);
        MediaDescription offer = events.offers.get(0);
        assertThat(offer.mid()).isEqualTo("audio-1");
        s.accept();
        s.answer(new MediaDescription(Leg_MID, "audio", offer.formats(), true, null, offer.ice(), null,
                offer.security()));
        IceCandidate c = offer.ice().candidates().get(0);
        s.candidate(new IceParameters("ufr", "pwdpwdpwdpwdpwdpwdpwdpwd", List.of()), c);
        s.info(Signaller.Info.MUTE);

        Jingle accept = jingle(link.sent, Action.SESSION_ACCEPT);
        assertThat(accept.contents().get(0).name()).isEqualTo("audio-1");
        assertThat(accept.contents().get(0).creator()).isEqualTo("initiator");
        assertThat(accept.responder()).isEqualTo(ME);
        assertThat(accept.initiator()).isEqualTo(PEER);
        Jingle trickle = jingle(link.sent, Action.TRANSPORT_INFO);
        assertThat(trickle.contents().get(0).name()).isEqualTo("audio-1");
        assertThat(trickle.contents().get(0).creator()).isEqualTo("initiator");
        assertThat(trickle.contents().get(0).transport().ufrag()).isEqualTo("ufr");
        SessionInfo mute = jingle(link.sent, Action.SESSION_INFO, SessionInfo.Kind.MUTE).info();
        assertThat(mute.name()).isEqualTo("audio-1");
        assertThat(mute.creator()).isEqualTo("initiator");
        assertThat(jingle(link.sent, Action.SESSION_INFO, SessionInfo.Kind.RINGING)).as("rings like a proposal").isNotNull();
    }

    /** A constant of the leg: the content name of offers we make. */
    static final String Leg_MID = "voice";

    @Test
    void anOutgoingCallProposesOffersAfterProceedAndNamesItsOwnContent() throws Exception {
        JingleSignaller s = new JingleSignaller(router, link, "sid2", PEER.bare(), false);
        s.listen(events);
        s.ring();
        JingleMessage propose = JingleMessage.from(link.sent.get(0)).orElseThrow();
        assertThat(propose.kind()).isEqualTo(JingleMessage.Kind.PROPOSE);
        assertThat(link.sent.get(0).to()).isEqualTo(PEER.bare());
        s.onJingleMessage(PEER, JingleMessage.of(JingleMessage.Kind.RINGING, "sid2", null));
        s.onJingleMessage(PEER, JingleMessage.of(JingleMessage.Kind.PROCEED, "sid2", null));
        assertThat(events.log).containsExactly("ringing", "proceed " + PEER);
        assertThat(s.peer()).isEqualTo(PEER);
        MediaDescription ours = JingleMapping.toDescription(JingleMappingTest.xepContent(), true);
        s.offer(new MediaDescription(Leg_MID, "audio", ours.formats(), true, null, ours.ice(), null, ours.security()));
        Jingle initiate = jingle(link.sent, Action.SESSION_INITIATE);
        assertThat(initiate.initiator()).isEqualTo(ME);
        assertThat(initiate.contents().get(0).name()).isEqualTo("voice");
        assertThat(initiate.contents().get(0).creator()).isEqualTo("initiator");
        assertThat(link.sent.get(link.sent.size() - 1).to()).isEqualTo(PEER);
        // a late reject after proceed is ignored; the peer's terminate ends the leg as a hangup
        s.onJingleMessage(PEER, JingleMessage.of(JingleMessage.Kind.REJECT, "sid2", null));
        s.onJingle(iq(new Jingle(Action.SESSION_TERMINATE, "sid2", null, null, List.of(),
                new Reason(Reason.Condition.SUCCESS, null), null)), new Jingle(Action.SESSION_TERMINATE, "sid2", null,
                null, List.of(), new Reason(Reason.Condition.SUCCESS, null), null));
        assertThat(events.ends).extracting(CallEnd::reason).containsExactly(CallEnd.Reason.REMOTE_HANGUP);
    }

    @Test
    void aBusyRejectEndsAnOutgoingCallAndOutOfOrderRequestsGetXepErrors() throws Exception {
        JingleSignaller s = new JingleSignaller(router, link, "sid3", PEER.bare(), false);
        s.listen(events);
        s.ring();
        Jingle accept = new Jingle(Action.SESSION_ACCEPT, "sid3", null, PEER, List.of(), null, null);
        s.onJingle(iq(accept), accept);
        Stanza err = link.sent.get(link.sent.size() - 1);
        assertThat(err.type()).isEqualTo("error");
        assertThat(err.error().condition()).isEqualTo("unexpected-request");
        assertThat(err.error().appCondition().name()).isEqualTo("out-of-order");
        Jingle replace = new Jingle(Action.CONTENT_ADD, "sid3", null, null, List.of(), null, null);
        s.onJingle(iq(replace), replace);
        assertThat(link.sent.get(link.sent.size() - 1).error().condition()).isEqualTo("feature-not-implemented");
        s.onJingleMessage(PEER, JingleMessage.of(JingleMessage.Kind.REJECT, "sid3",
                new Reason(Reason.Condition.BUSY, null)));
        assertThat(events.ends).extracting(CallEnd::reason).containsExactly(CallEnd.Reason.BUSY);
    }

    @Test
    void decliningARingingProposalRejectsToTheCallerAndToOurOtherDevices() throws Exception {
        JingleSignaller s = new JingleSignaller(router, link, "sid4", PEER, true);
        s.viaMessage();
        s.listen(events);
        s.alerting();
        assertThat(JingleMessage.from(link.sent.get(0)).orElseThrow().kind()).isEqualTo(JingleMessage.Kind.RINGING);
        s.hangup(new CallEnd(CallEnd.Reason.HANGUP, "declined"), Signaller.Cause.AS_ENDED);
        List<Stanza> rejects = link.sent.stream().filter(m -> m.kind() == Stanza.Kind.MESSAGE).skip(1).toList();
        assertThat(rejects).extracting(Stanza::to).containsExactly(PEER, ME.bare());
        for (Stanza r : rejects) {
            JingleMessage m = JingleMessage.from(r).orElseThrow();
            assertThat(m.kind()).isEqualTo(JingleMessage.Kind.REJECT);
            assertThat(m.reason().condition()).isEqualTo(Reason.Condition.DECLINE);
        }
    }

    @Test
    void anotherDeviceAnsweringEndsTheRingingCallHere() {
        JingleSignaller s = new JingleSignaller(router, link, "sid5", PEER, true);
        s.viaMessage();
        s.listen(events);
        s.onOtherDevice(JingleMessage.of(JingleMessage.Kind.ACCEPT, "sid5", null));
        assertThat(events.ends).extracting(CallEnd::reason).containsExactly(CallEnd.Reason.ANSWERED_ELSEWHERE);
    }

    static Stanza iq(Jingle j) {
        return Stanza.iq("set").from(PEER.toString()).to(ME).id("r" + System.nanoTime()).child(j.toXml()).build();
    }

    static Jingle jingle(List<Stanza> sent, Action action) throws Exception {
        return jingle(sent, action, null);
    }

    static Jingle jingle(List<Stanza> sent, Action action, SessionInfo.Kind info) throws Exception {
        for (Stanza s : sent) {
            if (s.kind() == Stanza.Kind.IQ && "set".equals(s.type()) && s.payload() != null) {
                Jingle j = Jingle.parse(s.payload());
                if (j.action() == action && (info == null || (j.info() != null && j.info().kind() == info))) {
                    return j;
                }
            }
        }
        throw new AssertionError("no " + action + (info == null ? "" : " " + info) + " in " + sent);
    }

    /** Records what the signaller sends; requests succeed at once. */
    static class Link implements JingleLink {
        final List<Stanza> sent = new ArrayList<>();

        @Override
        public boolean online() {
            return true;
        }

        @Override
        public Jid jid() {
            return ME;
        }

        @Override
        public void send(Stanza s) {
            sent.add(s);
        }

        @Override
        public CompletionStage<Stanza> request(Stanza iq) {
            sent.add(iq);
            return CompletableFuture.completedFuture(iq.result());
        }

        @Override
        public Executor serial() {
            return Runnable::run;
        }

        @Override
        public AccountSettings.IncomingCalls incomingCalls() {
            return AccountSettings.IncomingCalls.EVERYONE;
        }
    }

    static final class Events implements Signaller.Listener {
        final List<String> log = new ArrayList<>();
        final List<MediaDescription> offers = new ArrayList<>();
        final List<CallEnd> ends = new ArrayList<>();

        @Override
        public void onRinging() {
            log.add("ringing");
        }

        @Override
        public void onProceed(Jid device) {
            log.add("proceed " + device);
        }

        @Override
        public void onOffer(MediaDescription offer) {
            offers.add(offer);
        }

        @Override
        public void onAnswer(MediaDescription answer) {
            log.add("answer");
        }

        @Override
        public void onRemoteIce(IceParameters ice) {
            log.add("ice");
        }

        @Override
        public void onInfo(Signaller.Info info) {
            log.add("info " + info);
        }

        @Override
        public void onEnded(CallEnd end) {
            ends.add(end);
        }
    }
}
