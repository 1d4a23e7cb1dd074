/**
 * RTCP (RFC 3550 section 6, appendix A): compound packet validation and parsing (SR, RR, SDES,
 * BYE; APP and unknown types skipped), writing compound SR/RR + SDES CNAME and BYE, reception
 * statistics (interarrival jitter, cumulative and fraction lost), round-trip time from LSR/DLSR,
 * the randomized transmission interval (6.3, A.7, 5 s minimum) and rtcp-mux demultiplexing
 * (RFC 5761 section 4).
 *
 * <p>Thread: every object here lives on the media network thread (one Netty event-loop thread).
 * Time comes from a {@link org.openzoep.media.MediaClock} handed in, so tests run on a fake clock.
 *
 * <p>Buffers: parsers borrow the {@code ByteBuf} for the call only and read it with absolute gets;
 * writers borrow the output buffer and append at its writer index. Every sub-packet length is
 * checked against the compound before anything in it is read; a bad compound is dropped whole and
 * counted, never thrown for.
 */
package org.openzoep.media.rtcp;
