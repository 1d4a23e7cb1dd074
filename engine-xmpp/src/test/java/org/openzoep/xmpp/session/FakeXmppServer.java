package org.openzoep.xmpp.session;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlLimits;
import org.openzoep.xmpp.xml.XmlStreamParser;
import org.openzoep.xmpp.xml.XmlViolation;

/**
 * A small scripted XMPP server for tests of what real servers will not do: it negotiates
 * STARTTLS, SASL PLAIN (any password) and bind like a server, then hands the online connection
 * to a hostile script. It reads the client with OpenZoep's own parser and records every element
 * the client sent, so tests can assert the stream errors the client wrote.
 */
final class FakeXmppServer implements AutoCloseable {
    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='fake%d' version='1.0'>";

    /** What the server does at each step; defaults behave like a correct server. */
    static class Script {
        /** Called when the client's first stream header arrives; return false to take over. */
        boolean onFirstHeader(Conn c) {
            return true;
        }

        /** Features offered before TLS. */
        String preTlsFeatures() {
            return "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>";
        }

        /** Called once the client is bound and online. */
        void online(Conn c) {
        }

        /** Called for every element the client sends once online. */
        void element(Conn c, XmlElement e) {
        }
    }

    /** One client connection, as the script sees it. */
    final class Conn {
        final Channel channel;
        String jid;

        Conn(Channel channel) {
            this.channel = channel;
        }

        void send(String xml) {
            channel.writeAndFlush(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
        }

        void sendBytes(byte[] b) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(b));
        }
    }

    final BlockingQueue<XmlElement> received = new LinkedBlockingQueue<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final SslContext tls;
    private final Script script;

    FakeXmppServer(SslContext tls, Script script) throws InterruptedException {
        this.tls = tls;
        this.script = script;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ServerHandler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The next element the client sent, or null after the deadline. */
    XmlElement nextReceived(long seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class ServerHandler extends ChannelInboundHandlerAdapter implements XmlStreamParser.Handler {
        private final XmlStreamParser parser = new XmlStreamParser(XmlLimits.DEFAULT, this);
        private Conn conn;
        private int headers;
        private boolean tlsDone;
        private boolean authed;
        private boolean online;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            conn = new Conn(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                parser.feed(b);
            } finally {
                b.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void streamOpened(XmlElement header, String ns) {
            headers++;
            if (headers == 1 && !script.onFirstHeader(conn)) {
                return;
            }
            String head = String.format(HEADER, headers);
            if (!tlsDone) {
                conn.send(head + script.preTlsFeatures());
            } else if (!authed) {
                conn.send(head + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                        + "<mechanism>PLAIN</mechanism></mechanisms></stream:features>");
            } else {
                conn.send(head + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
            }
        }

        @Override
        public void element(XmlElement e) {
            received.add(e);
            if (online) {
                script.element(conn, e);
                return;
            }
            if (e.is("starttls", "urn:ietf:params:xml:ns:xmpp-tls")) {
                conn.send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
                conn.channel.pipeline().addFirst(tls.newHandler(conn.channel.alloc()));
                tlsDone = true;
                parser.restart();
            } else if (e.is("auth", "urn:ietf:params:xml:ns:xmpp-sasl")) {
                conn.send("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
                authed = true;
                parser.restart();
            } else if (e.name().equals("iq") && e.child("bind", "urn:ietf:params:xml:ns:xmpp-bind") != null) {
                conn.jid = "user@localhost/fake";
                conn.send("<iq type='result' id='" + e.attr("id") + "'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                        + "<jid>" + conn.jid + "</jid></bind></iq>");
                online = true;
                script.online(conn);
            }
        }

        @Override
        public void streamClosed() {
            received.add(XmlElement.of("closed-by-client", "test:"));
        }

        @Override
        public void failed(XmlViolation v, String d) {
            violations.add(v + ": " + d);
        }
    }

    /** Runs {@code action} on the connection's event loop. */
    static void later(Conn c, BiConsumer<Conn, Channel> action) {
        c.channel.eventLoop().execute(() -> action.accept(c, c.channel));
    }
}
