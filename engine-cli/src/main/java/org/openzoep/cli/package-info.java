/**
 * The {@code zoep} command (picocli): a demo on private local servers, the messaging demo, and
 * call/answer tools for real servers. Usage, password sources, Ctrl-C and exit codes: docs/cli.md.
 *
 * <p>Specs: none of its own; it drives the engine's API (XEP-0353, Jingle, ICE, DTLS-SRTP below).
 * Threads: each command runs on the {@code main} thread and blocks on the engine's
 * {@code CompletionStage}s (the engine's own threads never block); listener calls arrive on the
 * engine's API executor and are handed to {@code main} through queues; Ctrl-C runs
 * {@link org.openzoep.cli.HangupOnExit}'s hook on the JVM's shutdown thread. Buffers: none cross
 * this package; audio frames go through {@code short[]} the engine lends for one call.
 */
package org.openzoep.cli;
