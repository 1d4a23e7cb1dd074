package org.openzoep.media.description;

import java.util.List;
import org.openzoep.media.ice.IceCandidate;

/**
 * ICE credentials and candidates of one media line (RFC 8839 {@code a=ice-ufrag}, {@code a=ice-pwd},
 * {@code a=candidate}; XEP-0176 {@code <transport ufrag pwd>} with its candidates).
 *
 * <p>Immutable; any thread.
 *
 * @param ufrag the username fragment
 * @param pwd the password
 * @param candidates the candidates known when the description was made (copied; trickled ones
 *     follow separately)
 */
public record IceParameters(String ufrag, String pwd, List<IceCandidate> candidates) {

    public IceParameters {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }
}
