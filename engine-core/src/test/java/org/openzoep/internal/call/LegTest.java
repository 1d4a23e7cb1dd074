package org.openzoep.internal.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openzoep.AccountSettings;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.CallState;
import org.openzoep.xmpp.stanza.Jid;

/**
 * Two calls whose legs signal each other through a pipe instead of Jingle: the leg, offer/answer,
 * the media path (ICE + DTLS-SRTP on loopback) and the conference on the media clock work with
 * any {@link Signaller}, as a SIP signaller will.
 */
class LegTest {
    static final Jid A = Jid.parse("a@example.org/1");
    static final Jid B = Jid.parse("b@example.org/1");

    EventLoopGroup group;
    CallResources res;
    PipeSide a;
    PipeSide b;

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        res = new CallResources(group, false, new CallResources.Settings(Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(10), List.of(InetAddress.getByName("127.0.0.1")), true, 1, 4, "legtest"));
    }

    @AfterEach
    void stop() {
        res.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        for (PipeSide s : new PipeSide[] {a, b}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void aCallOverAnyPipeRingsConnectsCarriesDtmfAndHangsUp() throws Exception {
        a = side(A, AccountSettings.defaults());
        b = side(B, AccountSettings.defaults());
        PipeSide.pair(a, b);
        Call out = a.place("c1", B);
        assertThat(b.next(CallEvent.Kind.INCOMING).state()).isEqualTo(CallState.RINGING);
        a.next(CallEvent.Kind.RINGING);
        Call in = b.registry.find("c1").orElseThrow();
        in.answer().toCompletableFuture().get(5, TimeUnit.SECONDS);
        a.next(CallEvent.Kind.JOINED);
        b.next(CallEvent.Kind.JOINED);
        assertThat(out.state()).isEqualTo(CallState.ACTIVE);
        assertThat(out.stats().codec()).isEqualTo("opus/48000/2");
        assertThat(out.stats().localCandidate()).isEqualTo("host");
        out.sendDtmf("5");
        assertThat(b.nextEvent(CallEvent.Kind.DTMF).digit()).isEqualTo('5');
        in.hold(true);
        a.next(CallEvent.Kind.REMOTE_HOLD);
        assertThat(out.remoteHeld()).isTrue();
        out.hangup();
        assertThat(a.nextEvent(CallEvent.Kind.ENDED).end().reason()).isEqualTo(CallEnd.Reason.HANGUP);
        assertThat(b.nextEvent(CallEvent.Kind.ENDED).end().reason()).isEqualTo(CallEnd.Reason.REMOTE_HANGUP);
        assertThat(a.registry.active()).isEmpty();
        assertThat(b.registry.active()).isEmpty();
    }

    @Test
    void noCommonCodecEndsBothSidesWithoutMedia() throws Exception {
        a = side(A, withCodecs("opus"));
        b = side(B, withCodecs("pcma"));
        PipeSide.pair(a, b);
        a.place("c1", B);
        b.next(CallEvent.Kind.INCOMING);
        b.registry.find("c1").orElseThrow().answer();
        CallEnd atB = b.nextEvent(CallEvent.Kind.ENDED).end();
        assertThat(atB.reason()).isEqualTo(CallEnd.Reason.NO_COMMON_CODEC);
        assertThat(atB.text()).contains("opus");
        assertThat(a.nextEvent(CallEvent.Kind.ENDED).end().reason()).isEqualTo(CallEnd.Reason.NO_COMMON_CODEC);
        assertThat(res.audioStats().calls()).as("nothing reached the clock").isZero();
    }

    /**
     * Issue 12, H1: the caller trickles 10,000 extra candidates on loopback (unreachable ports,
     * lower priority than its real ones) in transport-info-sized batches after its offer; the
     * callee's leg, path and checklist keep a bounded number (100 candidates, 100 pairs) and the
     * call still connects.
     */
    @Test
    void aPeerTricklingTenThousandCandidatesStillConnects() throws Exception {
        a = side(A, AccountSettings.defaults());
        b = side(B, AccountSettings.defaults());
        PipeSide.pair(a, b);
        a.flood = 10_000;
        Call out = a.place("c1", B);
        b.next(CallEvent.Kind.INCOMING);
        b.registry.find("c1").orElseThrow().answer().toCompletableFuture().get(5, TimeUnit.SECONDS);
        a.next(CallEvent.Kind.JOINED);
        b.next(CallEvent.Kind.JOINED);
        assertThat(out.state()).isEqualTo(CallState.ACTIVE);
        out.hangup();
        assertThat(b.nextEvent(CallEvent.Kind.ENDED).end().reason()).isEqualTo(CallEnd.Reason.REMOTE_HANGUP);
    }

    PipeSide side(Jid jid, AccountSettings settings) {
        return new PipeSide(jid, res, settings, CallAudio.silence());
    }

    static AccountSettings withCodecs(String codec) {
        AccountSettings d = AccountSettings.defaults();
        return d.withMedia(d.audio(), List.of(new AccountSettings.Codec(codec, null, null, null, null, null)), List.of(),
                List.of(), null);
    }
}
