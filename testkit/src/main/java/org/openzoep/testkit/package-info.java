/**
 * Test kit: real servers on loopback, started and stopped by the test (or demo, or load harness)
 * that uses them (TESTING.md). Main code of its own module, so the tests of every module, the
 * {@code zoep demo} and the benchmarks share it without any test-jar on a shipped class path.
 *
 * <ul>
 *   <li>{@link org.openzoep.testkit.TestPki}: a throwaway CA and server certificates made
 *       with the {@code openssl} CLI.
 *   <li>{@link org.openzoep.testkit.ProsodyServer} (XMPP, RFC 6120/6121; Direct TLS, XEP-0368) and
 *       the JUnit 5 extension {@link org.openzoep.testkit.ProsodyExtension}: a private Prosody on
 *       loopback per test class, with accounts (SCRAM credentials written in Prosody's
 *       {@code internal_hashed} format, RFC 5802). Behind it, package-private: {@code ProsodyConfig}
 *       (the Lua config), {@code ProsodyAccounts} ({@code prosodyctl register} and account files)
 *       and {@code ProsodyProcess} (start, readiness wait, stop).
 *   <li>{@link org.openzoep.testkit.StunServer}: coturn as a STUN (RFC 5389) or TURN (RFC 5766)
 *       server on loopback, and a STUN binding-request probe.
 *   <li>{@link org.openzoep.testkit.FreePorts}: free loopback ports.
 * </ul>
 *
 * <p>How: each server runs as a child process ({@code prosody}, {@code turnserver}) in the
 * foreground with its own temp directory (config, data, log, pidfile), on free ports of
 * 127.0.0.1, never touching the system's configuration or services. Binaries come from Debian
 * packages ({@code prosody}, {@code coturn}, {@code openssl}); when one is missing the kit fails
 * with the package to install, never skips.
 *
 * <p>Dependencies: the JDK only, plus JUnit's API for {@code ProsodyExtension} (an optional
 * dependency: users of the extension have JUnit already). The kit depends on no engine module, so
 * every engine module's tests can use it; the kit's own checks that need the engine (the SASL
 * logins of {@code ProsodyServerTest}) live in engine-xmpp's tests, in this package.
 *
 * <p>Threads and processes: the servers here are used from the calling (test) thread and are not
 * thread-safe ({@code TestPki} is safe from any thread); everything blocks (process start, polling
 * with deadlines) and must never be called from a Netty event loop, an audio thread or a callback
 * executor. Each server object owns its process and temp directory and
 * releases both in {@code close()}; a JVM shutdown hook kills a process that was not stopped.
 * No buffers cross this package.
 */
package org.openzoep.testkit;
