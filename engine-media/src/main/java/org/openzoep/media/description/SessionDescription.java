package org.openzoep.media.description;

import java.util.List;

/**
 * A session description: the media lines of one offer or answer, neutral between Jingle
 * (XEP-0166/0167/0176/0320: one {@code <content/>} per line) and SDP (RFC 8866: one {@code m=}
 * line each). Only what the engine supports is modelled; a signaller keeps the rest itself.
 *
 * <p>Immutable; any thread.
 *
 * @param media the media lines in signalled order (copied, never null)
 */
public record SessionDescription(List<MediaDescription> media) {

    public SessionDescription {
        media = media == null ? List.of() : List.copyOf(media);
    }

    /** The first audio line, or null when there is none. */
    public MediaDescription audio() {
        for (MediaDescription m : media) {
            if ("audio".equalsIgnoreCase(m.media())) {
                return m;
            }
        }
        return null;
    }
}
