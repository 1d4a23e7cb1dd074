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
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.openzoep.testkit.TestPki;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlLimits;
import org.openzoep.xmpp.xml.XmlStreamParser;
import org.openzoep.xmpp.xml.XmlViolation;

/**
 * A scripted XMPP server over Direct TLS (BouncyCastle's JSSE on the server side, so that it can
 * read its own channel-binding data) that speaks SCRAM (SHA-1/256/512, with and without
 * {@code -PLUS}) and PLAIN like a server, and can play a man in the middle: advertise a stripped
 * offer while its XEP-0474 hash covers the genuine one. The SCRAM server side is written from
 * RFC 5802 with the JDK's PBKDF2 ({@code PBKDF2WithHmacSHA*}), independently of the client code.
 * It records what the client chose and sent.
 */
final class ScramServer implements AutoCloseable {
    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='scram%d' version='1.0'>";
    static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    static final String PASSWORD = "secret";
    static final byte[] SALT = "QSXCR+Q6sek8bf92".getBytes(StandardCharsets.US_ASCII);

    /** What the server offers and how it behaves. */
    static final class Script {
        /** The mechanisms it advertises (what reaches the client). */
        List<String> mechanisms = List.of("SCRAM-SHA-256");
        /** The XEP-0440 types it advertises, or null for no {@code <sasl-channel-binding/>}. */
        List<String> bindingTypes;
        /** XEP-0474: the genuine mechanisms its {@code h=} covers, or null to send no {@code h=}. */
        List<String> ssdpMechanisms;
        /** XEP-0474: the genuine types its {@code h=} covers (null: none advertised). */
        List<String> ssdpBindingTypes;
        int iterations = 4096;
        String tlsProtocol = "TLSv1.3";
        /** Counted down when the server-first-message is sent. */
        final CountDownLatch challengeSent = new CountDownLatch(1);
        /** Counted down when the client-final-message arrives. */
        final CountDownLatch clientFinal = new CountDownLatch(1);

        Script mechanisms(String... m) {
            mechanisms = List.of(m);
            return this;
        }

        Script bindingTypes(String... t) {
            bindingTypes = List.of(t);
            return this;
        }
    }

    final Script script;
    /** The mechanism in the client's {@code <auth/>}. */
    final AtomicReference<String> mechanism = new AtomicReference<>();
    /** The GS2 header of the client-first-message. */
    final AtomicReference<String> gs2Header = new AtomicReference<>();
    /** Why the server refused the client-final-message, or "ok". */
    final AtomicReference<String> verdict = new AtomicReference<>();
    final List<String> violations = new ArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    ScramServer(TestPki pki, Script script) throws Exception {
        this.script = script;
        TestPki.ServerCertificate cert = pki.serverCertificate("localhost");
        Provider jsse = new BouncyCastleJsseProvider(false, new JcaTlsCryptoProvider() {
            @Override
            public JcaTlsCrypto create(SecureRandom random) {
                return create(new SecureRandom(), new SecureRandom());
            }
        });
        // BC's own key manager: the JDK's SunX509 one does not know BC's key types (EC/secp256r1)
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", jsse);
        kmf.init(keyStore(cert), new char[0]);
        SslContext tls = SslContextBuilder.forServer(kmf)
                .sslProvider(SslProvider.JDK)
                .sslContextProvider(jsse)
                .protocols(script.tlsProtocol)
                .build();
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast(new Conn());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    private static KeyStore keyStore(TestPki.ServerCertificate cert) throws Exception {
        String pem = Files.readString(cert.privateKey());
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(cert.certificate())) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, new char[0], chain);
        return ks;
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** XEP-0474 §5.1: the hash of the sorted mechanisms and (if advertised) sorted types. */
    static byte[] ssdpHash(String digest, List<String> mechanisms, List<String> types) throws Exception {
        List<String> m = new ArrayList<>(mechanisms);
        m.sort(null);
        String s = String.join("\u001E", m);
        if (types != null) {
            List<String> t = new ArrayList<>(types);
            t.sort(null);
            s += "\u001F" + String.join("\u001E", t);
        }
        return MessageDigest.getInstance(digest).digest(s.getBytes(StandardCharsets.UTF_8));
    }

    private final class Conn extends ChannelInboundHandlerAdapter implements XmlStreamParser.Handler {
        private final XmlStreamParser parser = new XmlStreamParser(XmlLimits.DEFAULT, this);
        private Channel ch;
        private int headers;
        private boolean authed;
        private String hashName;
        private String gs2;
        private String clientFirstBare;
        private String serverFirst;
        private String nonce;
        private String from = "user@localhost";

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ch = ctx.channel();
            ctx.fireChannelActive();
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

