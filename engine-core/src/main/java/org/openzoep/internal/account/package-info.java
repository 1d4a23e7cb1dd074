/**
 * An account behind {@link org.openzoep.Account}: {@link org.openzoep.internal.account.DefaultAccount}
 * holds the settings, the XMPP session (RFC 6120/6121 through engine-xmpp), the XML stream API
 * and the call registry, and routes the session's stanzas to the calls, the XML stream and the
 * typed listener.
 *
 * <p>Thread: each account's state is confined to its serial slice of the engine's API executor
 * ({@code SerialExecutor}); the public methods hop onto it. Buffers: none cross it (bytes the
 * application writes are copied; stanzas are immutable).
 */
package org.openzoep.internal.account;
