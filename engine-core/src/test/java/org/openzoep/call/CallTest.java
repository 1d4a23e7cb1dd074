package org.openzoep.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.Account;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.CallState;
import org.openzoep.CallStats;
import org.openzoep.ZoepEngine;
import org.openzoep.media.testsupport.AudioFixtures;
import org.openzoep.media.testsupport.Await;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.testkit.ProsodyServer;

/**
 * Calls through the typed API between two engines on a real Prosody: speech both ways over ICE
 * and DTLS-SRTP, hang-up from either side, offline and unknown callees, decline, no answer, and a
 * callee with two devices.
 */
class CallTest {
    static ProsodyServer prosody;
    static ZoepEngine aliceEngine;
    static ZoepEngine bobEngine;
    static short[] speech;

    @BeforeAll
    static void start() throws Exception {
        prosody = ProsodyServer.builder().account("alice", "alice-pw").account("bob", "bob-pw")
                .account("carol", "carol-pw").start();
        aliceEngine = CallRig.engine().ringTimeout(Duration.ofSeconds(3)).answerTimeout(Duration.ofSeconds(5))
                .setupTimeout(Duration.ofSeconds(10)).build();
        bobEngine = CallRig.engine().ringTimeout(Duration.ofSeconds(3)).answerTimeout(Duration.ofSeconds(5))
                .setupTimeout(Duration.ofSeconds(10)).build();
        speech = AudioFixtures.speech(48000);
    }


    @AfterAll
    static void stop() throws Exception {
        CallRig.close(aliceEngine, bobEngine, prosody);
    }


    static Jid bare(String user) {
        return Jid.parse(user + "@" + prosody.domain());
    }

