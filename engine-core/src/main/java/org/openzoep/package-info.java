/**
 * OpenZoep's embedding API: {@link org.openzoep.ZoepEngine} and its accounts.
 *
 * <p>An application builds one engine, registers accounts ({@code api_register_account}) and
 * drives each either with the OpenZoep XML stream (the article's vocabulary, documented in
 * {@code docs/api.md}) or with the typed Java API. Both reach the same session underneath.
 *
 * <p>Threads: the engine owns one Netty event-loop group (threads = cores) shared by every
 * account, and one API executor; each account's callbacks run serially on that executor, never
 * on an event loop. No thread is created per account or call. Nothing in this API blocks.
 *
 * <p>Everything below {@code org.openzoep.internal} is implementation.
 */
package org.openzoep;
