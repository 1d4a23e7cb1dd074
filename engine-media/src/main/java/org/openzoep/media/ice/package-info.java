/**
 * An ICE agent (RFC 8445) for XEP-0176 Jingle ICE-UDP: one media stream, one component (rtcp-mux),
 * UDP host and server-reflexive candidates (STUN, RFC 8489), trickled remote candidates, learned
 * peer-reflexive candidates, the ordinary and triggered checks of one checklist paced at Ta, role
 * conflict resolution (487), regular nomination, and RFC 7675 consent freshness (which also serves
 * as the keepalive). Relayed (TURN) candidates, ICE restarts, several components and aggressive
 * nomination are not implemented.
 *
 * <p>Where it lives: house style once listed {@code ice} under engine-xmpp; the agent is here, in
 * engine-media, on purpose. Its connectivity checks share the media socket and the event loop
 * with DTLS, SRTP and RTP, and once connected the agent <em>is</em> the
 * {@link org.openzoep.media.transport.PacketTransport} of the selected pair. engine-xmpp only maps
 * XEP-0176 elements to and from {@link org.openzoep.media.ice.IceCandidate}; engine-core joins the
 * two.
 *
 * <p>Thread: each agent is confined to one event loop of the group it is given; all its sockets,
 * timers (one periodic tick that reads a {@link org.openzoep.media.MediaClock}) and
 * {@link org.openzoep.media.ice.IceAgent.Listener} callbacks run there. Its public methods may be
 * called from any thread and hand off to the loop. No thread per agent, nothing blocks.
 *
 * <p>Buffers: inbound datagrams are released by the agent after the
 * {@link org.openzoep.media.transport.PacketReceiver} has borrowed them for the call;
 * {@code send} takes ownership of its buffer; STUN messages are written into buffers the agent
 * allocates and hands to Netty. A malformed or unexpected datagram is dropped and counted, never
 * thrown for.
 */
package org.openzoep.media.ice;
