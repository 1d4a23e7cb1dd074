/**
 * An account behind {@link org.openzoep.Account}: {@link org.openzoep.internal.account.DefaultAccount}
 * holds the settings, the XMPP session (RFC 6120/6121 through engine-xmpp), the XML stream API
 * and the call registry, and routes the session's stanzas to the calls, the XML stream and the
 * typed listener. Stanzas sent while a login is under way (by either API) wait for it, at most
 * {@code DefaultAccount.MAX_HELD_DURING_LOGIN} (256), and go out in order once the session is
 * bound, or fail with the login's failure; one more fails with {@code QUEUE_FULL}.
 *
 * <p>Thread: each account's state is confined to its serial slice of the engine's API executor
 * ({@code SerialExecutor}); the public methods hop onto it. Buffers: none cross it (bytes the
 * application writes are copied; stanzas are immutable).
 */
package org.openzoep.internal.account;
