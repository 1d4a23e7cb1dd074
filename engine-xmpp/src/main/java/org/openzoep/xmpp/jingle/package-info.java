/**
 * Jingle signalling for voice calls, as immutable records that read from and write to
 * {@link org.openzoep.xmpp.xml.XmlElement}: XEP-0166 (Jingle), XEP-0167 (RTP sessions, including
 * the §7 informational messages), XEP-0176 (ICE-UDP transport), XEP-0320 (DTLS-SRTP
 * fingerprints) and XEP-0353 (Jingle Message Initiation).
 *
 * <p>JMI namespace: the current XEP-0353 (0.6 and later) and deployed clients (Conversations,
 * Dino) use {@code urn:xmpp:jingle-message:0}; versions 0.4 and 0.5 used
 * {@code urn:xmpp:jingle-message:1}. Both are parsed, {@code :0} is emitted (a message parsed
 * from {@code :1} remembers its namespace, so a reply can be written in it).
 *
 * <p>Parsing validates what the XEPs require (action, sid, content creator and name, candidate
 * attributes, ...) and fails with a {@link org.openzoep.xmpp.jingle.JingleException} that carries
 * the XEP-0166 §9 stanza error to answer with. What is not modelled (XEP-0293 feedback, XEP-0294
 * header extensions, XEP-0339 sources, foreign application or transport elements) is kept as
 * {@code extensions}, element for element, and written back out.
 *
 * <p>Thread: every type is immutable and may be shared. No buffers cross this package: it works
 * on parsed elements only.
 */
package org.openzoep.xmpp.jingle;
