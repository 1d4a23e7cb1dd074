package org.openzoep.xmpp.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.openzoep.xmpp.sasl.SaslException;
import org.openzoep.xmpp.sasl.SaslMechanism;

/**
 * A blocking, string-matching XMPP client for the kit's own tests: just enough to see stream
 * features, do STARTTLS or Direct TLS, and run a SASL exchange. Not a parser: it trusts the
 * server it started itself. Never use it as a model for the engine.
 *
 * <p>It lives in engine-xmpp's tests, in the kit's package, because it drives the engine's
 * {@link SaslMechanism}: the testkit module depends on no engine module (engine-xmpp's tests
 * depend on it), so the kit's tests that log in stay here with it.
 */
final class XmppProbe implements AutoCloseable {

    private static final Pattern MECHANISM = Pattern.compile("<mechanism>([^<]+)</mechanism>");
    private static final Pattern SASL_REPLY = Pattern.compile(
            "<(challenge|success|failure)\\b[^>]*?(?:/>|>(.*?)</\\1>)", Pattern.DOTALL);

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final StringBuilder buffer = new StringBuilder();

    private XmppProbe(Socket socket) throws IOException {
        use(socket);
    }

    /** A plain TCP connection. */
    static XmppProbe connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 5000);
        return new XmppProbe(s);
    }

    /** A Direct TLS connection that checks the certificate against {@code serverName}. */
    static XmppProbe connectTls(String host, int port, SSLContext ctx, String serverName) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host, port), 5000);
        return new XmppProbe(handshake(plain, ctx, serverName, host, port));
    }

    private void use(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(10_000);
        in = s.getInputStream();
        out = s.getOutputStream();
        buffer.setLength(0);
    }

    /** Opens a stream to {@code domain} and returns everything up to the end of the features. */
    String openStream(String domain) throws IOException {
        send("<?xml version='1.0'?><stream:stream to='" + domain + "' version='1.0' xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams'>");
        return readThrough("</stream:features>");
    }

    /** STARTTLS, then the TLS handshake (certificate checked for {@code serverName}). */
    SSLSocket startTls(SSLContext ctx, String serverName) throws IOException {
        send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        String reply = readThrough("/>");
        if (!reply.contains("<proceed")) {
            throw new IOException("STARTTLS refused: " + reply);
        }
        SSLSocket tls = handshake(socket, ctx, serverName, socket.getInetAddress().getHostAddress(), socket.getPort());
        use(tls);
        return tls;
    }

    private static SSLSocket handshake(Socket plain, SSLContext ctx, String serverName, String host, int port)
            throws IOException {
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, serverName, port, true);
        SSLParameters params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(params);
        tls.setSoTimeout(10_000);
        tls.startHandshake();
        return tls;
    }

    SSLSocket sslSocket() {
        return (SSLSocket) socket;
    }

    static List<String> mechanisms(String features) {
        List<String> names = new ArrayList<>();
        Matcher m = MECHANISM.matcher(features);
        while (m.find()) {
            names.add(m.group(1).trim());
        }
        return names;
    }

    /**
     * Runs a SASL exchange with {@code mechanism}.
     *
     * @return null on success (after {@link SaslMechanism#verifySuccess}), else the failure element
     */
    String authenticate(SaslMechanism mechanism) throws IOException, SaslException {
        byte[] first = mechanism.initialResponse();
        send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='" + mechanism.name() + "'>"
                + (first.length == 0 ? "=" : Base64.getEncoder().encodeToString(first)) + "</auth>");
        while (true) {
            String[] m = awaitSaslReply();
            String kind = m[1];
            if (kind.equals("failure")) {
                return m[0];
            }
            String body = m[2] == null ? "" : m[2].trim();
            byte[] data = body.isEmpty() || body.equals("=") ? new byte[0] : Base64.getDecoder().decode(body);
            switch (kind) {
                case "challenge":
                    byte[] response = mechanism.evaluateChallenge(data);
                    send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                            + (response.length == 0 ? "" : Base64.getEncoder().encodeToString(response))
                            + "</response>");
                    break;
                default:
                    mechanism.verifySuccess(data);
                    return null;
            }
        }
    }

    /** The next challenge, success or failure: whole element, name, content. */
    private String[] awaitSaslReply() throws IOException {
        while (true) {
            Matcher m = SASL_REPLY.matcher(buffer);
            if (m.find()) {
                String[] groups = {m.group(0), m.group(1), m.group(2)};
                buffer.delete(0, m.end());
                return groups;
            }
            fill();
        }
    }

    void send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads until {@code marker} has arrived; returns and consumes the text through it. */
    String readThrough(String marker) throws IOException {
        while (true) {
            int i = buffer.indexOf(marker);
            if (i >= 0) {
                String s = buffer.substring(0, i + marker.length());
                buffer.delete(0, i + marker.length());
                return s;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        byte[] chunk = new byte[8192];
        int n = in.read(chunk);
        if (n < 0) {
            throw new IOException("stream closed by the server; received: " + buffer);
        }
        buffer.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
