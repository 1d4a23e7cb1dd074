/**
 * OpenZoep's media engine: RTP/RTCP, codecs, jitter buffering, mixing, devices and quality.
 * It knows nothing of XMPP.
 */
package org.openzoep.media;
