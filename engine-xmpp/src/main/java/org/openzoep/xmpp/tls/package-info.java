/**
 * TLS for client streams (RFC 6120 §5, XEP-0368 Direct TLS): PKIX validation of the server
 * chain against the JDK trust store or a configured PEM trust store, and the RFC 6125 match of
 * the certificate against the JID's domain (SNI carries the same name). There is no
 * trust-everything mode. The engines are BouncyCastle's JSSE (a provider object, never installed
 * globally), for the channel-binding data of SCRAM {@code -PLUS} ({@link
 * org.openzoep.xmpp.tls.ChannelBindings}: RFC 5929 {@code tls-unique} and
 * {@code tls-server-end-point}, RFC 9266 {@code tls-exporter} where the engine gives it).
 *
 * <p>Threads: {@code SslContext}s are immutable and shared by every connection of an engine;
 * they are built once per trust configuration (file I/O happens there, never on an event loop).
 * {@code ChannelBindings} are read on the connection's event loop after the handshake.
 *
 * <p>Buffers: none of its own; the {@code SslHandler}s it makes own the TLS records.
 */
package org.openzoep.xmpp.tls;