        private void send(String xml) {
            ch.writeAndFlush(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
        }

        @Override
        public void streamOpened(XmlElement header, String ns) {
            headers++;
            if (header.attr("from") != null) {
                from = header.attr("from");
            }
            String head = String.format(HEADER, headers);
            if (!authed) {
                StringBuilder f = new StringBuilder("<stream:features><mechanisms xmlns='" + SASL + "'>");
                for (String m : script.mechanisms) {
                    f.append("<mechanism>").append(m).append("</mechanism>");
                }
                f.append("</mechanisms>");
                if (script.bindingTypes != null) {
                    f.append("<sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'>");
                    for (String t : script.bindingTypes) {
                        f.append("<channel-binding type='").append(t).append("'/>");
                    }
                    f.append("</sasl-channel-binding>");
                }
                send(head + f + "</stream:features>");
            } else {
                send(head + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
            }
        }

        @Override
        public void element(XmlElement e) {
            try {
                if (e.is("auth", SASL)) {
                    auth(e);
                } else if (e.is("response", SASL)) {
                    response(e);
                } else if (e.name().equals("iq") && e.child("bind", "urn:ietf:params:xml:ns:xmpp-bind") != null) {
                    send("<iq type='result' id='" + e.attr("id") + "'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                            + "<jid>" + from + "/scram</jid></bind></iq>");
                }
            } catch (Exception ex) {
                violations.add(ex.toString());
                ch.close();
            }
        }

        private void auth(XmlElement e) throws Exception {
            String name = e.attr("mechanism");
            mechanism.set(name);
            if (name.equals("PLAIN")) {
                succeed("");
                return;
            }
            String base = name.replace("-PLUS", "");
            hashName = switch (base) {
                case "SCRAM-SHA-1" -> "SHA-1";
                case "SCRAM-SHA-256" -> "SHA-256";
                case "SCRAM-SHA-512" -> "SHA-512";
                default -> throw new IllegalStateException("unexpected mechanism " + name);
            };
            String first = new String(Base64.getDecoder().decode(e.text().trim()), StandardCharsets.UTF_8);
            int second = first.indexOf(',', first.indexOf(',') + 1);
            gs2 = first.substring(0, second + 1);
            gs2Header.set(gs2);
            clientFirstBare = first.substring(second + 1);
            String cnonce = clientFirstBare.substring(clientFirstBare.indexOf("r=") + 2);
            nonce = cnonce + "srvNonce";
            serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(SALT) + ",i=" + script.iterations;
            if (script.ssdpMechanisms != null) {
                serverFirst += ",h=" + Base64.getEncoder().encodeToString(
                        ssdpHash(hashName, script.ssdpMechanisms, script.ssdpBindingTypes));
            }
            send("<challenge xmlns='" + SASL + "'>"
                    + Base64.getEncoder().encodeToString(serverFirst.getBytes(StandardCharsets.UTF_8)) + "</challenge>");
            script.challengeSent.countDown();
        }

        private void response(XmlElement e) throws Exception {
            script.clientFinal.countDown();
            String fin = new String(Base64.getDecoder().decode(e.text().trim()), StandardCharsets.UTF_8);
            String withoutProof = fin.substring(0, fin.lastIndexOf(",p="));
            byte[] proof = Base64.getDecoder().decode(fin.substring(fin.lastIndexOf(",p=") + 3));
            String c = withoutProof.substring(2, withoutProof.indexOf(','));
            byte[] expectedC = gs2.getBytes(StandardCharsets.US_ASCII);
            if (gs2.startsWith("p=")) {
                String type = gs2.substring(2, gs2.indexOf(','));
                BCSSLEngine engine = (BCSSLEngine) ch.pipeline().get(SslHandler.class).engine();
                byte[] data = engine.getConnection().getChannelBinding(type);
                if (data == null && type.equals("tls-server-end-point")) {
                    // BC 1.82 gives none on TLS 1.3: RFC 5929 §4.1 by hand, our certificate is ECDSA with SHA-256
                    data = MessageDigest.getInstance("SHA-256").digest(
                            ch.pipeline().get(SslHandler.class).engine().getSession().getLocalCertificates()[0].getEncoded());
                }
                byte[] all = new byte[expectedC.length + data.length];
                System.arraycopy(expectedC, 0, all, 0, expectedC.length);
                System.arraycopy(data, 0, all, expectedC.length, data.length);
                expectedC = all;
            }
            if (!MessageDigest.isEqual(Base64.getDecoder().decode(c), expectedC)) {
                verdict.set("channel binding mismatch");
                send("<failure xmlns='" + SASL + "'><not-authorized/></failure>");
                return;
            }
            String hmac = "Hmac" + hashName.replace("-", "");
            int bits = MessageDigest.getInstance(hashName).getDigestLength() * 8;
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2With" + hmac)
                    .generateSecret(new PBEKeySpec(PASSWORD.toCharArray(), SALT, script.iterations, bits)).getEncoded();
            byte[] clientKey = mac(hmac, salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] storedKey = MessageDigest.getInstance(hashName).digest(clientKey);
            byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
            byte[] signature = mac(hmac, storedKey, authMessage);
            byte[] recovered = new byte[proof.length];
            for (int i = 0; i < proof.length; i++) {
                recovered[i] = (byte) (proof[i] ^ signature[i]);
            }
            if (!MessageDigest.isEqual(MessageDigest.getInstance(hashName).digest(recovered), storedKey)) {
                verdict.set("wrong proof");
                send("<failure xmlns='" + SASL + "'><not-authorized/></failure>");
                return;
            }
            verdict.set("ok");
            byte[] serverKey = mac(hmac, salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
            succeed("v=" + Base64.getEncoder().encodeToString(mac(hmac, serverKey, authMessage)));
        }

        private void succeed(String additional) {
            authed = true;
            send("<success xmlns='" + SASL + "'>"
                    + (additional.isEmpty() ? "" : Base64.getEncoder().encodeToString(additional.getBytes(StandardCharsets.UTF_8)))
                    + "</success>");
            parser.restart();
        }

        private byte[] mac(String alg, byte[] key, byte[] data) throws Exception {
            Mac m = Mac.getInstance(alg);
            m.init(new SecretKeySpec(key, alg));
            return m.doFinal(data);
        }

        @Override
        public void streamClosed() {
            ch.close();
        }

        @Override
        public void failed(XmlViolation v, String d) {
            violations.add(v + ": " + d);
        }
    }
}
