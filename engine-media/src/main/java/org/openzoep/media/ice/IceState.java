package org.openzoep.media.ice;

/**
 * The life of an {@link IceAgent}: checking until a pair is selected, then connected while
 * consent holds (RFC 7675); failed, consent lost and closed are final (no ICE restart).
 *
 * <p>Thread: immutable, any thread.
 */
enum IceState {
    /** Gathering and checking; no pair selected yet. */
    RUNNING,
    /** A pair is selected and consent holds: media flows. */
    CONNECTED,
    /** Consent expired on the selected pair: sending stopped. */
    CONSENT_LOST,
    /** No pair could be selected. */
    FAILED,
    /** Closed by its owner: nothing is sent, received or reported any more. */
    CLOSED
}
