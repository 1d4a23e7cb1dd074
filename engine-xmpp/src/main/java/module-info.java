/**
 * OpenZoep's XMPP engine: a hand-rolled RFC 6120/6121 client on Netty with the Aalto async XML
 * parser, and the XEP payloads a VoIP client speaks (Jingle, disco, caps, external services).
 *
 * <p>Exported to everyone: the API an application or another engine module builds on —
 * {@code stanza} (JIDs, stanzas, errors), {@code xml} (the element model stanzas carry, the
 * streaming parser and writer), {@code tls} (the TLS modes) and {@code session} (the client, its
 * configuration, listener and failures). Exported only to engine-core: the Jingle and disco
 * payloads its call layer maps. Not exported: SASL, which only the stream negotiation uses.
 * This module never sees the media module (docs/architecture.md).
 */
module org.openzoep.xmpp {
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires transitive io.netty.transport;
    requires io.netty.codec;
    requires io.netty.codec.dns;
    requires io.netty.handler;
    requires io.netty.resolver;
    requires io.netty.resolver.dns;
    requires io.netty.transport.classes.epoll;
    requires com.fasterxml.aalto;
    requires java.xml;
    requires org.slf4j;
    requires org.bouncycastle.tls;

    exports org.openzoep.xmpp.stanza;
    exports org.openzoep.xmpp.xml;
    exports org.openzoep.xmpp.tls;
    exports org.openzoep.xmpp.session;
    exports org.openzoep.xmpp.jingle to org.openzoep.core;
    exports org.openzoep.xmpp.disco to org.openzoep.core;
}