    static Call call(Account from, Jid to, CallAudio audio) throws Exception {
        return from.call(to, audio).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** Alice calls bob (silence both ways), bob answers; returns {alice's call, bob's call}, both joined. */
    static Call[] connected(Account alice, CallEvents ae, Account bob, CallEvents be) throws Exception {
        Call outgoing = call(alice, bob.jid(), CallAudio.silence());
        be.next(CallEvent.Kind.INCOMING, 10).call().answer();
        Call incoming = be.next(CallEvent.Kind.JOINED, 15).call();
        ae.next(CallEvent.Kind.JOINED, 15);
        return new Call[] {outgoing, incoming};
    }

    static CallEnd endOf(CallEvents events) throws InterruptedException {
        return events.next(CallEvent.Kind.ENDED, 20).event().end();
    }

    @Test
    void aliceCallsBobAndSpeechFlowsBothWays() throws Exception {
        CallEvents ae = new CallEvents();
        CallEvents be = new CallEvents();
        Account alice = CallRig.online(aliceEngine, ae, prosody, "alice", "speech");
        Account bob = CallRig.online(bobEngine, be, prosody, "bob", "speech");
        short[] toBob = Arrays.copyOfRange(speech, 0, Math.min(speech.length, 48000 * 4));
        short[] toAlice = Arrays.copyOfRange(speech, Math.max(0, speech.length - 48000 * 4), speech.length);
        PcmRecorder heardByAlice = new PcmRecorder(48000 * 12);
        PcmRecorder heardByBob = new PcmRecorder(48000 * 12);
        PcmSource aliceVoice = new PcmSource(toBob);
        PcmSource bobVoice = new PcmSource(toAlice);
        bob.defaultAudio(CallAudio.of(bobVoice, heardByBob)).toCompletableFuture().get();

        Call outgoing = call(alice, bare("bob"), CallAudio.of(aliceVoice, heardByAlice));
        CallEvents.Seen incoming = be.next(CallEvent.Kind.INCOMING, 10);
        assertThat(incoming.call().peer()).isEqualTo(alice.jid());
        assertThat(incoming.call().id()).isEqualTo(outgoing.id());
        assertThat(incoming.call().state()).isEqualTo(CallState.RINGING);
        ae.next(CallEvent.Kind.RINGING, 10);
        incoming.call().answer();
        ae.next(CallEvent.Kind.JOINED, 15);
        be.next(CallEvent.Kind.JOINED, 15);
        assertThat(outgoing.state()).isEqualTo(CallState.ACTIVE);
        assertThat(outgoing.peer()).isEqualTo(bob.jid());

        Await.until("both voices played", Duration.ofSeconds(20), () -> aliceVoice.finished() && bobVoice.finished());
        // recording runs from 'joined' on, as the voices do: once each recording is half a second
        // longer than what was sent, the last frames have crossed the jitter buffers
        Await.until("the last frames heard", Duration.ofSeconds(10), () -> heardByBob.recorded().length
                >= toBob.length + 24000 && heardByAlice.recorded().length >= toAlice.length + 24000);
        CallStats stats = outgoing.stats();
        assertThat(stats.codec()).isEqualTo("opus/48000/2");
        assertThat(stats.packetsReceived()).isGreaterThan(150);
        assertThat(stats.srtpAuthFailures()).isZero();
        assertThat(stats.mos()).isGreaterThan(3.5);
        outgoing.hangup();

        CallEnd aliceEnd = endOf(ae);
        CallEnd bobEnd = endOf(be);
        assertThat(aliceEnd.reason()).isEqualTo(CallEnd.Reason.HANGUP);
        assertThat(bobEnd.reason()).isEqualTo(CallEnd.Reason.REMOTE_HANGUP);
        assertThat(bobEnd.isError()).isFalse();
        assertThat(outgoing.stats().packetsReceived()).as("figures kept after the end")
                .isGreaterThanOrEqualTo(stats.packetsReceived());

        double bobHeard = Similarity.speech(toBob, heardByBob.recorded(), 24000);
        double aliceHeard = Similarity.speech(toAlice, heardByAlice.recorded(), 24000);
        System.out.printf("call: bob heard alice with similarity %.3f, alice heard bob with %.3f; %s%n", bobHeard,
                aliceHeard, stats);
        assertThat(bobHeard).isGreaterThan(0.8);
        assertThat(aliceHeard).isGreaterThan(0.8);
        bobEngine.unregisterAccount(bob);
        aliceEngine.unregisterAccount(alice);
    }

    @Test
    void calleeHangsUpAndCallerHearsLeft() throws Exception {
        CallEvents ae = new CallEvents();
        CallEvents be = new CallEvents();
        Account alice = CallRig.online(aliceEngine, ae, prosody, "alice", "bobhangs");
        Account bob = CallRig.online(bobEngine, be, prosody, "bob", "bobhangs");
        Call[] calls = connected(alice, ae, bob, be);
        Call outgoing = calls[0];
        Call incoming = calls[1];
        incoming.hangup();
        assertThat(endOf(ae).reason()).isEqualTo(CallEnd.Reason.REMOTE_HANGUP);
        assertThat(endOf(be).reason()).isEqualTo(CallEnd.Reason.HANGUP);
        assertThat(outgoing.ended().toCompletableFuture().get(5, TimeUnit.SECONDS).reason())
                .isEqualTo(CallEnd.Reason.REMOTE_HANGUP);
        bobEngine.unregisterAccount(bob);
        aliceEngine.unregisterAccount(alice);
    }

    @Test
    void offlineCalleeEndsWithAnError() throws Exception {
        CallEvents ae = new CallEvents();
        Account alice = CallRig.online(aliceEngine, ae, prosody, "alice", "offline");
        call(alice, bare("carol"), CallAudio.silence());
        CallEnd end = endOf(ae);
        assertThat(end.isError()).isTrue();
        assertThat(end.reason()).isEqualTo(CallEnd.Reason.OFFLINE);
        assertThat(end.condition()).isEqualTo("recipient-unavailable");
        assertThat(end.text()).contains("carol");
        aliceEngine.unregisterAccount(alice);
    }

    @Test
    void unknownCalleeEndsWithAnError() throws Exception {
        CallEvents ae = new CallEvents();
        Account alice = CallRig.online(aliceEngine, ae, prosody, "alice", "unknown");
        call(alice, bare("nobody"), CallAudio.silence());
        CallEnd end = endOf(ae);
        assertThat(end.isError()).isTrue();
        assertThat(end.reason()).isIn(CallEnd.Reason.OFFLINE, CallEnd.Reason.UNKNOWN_USER);
        aliceEngine.unregisterAccount(alice);
    }

    @Test
    void calleeDeclines() throws Exception {
        CallEvents ae = new CallEvents();
        CallEvents be = new CallEvents();
        Account alice = CallRig.online(aliceEngine, ae, prosody, "alice", "decline");
        Account bob = CallRig.online(bobEngine, be, prosody, "bob", "decline");
        call(alice, bob.jid(), CallAudio.silence());
        be.next(CallEvent.Kind.INCOMING, 10).call().hangup();
        CallEnd end = endOf(ae);
        assertThat(end.reason()).isEqualTo(CallEnd.Reason.DECLINED);
        assertThat(end.isError()).isTrue();
        assertThat(end.condition()).isEqualTo("not-acceptable");
        assertThat(endOf(be).reason()).isEqualTo(CallEnd.Reason.HANGUP);
        bobEngine.unregisterAccount(bob);
        aliceEngine.unregisterAccount(alice);
    }

    @Test
    void unansweredCallTimesOutOnBothSides() throws Exception {
        CallEvents ae = new CallEvents();
        CallEvents be = new CallEvents();
        Account alice = CallRig.online(aliceEngine, ae, prosody, "alice", "noanswer");
        Account bob = CallRig.online(bobEngine, be, prosody, "bob", "noanswer");
        call(alice, bob.jid(), CallAudio.silence());
        be.next(CallEvent.Kind.INCOMING, 10);
        CallEnd end = endOf(ae);
        assertThat(end.reason()).isEqualTo(CallEnd.Reason.NO_ANSWER);
        assertThat(end.isError()).isTrue();
        assertThat(endOf(be).reason()).isEqualTo(CallEnd.Reason.CANCELLED);
        bobEngine.unregisterAccount(bob);
        aliceEngine.unregisterAccount(alice);
    }

    @Test
    void bothDevicesRingAndTheOtherStopsWhenOneAnswers() throws Exception {
        CallEvents ae = new CallEvents();
        CallEvents phone = new CallEvents();
        CallEvents laptop = new CallEvents();
        Account alice = CallRig.online(aliceEngine, ae, prosody, "alice", "devices");
        Account bobPhone = CallRig.online(bobEngine, phone, prosody, "bob", "phone");
        Account bobLaptop = CallRig.online(bobEngine, laptop, prosody, "bob", "laptop");
        Call outgoing = call(alice, bare("bob"), CallAudio.silence());
        Call onPhone = phone.next(CallEvent.Kind.INCOMING, 10).call();
        Call onLaptop = laptop.next(CallEvent.Kind.INCOMING, 10).call();
        assertThat(onLaptop.id()).isEqualTo(onPhone.id());
        onPhone.answer();
        CallEnd laptopEnd = endOf(laptop);
        assertThat(laptopEnd.reason()).isEqualTo(CallEnd.Reason.ANSWERED_ELSEWHERE);
        ae.next(CallEvent.Kind.JOINED, 15);
        phone.next(CallEvent.Kind.JOINED, 15);
        assertThat(outgoing.peer()).isEqualTo(bobPhone.jid());
        outgoing.hangup();
        assertThat(endOf(phone).reason()).isEqualTo(CallEnd.Reason.REMOTE_HANGUP);
        bobEngine.unregisterAccount(bobLaptop);
        bobEngine.unregisterAccount(bobPhone);
        aliceEngine.unregisterAccount(alice);
    }

    @Test
    void muteHoldAndDtmfReachThePeer() throws Exception {
        CallEvents ae = new CallEvents();
        CallEvents be = new CallEvents();
        Account alice = CallRig.online(aliceEngine, ae, prosody, "alice", "controls");
        Account bob = CallRig.online(bobEngine, be, prosody, "bob", "controls");
        Call[] calls = connected(alice, ae, bob, be);
        Call outgoing = calls[0];
        Call incoming = calls[1];

        outgoing.mute(true);
        be.next(CallEvent.Kind.REMOTE_MUTE, 10);
        assertThat(incoming.remoteMuted()).isTrue();
        outgoing.mute(false);
        be.next(CallEvent.Kind.REMOTE_MUTE, 10);
        assertThat(incoming.remoteMuted()).isFalse();
        outgoing.hold(true);
        be.next(CallEvent.Kind.REMOTE_HOLD, 10);
        assertThat(incoming.remoteHeld()).isTrue();
        outgoing.hold(false);
        be.next(CallEvent.Kind.REMOTE_HOLD, 10);
        assertThat(incoming.remoteHeld()).isFalse();

        outgoing.sendDtmf("1#9");
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            digits.append(be.next(CallEvent.Kind.DTMF, 10).event().digit());
        }
        assertThat(digits.toString()).isEqualTo("1#9");
        outgoing.hangup();
        endOf(ae);
        endOf(be);
        bobEngine.unregisterAccount(bob);
        aliceEngine.unregisterAccount(alice);
    }

    @Test
    void aMissingSoundDeviceEndsTheCallWithAClearError() throws Exception {
        CallEvents ae = new CallEvents();
        CallEvents be = new CallEvents();
        Account alice = CallRig.online(aliceEngine, ae, prosody, "alice", "nodevice");
        Account bob = CallRig.online(bobEngine, be, prosody, "bob", "nodevice");
        call(alice, bob.jid(), CallAudio.device("no-such-device", "no-such-device"));
        be.next(CallEvent.Kind.INCOMING, 10).call().answer();
        CallEnd end = endOf(ae);
        assertThat(end.reason()).isEqualTo(CallEnd.Reason.FAILED);
        assertThat(end.text()).contains("no-such-device");
        assertThat(endOf(be).reason()).isIn(CallEnd.Reason.MEDIA_LOST, CallEnd.Reason.FAILED);
        bobEngine.unregisterAccount(bob);
        aliceEngine.unregisterAccount(alice);
    }
}
