/**
 * Call benchmarks: a harness (not JMH: each sample is a real call through a real Prosody) that
 * measures call setup time from {@code join} to {@code joined}, and how many concurrent calls
 * one engine carries with no audio frame deadline missed, with the CPU each call costs.
 *
 * <p>Threads: the harness's main thread drives; the engines run their own.
 */
package org.openzoep.bench.call;
