/**
 * The client session (RFC 6120, RFC 6121): connect (DNS SRV per RFC 6120 §3.2 and XEP-0368,
 * or an explicit host), STARTTLS or Direct TLS, SASL, resource binding, then stanzas; iq
 * correlation with timeouts and sender checks, roster pushes, XEP-0199 ping, XEP-0030 disco#info
 * with one client identity and the configured features, also on the XEP-0115 {@code node#ver}
 * whose caps element the session exposes for outgoing presence; stream errors as typed failures;
 * graceful close.
 *
 * <p>Each connection is one Netty pipeline of stages, each with one job ({@code XmppPipeline}
 * installs them; {@code SessionContext} holds the few facts they share). Inbound messages run
 * down the list, outbound ones up it:
 *
 * <pre>
 *  name         stage                    inbound (server to us)               outbound (us to server)
 *  ───────────  ───────────────────────  ───────────────────────────────────  ──────────────────────────
 *  tls          SslHandler               TLS records → ByteBuf                ByteBuf → TLS records
 *               (Direct TLS from the start; put first on STARTTLS &lt;proceed/&gt;, RFC 6120 §5)
 *  idle         IdleStateHandler         silence → IdleStateEvent             ·
 *  decoder      XmppFrameDecoder         ByteBuf → StreamFrame.Open/Close/    ·
 *                                        Violation, top-level XmlElement
 *                                        (RFC 6120 §4, §11; XmlLimits)
 *  encoder      StanzaEncoder            ·                                    XmlElement, StreamFrame.Open/
 *                                                                             Close → ByteBuf (XmlWriter)
 *  lifecycle    StreamLifecycleHandler   header checks, &lt;stream:error/&gt;,      our stream errors, &lt;/stream:stream&gt;,
 *                                        server's close (§4.4, §4.7, §4.9)    graceful close, aborts
 *  negotiator   StreamNegotiator         features, STARTTLS, SASL, bind       stream header, &lt;starttls/&gt;,
 *                                        (§4.3, §5–§7; XEP-0198 goes here     &lt;auth/&gt;, &lt;response/&gt;, bind
 *                                        later); XmlElement → Stanza after;
 *               StanzaGate               once online, takes the negotiator's place (shared, stateless)
 *  iqs          IqCorrelator             iq result/error → pending request    requests of the session and
 *                                        (§8.2.3, sender check §8.1.2.1)      of the stages, with timers
 *  services     ServiceResponder         XEP-0199 ping, XEP-0030 disco#info   their answers, roster acks
 *                                        + XEP-0115 node, RFC 6121 roster push
 *  keepalive    KeepaliveHandler         IdleStateEvent → XEP-0199 ping       ping (through iqs)
 *  application  ApplicationHandler       Stanza, IqRequest → listener;        the application's stanzas
 *                                        exceptions → lifecycle               (refused while not writable)
 * </pre>
 *
 * <p>Limits on what waits to be sent: the channel has a write-buffer water mark
 * ({@code XmppSessionConfig.writeBufferWaterMark}, 64/128 KiB); while it is not writable the
 * application's stanzas and requests are refused, unsent, with {@code XmppException.Kind.QUEUE_FULL},
 * and at most {@code maxPendingStanzas} (1,000) of them are in flight between
 * {@link org.openzoep.xmpp.session.XmppSession#send} and the socket. The stages' own writes
 * (negotiation, pings, answers) are not refused.
 *
 * <p>Threads: an {@link org.openzoep.xmpp.session.XmppClient} owns one event-loop group shared by
 * every session; each {@link org.openzoep.xmpp.session.XmppSession} and all its stages are
 * confined to its channel's event loop. SCRAM key derivation runs on the client's compute
 * executor. Listener callbacks and every completion are handed to the application's executor
 * through a {@link org.openzoep.xmpp.session.SerialExecutor}, never run on the event loop.
 * Nothing here blocks.
 *
 * <p>Buffers: only the decoder and the encoder touch them. The decoder takes ownership of each
 * inbound {@code ByteBuf}, lends it to the {@link org.openzoep.xmpp.xml.XmlStreamParser} and
 * releases it; the encoder allocates each outbound buffer, writes into it with
 * {@link org.openzoep.xmpp.xml.XmlWriter} and hands it to Netty's write path (releasing it itself
 * only if encoding fails). Everything between them is immutable elements and stanzas.
 */
package org.openzoep.xmpp.session;
