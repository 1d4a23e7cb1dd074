/**
 * Jingle signalling, one {@link org.openzoep.internal.call.Signaller} per call leg: XEP-0353
 * Jingle Message Initiation and XEP-0166 sessions with XEP-0167 RTP, XEP-0176 ICE-UDP and XEP-0320
 * DTLS-SRTP descriptions. {@link org.openzoep.internal.jingle.JingleRouter} routes an account's
 * messages and iqs to {@link org.openzoep.internal.jingle.JingleSignaller}s;
 * {@link org.openzoep.internal.jingle.JingleMapping} maps Jingle contents to and from the session
 * description model ({@code org.openzoep.media.description}) that the leg negotiates with;
 * {@link org.openzoep.internal.jingle.CallAdmission} decides who may ring the account (the
 * {@code incoming-calls} policy: roster contacts, everyone or nobody; token buckets per sender and
 * in all) and keeps the account's subscribed contacts, asked from the server (RFC 6121 roster).
 *
 * <p>Thread: confined to the account's serial executor. Buffers: none cross it; stanzas are
 * immutable.
 */
package org.openzoep.internal.jingle;
