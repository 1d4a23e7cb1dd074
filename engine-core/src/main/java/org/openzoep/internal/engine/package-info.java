/**
 * The engine behind {@link org.openzoep.ZoepEngine}: {@link org.openzoep.internal.engine.DefaultZoepEngine}
 * owns the Netty event-loop group, the API executor, the XMPP client and the calls' shared
 * resources; {@link org.openzoep.internal.engine.DefaultEngineProvider} is the
 * {@link org.openzoep.EngineProvider} the builder finds.
 *
 * <p>Spec: none of its own. Thread: safe; no state but the set of accounts. Buffers: none cross it.
 */
package org.openzoep.internal.engine;
