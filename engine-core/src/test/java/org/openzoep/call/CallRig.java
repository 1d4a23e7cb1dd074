package org.openzoep.call;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.openzoep.Account;
import org.openzoep.AccountListener;
import org.openzoep.AccountSettings;
import org.openzoep.CallAudio;
import org.openzoep.ZoepEngine;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.tls.TlsMode;

/** What the call tests share: engines whose media stays on loopback, and accounts logged in for calls. */
final class CallRig {
    private CallRig() {
    }

    /** An engine builder with ICE host candidates on 127.0.0.1 only (tests send only to loopback). */
    static ZoepEngine.Builder engine() {
        try {
            return ZoepEngine.builder().mediaAddresses(List.of(InetAddress.getByName("127.0.0.1")));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Registers, configures ({@code settings} may change the defaults), logs in as
     * {@code user@domain/resource} (password {@code user-pw}) and sends available presence, so that
     * proposals to the bare JID reach it. Calls use silence unless the test says otherwise. Anyone
     * may call these accounts ({@code IncomingCalls.EVERYONE}: the call tests are about calls, not
     * about who may make them; RingFloodTest covers that with the default).
     */
    static Account online(ZoepEngine engine, AccountListener listener, ProsodyServer prosody, String user,
            String resource, UnaryOperator<AccountSettings> settings) throws Exception {
        Account a = engine.registerAccount(listener);
        a.configure(settings.apply(AccountSettings.defaults().withServer(prosody.host(), prosody.port())
                .withTls(TlsMode.STARTTLS, prosody.caCertificate())
                .withIncomingCalls(AccountSettings.IncomingCalls.EVERYONE))).toCompletableFuture().get();
        a.defaultAudio(CallAudio.silence()).toCompletableFuture().get();
        a.login(Jid.parse(user + "@" + prosody.domain() + "/" + resource), user + "-pw").toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        a.sendPresence(null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        return a;
    }

    static Account online(ZoepEngine engine, AccountListener listener, ProsodyServer prosody, String user,
            String resource) throws Exception {
        return online(engine, listener, prosody, user, resource, UnaryOperator.identity());
    }

    /** Closes what was started (engines before servers), skipping what never started. */
    static void close(AutoCloseable... started) throws Exception {
        for (AutoCloseable c : started) {
            if (c != null) {
                c.close();
            }
        }
    }
}
