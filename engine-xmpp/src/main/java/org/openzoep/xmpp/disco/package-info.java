/**
 * Service discovery helpers: XEP-0115 entity capabilities (the §5 verification string and the
 * {@code <c/>} presence element) and XEP-0215 external services (STUN/TURN discovery through the
 * XMPP server). XEP-0030 disco#info itself is answered by the session package.
 *
 * <p>Thread: static functions over immutable values; any thread. No buffers cross this package.
 */
package org.openzoep.xmpp.disco;
