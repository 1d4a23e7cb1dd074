/**
 * The OpenZoep XML stream API (the article's vocabulary, {@code docs/api.md}):
 * {@link org.openzoep.internal.xmlapi.XmlApi} parses the application's Jabber client stream
 * (RFC 6120 framing, XEP-0078 login shape, the {@code configuration} iq of
 * {@link org.openzoep.internal.xmlapi.ConfigurationXml}, {@code <voice/>}) and writes the
 * engine's answers and events. It reaches the account only through {@code XmlApi.Host} and calls
 * only through the call registry's {@link org.openzoep.Call}s; it never sees a signaller. Every
 * stanza the application writes is sent or answered with a stanza error (RFC 6120 §8.3; e.g.
 * {@code resource-constraint} when the account's send queue is full), never dropped silently.
 * Only the engine emits {@code <voice/>}: one inside a stanza from the server is removed first.
 *
 * <p>Thread: confined to the account's serial executor. Buffers: the application's bytes arrive
 * as a copied array owned by the parser for the call; output leaves as Strings.
 */
package org.openzoep.internal.xmlapi;
