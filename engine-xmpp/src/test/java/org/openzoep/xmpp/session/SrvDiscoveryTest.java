package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.testkit.FreePorts;
import org.openzoep.testkit.ProsodyServer;

/**
 * Server discovery (RFC 6120 §3.2) through Netty's resolver against a small DNS server inside
 * the test, which answers SRV queries for {@code _xmpp-client._tcp.localhost}.
 */
class SrvDiscoveryTest {
    static ProsodyServer prosody;
    static EventLoopGroup dnsGroup;
    static Channel dns;
    static ExecutorService callbacks;
    /** SRV answers by query name: each int[] is {priority, weight, port}. */
    static final Map<String, List<int[]>> SRV = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        prosody = ProsodyServer.builder().account("alice", "alice-pw").start();
        callbacks = Executors.newSingleThreadExecutor();
        dnsGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        dns = new Bootstrap().group(dnsGroup).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) {
                                        ctx.writeAndFlush(answer(ctx, q));
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    static DatagramDnsResponse answer(ChannelHandlerContext ctx, DatagramDnsQuery query) {
        DnsQuestion q = query.recordAt(DnsSection.QUESTION);
        DatagramDnsResponse r = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
        r.setRecursionAvailable(true);
        r.addRecord(DnsSection.QUESTION, q);
        List<int[]> targets = SRV.get(q.name());
        if (q.type() == DnsRecordType.SRV && targets != null) {
            for (int[] t : targets) {
                ByteBuf rdata = ctx.alloc().buffer();
                rdata.writeShort(t[0]).writeShort(t[1]).writeShort(t[2]);
                for (String label : "localhost".split("\\.")) {
                    rdata.writeByte(label.length()).writeBytes(label.getBytes(StandardCharsets.US_ASCII));
                }
                rdata.writeByte(0);
                r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), DnsRecordType.SRV, 60, rdata));
            }
        } else {
            r.setCode(DnsResponseCode.NXDOMAIN);
        }
        return r;
    }

    @AfterAll
    static void stop() {
        dns.close().syncUninterruptibly();
        dnsGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        callbacks.shutdown();
        prosody.close();
    }

    static XmppClient client() {
        return XmppClient.builder().threads(1).dnsServers(List.of((InetSocketAddress) dns.localAddress()))
                .dnsTimeoutMillis(2000).build();
    }

    static XmppSessionConfig config() {
        // no host: the server is found through DNS
        return XmppSessionConfig.builder(Jid.parse("alice@localhost"), "alice-pw")
                .trustStorePem(prosody.caCertificate()).loginTimeout(Duration.ofSeconds(15)).build();
    }

    @Test
    void srvRecordsAreTriedInPriorityOrderUntilOneAnswers() throws Exception {
        int dead = FreePorts.tcp();
        SRV.put("_xmpp-client._tcp.localhost.", List.of(new int[] {20, 0, prosody.port()}, new int[] {10, 0, dead}));
        try (XmppClient client = client()) {
            XmppSession s = client.connect(config(), new RecordingListener(), callbacks).toCompletableFuture()
                    .get(20, TimeUnit.SECONDS);
            assertThat(s.jid().bare()).isEqualTo(Jid.parse("alice@localhost"));
            s.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            SRV.clear();
        }
    }

    @Test
    void withoutSrvRecordsTheDomainItselfOnPort5222IsTried() {
        try (XmppClient client = client()) {
            assertThatThrownBy(() -> client.connect(config(), new RecordingListener(), callbacks)
                    .toCompletableFuture().get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(XmppException.class, e -> {
                        assertThat(e.kind()).isEqualTo(XmppException.Kind.CONNECT_FAILED);
                        assertThat(e.getMessage()).contains(":5222");
                    });
        }
    }
}
