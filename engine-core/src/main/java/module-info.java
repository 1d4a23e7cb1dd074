/**
 * OpenZoep's embedding API: the engine, accounts, calls, their events and failures, and the XML
 * API of the original OpenZoep. Exports only the API package {@code org.openzoep}; everything under
 * {@code org.openzoep.internal} is the house behind it, found through the {@link
 * org.openzoep.EngineProvider} service. Joins the protocol module (engine-xmpp) and the media
 * module (engine-media), which never see each other (docs/architecture.md).
 */
module org.openzoep.core {
    requires transitive org.openzoep.xmpp;
    requires transitive org.openzoep.media;
    requires io.netty.transport.classes.epoll;
    requires org.slf4j;

    exports org.openzoep;

    uses org.openzoep.EngineProvider;
    provides org.openzoep.EngineProvider with org.openzoep.internal.engine.DefaultEngineProvider;
}
