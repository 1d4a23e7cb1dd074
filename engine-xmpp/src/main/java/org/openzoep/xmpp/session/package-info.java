/**
 * The client session (RFC 6120, RFC 6121): connect (DNS SRV per RFC 6120 §3.2 and XEP-0368,
 * or an explicit host), STARTTLS or Direct TLS, SASL, resource binding, then stanzas; iq
 * correlation with timeouts and sender checks, roster pushes, XEP-0199 ping, XEP-0030 disco#info
 * with one client identity and the configured features, also on the XEP-0115 {@code node#ver}
 * whose caps element the session exposes for outgoing presence; stream errors as typed failures;
 * graceful close.
 *
 * <p>Threads: an {@link org.openzoep.xmpp.session.XmppClient} owns one event-loop group shared by
 * every session; each {@link org.openzoep.xmpp.session.XmppSession} is confined to its channel's
 * event loop. Listener callbacks are handed to the executor given by the application, never run on
 * the event loop. Nothing here blocks.
 *
 * <p>Buffers: the stream decoder borrows each inbound {@code ByteBuf} (the pipeline's
 * {@code ByteToMessage} contract releases it); outgoing stanzas are written by
 * {@link org.openzoep.xmpp.xml.XmlWriter} into a buffer that Netty's write path takes over.
 */
package org.openzoep.xmpp.session;
