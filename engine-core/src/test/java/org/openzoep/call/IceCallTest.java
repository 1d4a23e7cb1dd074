package org.openzoep.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.Account;
import org.openzoep.AccountSettings;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEvent;
import org.openzoep.CallStats;
import org.openzoep.ZoepEngine;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.testkit.ProsodyServer;
import org.openzoep.xmpp.testkit.StunServer;
import org.openzoep.xmpp.tls.TlsMode;

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
        aliceEngine = engine();
        bobEngine = engine();
    }

    static ZoepEngine engine() throws Exception {
        return ZoepEngine.builder().mediaAddresses(List.of(InetAddress.getByName("127.0.0.1")))
                .iceHostCandidates(false).setupTimeout(Duration.ofSeconds(15)).build();
    }

    @AfterAll
    static void stop() {
        if (aliceEngine != null) {
            aliceEngine.close();
        }
        if (bobEngine != null) {
            bobEngine.close();
        }
        if (prosody != null) {
            prosody.close();
        }
        if (stun != null) {
            stun.close();
        }
    }

    static Account online(ZoepEngine engine, CallEvents events, String user) throws Exception {
        Account a = engine.registerAccount(events);
        a.configure(AccountSettings.defaults().withServer(prosody.host(), prosody.port())
                .withTls(TlsMode.STARTTLS, prosody.caCertificate())).toCompletableFuture().get();
        a.defaultAudio(CallAudio.silence()).toCompletableFuture().get();
        a.login(Jid.parse(user + "@" + prosody.domain() + "/ice"), user + "-pw").toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        a.sendPresence(null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        return a;
    }

    @Test
    void aCallConnectsOverServerReflexiveCandidatesFromAnAnnouncedStunServer() throws Exception {
        CallEvents ae = new CallEvents();
        CallEvents be = new CallEvents();
        Account alice = online(aliceEngine, ae, "alice");
        Account bob = online(bobEngine, be, "bob");
        Call call = alice.call(bob.jid(), CallAudio.silence()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        be.next(CallEvent.Kind.INCOMING, 10).call().answer();
        ae.next(CallEvent.Kind.JOINED, 20);
        Call answered = be.next(CallEvent.Kind.JOINED, 20).call();
        Thread.sleep(1000);
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
