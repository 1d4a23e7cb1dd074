package org.openzoep.media.path;

/**
 * Codec tuning from the configuration; null in any field: the codec's default.
 *
 * <p>Immutable; any thread.
 *
 * @param opusComplexity 0..10
 * @param opusBitrate bits per second
 * @param opusDtx discontinuous transmission
 * @param opusFec in-band FEC (default on)
 */
public record CodecSettings(Integer opusComplexity, Integer opusBitrate, Boolean opusDtx, Boolean opusFec) {

    /** Every codec at its defaults. */
    public static final CodecSettings DEFAULTS = new CodecSettings(null, null, null, null);
}
