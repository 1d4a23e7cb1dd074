package org.openzoep.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.Account;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEvent;
import org.openzoep.CallStats;
import org.openzoep.ZoepEngine;
import org.openzoep.media.testsupport.Await;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.testkit.StunServer;

/**
 * A call whose ICE uses only server-reflexive candidates: the engines offer no host candidates
 * (as behind a NAT), and learn the STUN server (coturn) from Prosody through XEP-0215 external
 * service discovery, with nothing configured on the accounts.
 */
class IceCallTest {
    static StunServer stun;
    static ProsodyServer prosody;
    static ZoepEngine aliceEngine;
    static ZoepEngine bobEngine;

    @BeforeAll
    static void start() throws Exception {
        stun = StunServer.builder().start();
        prosody = ProsodyServer.builder().account("alice", "alice-pw").account("bob", "bob-pw")
                .modules("external_services")
                .config("external_services = { { type = \"stun\", transport = \"udp\", host = \"" + stun.host()
                        + "\", port = " + stun.port() + " } }")
                .start();
        aliceEngine = CallRig.engine().iceHostCandidates(false).setupTimeout(Duration.ofSeconds(15)).build();
        bobEngine = CallRig.engine().iceHostCandidates(false).setupTimeout(Duration.ofSeconds(15)).build();
    }


    @AfterAll
    static void stop() throws Exception {
        CallRig.close(aliceEngine, bobEngine, prosody, stun);
    }


    @Test
    void aCallConnectsOverServerReflexiveCandidatesFromAnAnnouncedStunServer() throws Exception {
        CallEvents ae = new CallEvents();
        CallEvents be = new CallEvents();
        Account alice = CallRig.online(aliceEngine, ae, prosody, "alice", "ice");
        Account bob = CallRig.online(bobEngine, be, prosody, "bob", "ice");
        Call call = alice.call(bob.jid(), CallAudio.silence()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        be.next(CallEvent.Kind.INCOMING, 10).call().answer();
        ae.next(CallEvent.Kind.JOINED, 20);
        Call answered = be.next(CallEvent.Kind.JOINED, 20).call();
        Await.until("media over the srflx pair", Duration.ofSeconds(10), () -> call.stats().packetsReceived() > 20);
        CallStats stats = call.stats();
        assertThat(stats.remoteCandidate()).isEqualTo("srflx");
        assertThat(answered.stats().remoteCandidate()).isEqualTo("srflx");
        assertThat(stats.packetsReceived()).isGreaterThan(20);
        call.hangup();
        ae.next(CallEvent.Kind.ENDED, 10);
        be.next(CallEvent.Kind.ENDED, 10);
        bobEngine.unregisterAccount(bob);
        aliceEngine.unregisterAccount(alice);
    }
}
