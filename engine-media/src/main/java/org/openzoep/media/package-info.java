/**
 * OpenZoep's media engine: RTP/RTCP, codecs, jitter buffering, mixing, devices, quality, and the
 * call's media as parts (description and offer/answer, media path, media clock). It knows nothing
 * of XMPP or SIP.
 *
 * <h2>One 20 ms frame</h2>
 * Three thread domains: the <b>audio thread</b> (a {@code clock.FrameClock} timer thread, or a
 * sound device's {@code device.AudioLoop}) allocates nothing and takes no lock; the <b>event
 * loop</b> of the call's sockets does the network side; the <b>DTLS pool</b> runs handshakes. They
 * meet only in two hand-offs: the {@code SpscPacketRing} (encoded frames out) and the
 * {@code jitter.JitterBuffer} (packets in).
 * <pre>
 *  SEND                                                     RECEIVE
 *  audio thread (every 20 ms)                               event loop (per datagram)
 *  ───────────────────────────                              ─────────────────────────
 *  AudioDevice.read x2 (PortAudioDevice,                    socket (Netty DatagramChannel)
 *    VirtualDevice) -&gt; AudioLoop -&gt; FrameSizeAdapter          │
 *  or AudioSource.read x2 (WavSource, the application's)    ice.IceAgent (STUN answered, the rest up)
 *    on a FrameClock timer thread (TimedPort)               or transport.UdpPacketTransport (plain UDP)
 *        │ 960 samples, 48 kHz mono                            │ raw datagram (borrowed)
 *        ▼                                                     ▼
 *  clock.FramePort.frame ── the one per-frame code          srtp.SrtpTransport.onPacket: RFC 7983
 *        ▼                                                     first byte: DTLS -&gt; DtlsDatagrams
 *  session.Conference.process                                  (handshake on the DTLS pool); SRTP:
 *     ├─ per member: MediaSession.playbackFrame ◄──┐           SrtpContext.unprotectRtp/Rtcp
 *     │     JitterBuffer.get -&gt; AudioDecoder       │           (or transport.PlainRtpTransport)
 *     │     (OpusDecoder, ResampledDecoder+G711)   │           │ plaintext (borrowed scratch)
 *     │     decode / FEC / conceal, TimeStretcher  │           ▼
 *     ├─ mix.Mixer.mix (+ Limiter): N-1 mixes      │        session.MediaSession.onRtp
 *     ├─ per member: MediaSession.captureFrame     │           rtp.RtpReceiver (RtpPacket view,
 *     │     AudioEncoder.encode (OpusEncoder,      │           SequenceTracker, RFC 3550 jitter)
 *     │     ResampledEncoder+G711Encoder)          │           ├─ codec PT -&gt; JitterBuffer.put ──┘
 *     │     -&gt; SpscPacketRing ──────────────┐      │           └─ telephone-event -&gt; DtmfReceiver
 *     └─ local mix -&gt; playback              │      │        MediaSession.onRtcp -&gt; rtcp.RtcpSession
 *        ▼                                  │      │           (RTT, loss -&gt; Opus FEC, quality.EModel)
 *  FramePort.playout -&gt; AudioSink.write x2  │
 *    (FrameSizeAdapter -&gt; AudioDevice.write,│   event loop (when the ring has a frame)
 *     WavSink, the application's)           └─&gt; MediaSession.drainOutbound
 *                                               rtp.RtpSender.writeAudio (header, RFC 6464 level)
 *                                               or rtp.DtmfSender (RFC 4733) in its place
 *                                               -&gt; SrtpTransport.send: SrtpContext.protectRtp
 *                                               -&gt; IceAgent / UdpPacketTransport.send -&gt; socket
 *                                            RTCP every 50 ms tick: RtcpSession (SR/RR, BYE)
 * </pre>
 * Who builds it: {@code description.OfferAnswer} agrees the codec, payload numbers, DTLS role and
 * direction ({@code description.Negotiated}); {@code path.MediaPath} opens the transport, keys
 * SRTP, makes the codecs ({@code path.CodecFactory}) and adds the {@code MediaSession} to the call's
 * {@code Conference}; the call attaches the conference to the engine's {@code clock.FrameClock}.
 *
 * <p>Buffers: PCM arrays belong to the attachment (clock) or the session and are lent per call;
 * datagrams are borrowed by every inbound stage and released by the socket handler; an outbound
 * packet's ownership passes down from {@code RtpSender} to the socket, whoever fails releases it.
 */
package org.openzoep.media;
