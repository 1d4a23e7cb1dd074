package org.openzoep.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.openzoep.media.FakeClock;
import org.openzoep.media.stun.StunMessage;

/**
 * The gatherer over its sources, and the server-reflexive source over a {@link StunClient} on a
 * fake clock: host candidates first, redundancy pruning, completion, STUN Binding on the wire.
 */
class CandidateGathererTest {

    final FakeClock clock = new FakeClock();
    final Base base = new Base(null, CheckListTest.address("192.0.2.1", 5000), 65535);
    final Base v6 = new Base(null, CheckListTest.address("2001:db8::1", 5000), 65534);
    final List<IceCandidate> reported = new ArrayList<>();
    final List<String> events = new ArrayList<>();

    final CandidateGatherer.Listener listener = new CandidateGatherer.Listener() {
        @Override
        public void onLocalCandidate(IceCandidate c) {
            reported.add(c);
            events.add("candidate");
        }

        @Override
        public void onGatheringComplete() {
            events.add("complete");
        }
    };

    /** A source the test drives by hand. */
    static final class HandSource implements GatheringSource {
        Sink sink;

        @Override
        public void start(List<Base> bases, long now, Sink s) {
            this.sink = s;
        }
    }

    static IceCandidate srflx(Base base, String ip, int port) {
        return new IceCandidate("s", 1, "udp", IceCandidate.priority(IceCandidate.Type.SRFLX, 65535, 1),
                CheckListTest.address(ip, port), IceCandidate.Type.SRFLX, base.address, 0);
    }

    @Test
    void hostCandidatesAreListedAtBindAndReportedAtStartThenCompleteWithoutSources() {
        CandidateGatherer g = new CandidateGatherer(true, List.of(), listener);
        g.bound(List.of(base, v6));
        assertThat(g.signalled()).containsExactly(base.host, v6.host);
        assertThat(reported).isEmpty();
        g.start(clock.nanoTime());
        assertThat(reported).containsExactly(base.host, v6.host);
        assertThat(events).containsExactly("candidate", "candidate", "complete");
        assertThat(g.complete()).isTrue();
        assertThat(base.host.priority()).isEqualTo(IceCandidate.priority(IceCandidate.Type.HOST, 65535, 1));
    }

    @Test
    void redundantCandidatesArePrunedAndCompletionWaitsForEverySource() {
        HandSource one = new HandSource();
        HandSource two = new HandSource();
        CandidateGatherer g = new CandidateGatherer(true, List.of(one, two), listener);
        g.bound(List.of(base));
        g.start(clock.nanoTime());
        IceCandidate mapped = srflx(base, "203.0.113.1", 7000);
        one.sink.candidate(base, mapped);
        one.sink.candidate(base, srflx(base, "203.0.113.1", 7000)); // same address again
        one.sink.candidate(base, srflx(base, "192.0.2.1", 5000)); // equal to its base: no NAT
        one.sink.done(one);
        assertThat(g.complete()).isFalse();
        two.sink.done(two);
        assertThat(g.complete()).isTrue();
        assertThat(reported).containsExactly(base.host, mapped);
        assertThat(events).endsWith("complete");
        assertThat(events.stream().filter("complete"::equals)).hasSize(1);
        assertThat(g.reported(base)).isSameAs(base.host);
    }

    @Test
    void withHostsHiddenTheReflexiveCandidateStandsInForItsBase() {
        HandSource s = new HandSource();
        CandidateGatherer g = new CandidateGatherer(false, List.of(s), listener);
        g.bound(List.of(base));
        assertThat(g.signalled()).isEmpty();
        g.start(clock.nanoTime());
        assertThat(g.reported(base)).isSameAs(base.host);
        IceCandidate same = srflx(base, "192.0.2.1", 5000);
        s.sink.candidate(base, same); // kept: it proves srflx on a NAT-less machine
        assertThat(reported).containsExactly(same);
        assertThat(g.reported(base)).isSameAs(same);
    }

    @Test
    void nothingIsReportedAfterClose() {
        HandSource s = new HandSource();
        CandidateGatherer g = new CandidateGatherer(true, List.of(s), listener);
        g.bound(List.of(base));
        g.start(clock.nanoTime());
        g.close();
        s.sink.candidate(base, srflx(base, "203.0.113.1", 7000));
        s.sink.done(s);
        assertThat(reported).containsExactly(base.host);
        assertThat(events).doesNotContain("complete");
    }

