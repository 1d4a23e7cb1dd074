package org.openzoep.media.description;

/**
 * The answerer's result: the description to send back and what was agreed.
 *
 * @param description our answer's media line
 * @param negotiated the agreed media, input to the media path
 */
public record Answer(MediaDescription description, Negotiated negotiated) {
}
