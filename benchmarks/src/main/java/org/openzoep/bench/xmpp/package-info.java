/**
 * XMPP benchmarks: stanza decode and encode (JMH, OpenZoep beside Smack 4.4 on the same bytes)
 * and the {@link org.openzoep.bench.xmpp.LoadHarness} that holds N accounts online against a
 * private Prosody (RFC 6120/6121 streams, TLS + SCRAM), and the
 * {@link org.openzoep.bench.xmpp.SoakHarness} that keeps them busy for minutes with paired chat
 * messages and directed presence, counting every stanza at both ends. Both drive a
 * {@link org.openzoep.bench.xmpp.LoadClient}: one OpenZoep engine, or one Smack 4.4 connection per
 * account.
 *
 * <p>Threads: each JMH benchmark state is confined to its benchmark thread; the load harness's
 * main thread only waits on {@code CompletionStage}s that the engine (or Smack) completes; the soak
 * sends from one {@code soak-traffic} thread and counts on the clients' delivery threads.
 * Buffers: every {@code ByteBuf} a benchmark allocates is released by that benchmark.
 */
package org.openzoep.bench.xmpp;