    @Test
    void serverReflexiveSourceAsksEachServerOfTheBaseFamilyAndMakesCandidatesOfTheMappedAddress() {
        InetSocketAddress server4 = CheckListTest.address("198.51.100.10", 3478);
        InetSocketAddress server6 = CheckListTest.address("2001:db8::10", 3478);
        InetSocketAddress silent = CheckListTest.address("198.51.100.11", 3478);
        List<byte[]> requests = new ArrayList<>();
        List<InetSocketAddress> destinations = new ArrayList<>();
        StunClient client = new StunClient((b, to, m) -> {
            requests.add(m);
            destinations.add(to);
        }, new Random(2));
        ServerReflexiveSource source = new ServerReflexiveSource(
                List.of(server4, server6, silent, InetSocketAddress.createUnresolved("stun.example.org", 3478)), client);
        CandidateGatherer g = new CandidateGatherer(true, List.of(source), listener);
        g.bound(List.of(base, v6));
        g.start(clock.nanoTime());
        assertThat(destinations).containsExactly(server4, silent, server6);
        StunMessage request = StunMessage.parse(Unpooled.wrappedBuffer(requests.get(0)), 0, requests.get(0).length);
        assertThat(request.method()).isEqualTo(StunMessage.BINDING);
        assertThat(request.messageClass()).isEqualTo(StunMessage.REQUEST);
        assertThat(request.verifyFingerprint()).isTrue();
        assertThat(request.hasMessageIntegrity()).isFalse();

        InetSocketAddress mapped = CheckListTest.address("203.0.113.5", 40000);
        StunMessage answer = success(request.transactionId(), mapped);
        // from the wrong address or to the wrong base: dropped, the transaction goes on
        assertThat(client.onResponse(answer, base, silent, clock.nanoTime())).isFalse();
        assertThat(client.onResponse(answer, v6, server4, clock.nanoTime())).isFalse();
        assertThat(client.onResponse(answer, base, server4, clock.nanoTime())).isTrue();
        IceCandidate srflx = reported.get(reported.size() - 1);
        assertThat(srflx.type()).isEqualTo(IceCandidate.Type.SRFLX);
        assertThat(srflx.address()).isEqualTo(mapped);
        assertThat(srflx.related()).isEqualTo(base.address);
        assertThat(srflx.priority()).isEqualTo(IceCandidate.priority(IceCandidate.Type.SRFLX, 65535, 1));
        assertThat(srflx.foundation()).isEqualTo(IceCandidate.foundation(IceCandidate.Type.SRFLX,
                base.address.getAddress(), server4.getAddress(), "udp"));

        StunMessage v6request = StunMessage.parse(Unpooled.wrappedBuffer(requests.get(2)), 0, requests.get(2).length);
        ByteBuf err = Unpooled.buffer();
        StunMessage.write(err, StunMessage.BINDING, StunMessage.ERROR, v6request.transactionId())
                .errorCode(500, "Server Error").fingerprint();
        assertThat(client.onResponse(StunMessage.parse(err, 0, err.readableBytes()), v6, server6, clock.nanoTime()))
                .isTrue();
        assertThat(events).doesNotContain("complete");
        // the silent server is given up on at 2 s
        for (int i = 0; i < 199; i++) {
            clock.advanceMillis(10);
            client.tick(clock.nanoTime());
        }
        assertThat(events).doesNotContain("complete");
        clock.advanceMillis(10);
        client.tick(clock.nanoTime());
        assertThat(events).endsWith("complete");
        assertThat(reported).containsExactly(base.host, v6.host, srflx);
        assertThat(base.srflx).isSameAs(srflx);
    }

    static StunMessage success(byte[] id, InetSocketAddress mapped) {
        ByteBuf b = Unpooled.buffer();
        StunMessage.write(b, StunMessage.BINDING, StunMessage.SUCCESS, id).xorMappedAddress(mapped).fingerprint();
        return StunMessage.parse(b, 0, b.readableBytes());
    }
}
