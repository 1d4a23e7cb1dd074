/**
 * An ICE agent (RFC 8445) for XEP-0176 Jingle ICE-UDP: one media stream, one component (rtcp-mux),
 * UDP host and server-reflexive candidates (STUN, RFC 8489), trickled remote candidates, learned
 * peer-reflexive candidates, the ordinary and triggered checks of one checklist paced at Ta, role
 * conflict resolution (487), regular nomination, and RFC 7675 consent freshness (which also serves
 * as the keepalive). Relayed (TURN, RFC 8656) candidates, ICE restarts, several components,
 * aggressive nomination and RFC 8421 multihomed local preferences are not implemented (the local
 * preference is simply the host-address order).
 *
 * <p>The parts, each its own class, joined by {@link org.openzoep.media.ice.IceAgent}:
 * <ul>
 *   <li>{@code CandidateGatherer} over a list of {@code GatheringSource}s: host candidates of the
 *       bound {@code Base}s, then {@code ServerReflexiveSource} (RFC 8445 section 5.1.1, 5.1.3
 *       pruning). A TURN relay source is one more {@code GatheringSource} in that list.</li>
 *   <li>{@code CheckList} of {@code CandidatePair}s in {@code PairState}s (section 6.1.2): pairing,
 *       pruning, pair priority, frozen/waiting by foundation, the triggered-check queue, pacing at
 *       Ta and the check timeout; at most 100 remote candidates and 100 pairs (section 6.1.2.5,
 *       the lowest-priority Frozen or Waiting pairs discarded).</li>
 *   <li>{@code StunClient} running {@code StunTransaction}s on a {@code StunRetransmission}
 *       schedule (RFC 8489 section 6.2.1: RTO doubling, Rc, Rm).</li>
 *   <li>{@code Nomination}: the role, tie-breaker conflicts, regular nomination by the controlling
 *       agent and USE-CANDIDATE followed by the controlled one (sections 7.3.1.1, 8.1.1, 7.3.1.5).</li>
 *   <li>{@code ConsentFreshness} (RFC 7675): the consent check interval and consent expiry.</li>
 *   <li>{@code ConnectivityChecks}: the STUN of checks, both ways, with short-term credentials
 *       (sections 7.2, 7.3); {@code SelectedPath}: the agent's state, its selected pair, RFC 7983
 *       demultiplexing and {@code EarlyDatagrams}; {@code IceSockets}: the UDP sockets.</li>
 * </ul>
 * Time reaches every part as {@code now} from the agent's {@link org.openzoep.media.MediaClock},
 * so each is unit-tested on a fake clock.
 *
 * <p>Where it lives: house style once listed {@code ice} under engine-xmpp; the agent is here, in
 * engine-media, on purpose. Its connectivity checks share the media socket and the event loop
 * with DTLS, SRTP and RTP, and once connected the agent <em>is</em> the
 * {@link org.openzoep.media.transport.PacketTransport} of the selected pair. engine-xmpp only maps
 * XEP-0176 elements to and from {@link org.openzoep.media.ice.IceCandidate}; engine-core joins the
 * two.
 *
 * <p>Thread: each agent and all its parts are confined to one event loop of the group it is
 * given; all its sockets, timers (one periodic tick that reads the clock) and
 * {@link org.openzoep.media.ice.IceAgent.Listener} callbacks run there. No part is thread-safe
 * and none needs to be. The agent's public methods may be called from any thread and hand off to
 * the loop; only its state, selected pair, counters and {@code send} are read or used directly
 * from other threads (volatile fields). No thread per agent, nothing blocks.
 *
 * <p>Buffers: inbound datagrams are released by the socket handler after the
 * {@link org.openzoep.media.transport.PacketReceiver} has borrowed them for the call (the media
 * path allocates nothing per packet); {@code send} takes ownership of its buffer; STUN requests
 * are byte arrays owned by their transactions (each send wraps one); STUN responses are written
 * into buffers whose ownership passes to Netty; early datagrams are copied into arrays the agent
 * owns. A malformed or unexpected datagram is dropped and counted, never thrown for.
 */
package org.openzoep.media.ice;
