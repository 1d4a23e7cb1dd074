/**
 * TLS for client streams (RFC 6120 §5, XEP-0368 Direct TLS): PKIX validation of the server
 * chain against the JDK trust store or a configured PEM trust store, and the RFC 6125 match of
 * the certificate against the JID's domain (SNI carries the same name). There is no
 * trust-everything mode.
 *
 * <p>Threads: {@code SslContext}s are immutable and shared by every connection of an engine;
 * they are built once per trust configuration (file I/O happens there, never on an event loop).
 */
package org.openzoep.xmpp.tls;
