/**
 * Test kit: real servers started by the test itself (TESTING.md), shared with other modules
 * through this module's test-jar.
 *
 * <ul>
 *   <li>{@link org.openzoep.xmpp.testkit.TestPki}: a throwaway CA and server certificates made
 *       with the {@code openssl} CLI.
 *   <li>{@link org.openzoep.xmpp.testkit.ProsodyServer} and the JUnit 5 extension
 *       {@link org.openzoep.xmpp.testkit.ProsodyExtension}: a private Prosody on loopback per
 *       test class, with accounts.
 *   <li>{@link org.openzoep.xmpp.testkit.StunServer}: coturn as a STUN (or TURN) server on
 *       loopback, and a STUN binding-request probe.
 *   <li>{@link org.openzoep.xmpp.testkit.FreePorts}: free loopback ports.
 * </ul>
 *
 * <p>Binaries come from Debian packages ({@code prosody}, {@code coturn}, {@code openssl});
 * when one is missing the kit fails with the package to install, never skips.
 *
 * <p>Threads: the classes here are used from the test thread; they block (process start,
 * polling with deadlines) and must never be called from a Netty event loop. Each server object
 * owns its process and temp directory and releases both in {@code close()}.
 */
package org.openzoep.xmpp.testkit;
