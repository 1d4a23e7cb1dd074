package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.tls.TlsContexts;
import org.openzoep.xmpp.tls.TlsMode;

/** The stream state machine on an {@link EmbeddedChannel}: the steps before TLS, and errors. */
class XmppStreamHandlerTest {
    static final String SERVER_HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='s1' version='1.0'>";

    EmbeddedChannel channel;
    CompletableFuture<XmppSession> login;

    @BeforeEach
    void setUp() throws Exception {
        SslContext ssl = new TlsContexts().forTrustStore(Optional.empty(), TlsMode.STARTTLS);
        XmppSessionConfig cfg = XmppSessionConfig.builder(Jid.parse("alice@localhost"), "pw").build();
        login = new CompletableFuture<>();
        channel = new EmbeddedChannel(new XmppStreamHandler(cfg, ssl, Runnable::run, new SerialExecutor(Runnable::run),
                new XmppSessionListener() {
                    @Override
                    public void onStanza(XmppSession s, org.openzoep.xmpp.stanza.Stanza st) {
                    }
                }, List.of(), login));
    }

    String written() {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    void serverSends(String xml) {
        channel.writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
    }

    XmppException loginFailure() {
        assertThat(login).isCompletedExceptionally();
        try {
            login.get();
            throw new AssertionError("login did not fail");
        } catch (ExecutionException | InterruptedException e) {
            return (XmppException) e.getCause();
        }
    }

    @Test
    void opensTheStreamAndAsksForStartTls() {
        assertThat(written()).startsWith("<?xml version='1.0' encoding='UTF-8'?><stream:stream xmlns='jabber:client'")
                .contains("to='localhost'").contains("version='1.0'");
        serverSends(SERVER_HEADER + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"
                + "<required/></starttls></stream:features>");
        assertThat(written()).isEqualTo("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        assertThat(login).isNotDone();
        channel.close();
        assertThat(loginFailure().kind()).isEqualTo(XmppException.Kind.CLOSED);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void refusesToAuthenticateWithoutTls() {
        written();
        serverSends(SERVER_HEADER + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + "<mechanism>PLAIN</mechanism></mechanisms></stream:features>");
        assertThat(written()).isEqualTo("</stream:stream>").doesNotContain("auth");
        assertThat(channel.isOpen()).isFalse();
        assertThat(loginFailure().kind()).isEqualTo(XmppException.Kind.TLS_REQUIRED);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aStreamErrorFromTheServerIsTyped() {
        written();
        serverSends(SERVER_HEADER + "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>no such domain</text></stream:error>");
        XmppException e = loginFailure();
        assertThat(e.kind()).isEqualTo(XmppException.Kind.STREAM_ERROR);
        assertThat(e.streamError().condition()).isEqualTo("host-unknown");
        assertThat(e.streamError().text()).isEqualTo("no such domain");
        assertThat(written()).isEqualTo("</stream:stream>");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aWrongContentNamespaceOrVersionIsAnsweredWithAStreamError() {
        written();
        serverSends("<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
        assertThat(written()).startsWith("<stream:error><invalid-namespace xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")
                .endsWith("</stream:stream>");
        assertThat(loginFailure().streamError().condition()).isEqualTo("invalid-namespace");
        channel.finishAndReleaseAll();
    }

    @Test
    void restrictedXmlFromTheServerIsAnsweredWithRestrictedXml() {
        written();
        serverSends(SERVER_HEADER + "<!-- hi -->");
        assertThat(written()).contains("<restricted-xml xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
        assertThat(loginFailure().streamError().condition()).isEqualTo("restricted-xml");
        channel.finishAndReleaseAll();
    }
}
