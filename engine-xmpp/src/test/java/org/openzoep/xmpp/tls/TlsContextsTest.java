package org.openzoep.xmpp.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import org.bouncycastle.jsse.BCSSLEngine;
import org.junit.jupiter.api.Test;

class TlsContextsTest {
    @Test
    void enginesAreBouncyCastlesWithHostnameCheckingAndAlpnForDirectTls() throws Exception {
        TlsContexts contexts = new TlsContexts();
        SslContext c = contexts.forTrustStore(Optional.empty(), TlsMode.DIRECT_TLS);
        SSLEngine e = c.newEngine(UnpooledByteBufAllocator.DEFAULT, "example.org", 5223);
        assertThat(e).isInstanceOf(BCSSLEngine.class);
        assertThat(e.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(e.getSSLParameters().getApplicationProtocols()).containsExactly("xmpp-client");
        assertThat(e.getUseClientMode()).isTrue();
        SSLEngine s = contexts.forTrustStore(Optional.empty(), TlsMode.STARTTLS)
                .newEngine(UnpooledByteBufAllocator.DEFAULT, "example.org", 5222);
        assertThat(s.getSSLParameters().getApplicationProtocols()).isEmpty();
    }
}
