package org.openzoep.testkit;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: a private {@link ProsodyServer} per test class.
 *
 * <pre>{@code
 * class LoginTest {
 *     @RegisterExtension
 *     static ProsodyExtension prosody = ProsodyExtension.builder()
 *             .account("alice", "secret")
 *             .account("bob", "secret")
 *             .directTls(true)
 *             .build();
 *
 *     @Test
 *     void login() {
 *         connect(prosody.host(), prosody.port(), prosody.domain(), prosody.caCertificate());
 *     }
 *
 *     @Test
 *     void serverDown(ProsodyServer server) {   // injected as a parameter as well
 *         server.stop();
 *         try {
 *             // ... expect a connection failure ...
 *         } finally {
 *             server.start();
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Registered on a {@code static} field, the server starts before the first test of the class
 * and is closed (stopped, temp directory deleted) after the last; on an instance field, it lives
 * for one test. A test may {@link ProsodyServer#stop()} the server to simulate an outage; the
 * extension starts it again (same port, same accounts) before the next test. Test methods and
 * lifecycle methods can declare a {@link ProsodyServer} parameter (with one
 * {@code ProsodyExtension} per class; two would compete for it).
 */
public final class ProsodyExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    /** Builds a {@link ProsodyExtension}; the settings are those of {@link ProsodyServer.Settings}. */
    public static final class Builder extends ProsodyServer.Settings<Builder> {
        Builder() {
        }

        /** The extension; register it with {@code @RegisterExtension}. */
        public ProsodyExtension build() {
            return new ProsodyExtension(this);
        }
    }

    /** A builder with the defaults of {@link ProsodyServer.Settings}. */
    public static Builder builder() {
        return new Builder();
    }

    private final ProsodyServer.Settings<?> settings;
    private ProsodyServer server;
    private ExtensionContext owner;

    private ProsodyExtension(ProsodyServer.Settings<?> settings) {
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startIn(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) {
            startIn(context);
        } else if (!server.isRunning()) {
            // A previous test stopped it to simulate an outage and did not restart it.
            server.start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeIn(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeIn(context);
    }

    private void startIn(ExtensionContext context) {
        server = new ProsodyServer(settings);
        owner = context;
        try {
            server.start();
        } catch (RuntimeException | Error e) {
            server.close();
            server = null;
            owner = null;
            throw e;
        }
    }

    private void closeIn(ExtensionContext context) {
        if (server != null && owner == context) {
            try {
                server.close();
            } finally {
                server = null;
                owner = null;
            }
        }
    }

    /**
     * The running server.
     *
     * @throws IllegalStateException outside the extension's lifetime
     */
    public ProsodyServer server() {
        if (server == null) {
            throw new IllegalStateException("Prosody is not started: register the extension with @RegisterExtension");
        }
        return server;
    }

    /** {@link ProsodyServer#host()}. */
    public String host() {
        return server().host();
    }

    /** {@link ProsodyServer#port()}. */
    public int port() {
        return server().port();
    }

    /** {@link ProsodyServer#directTlsPort()}. */
    public int directTlsPort() {
        return server().directTlsPort();
    }

    /** {@link ProsodyServer#domain()}. */
    public String domain() {
        return server().domain();
    }

    /** {@link ProsodyServer#caCertificate()}. */
    public Path caCertificate() {
        return server().caCertificate();
    }

    /** {@link ProsodyServer#jid(String)}. */
    public String jid(String user) {
        return server().jid(user);
    }

    /** {@link ProsodyServer#createAccount(String, String)}. */
    public void createAccount(String user, String password) {
        server().createAccount(user, password);
    }

    /** {@link ProsodyServer#createAccounts(String, int, String)}. */
    public List<String> createAccounts(String prefix, int n, String password) {
        return server().createAccounts(prefix, n, password);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == ProsodyServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return server();
    }
}
