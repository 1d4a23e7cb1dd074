package org.openzoep.media.ice;

/**
 * The state of a candidate pair in a checklist (RFC 8445 section 6.1.2.6).
 *
 * <p>Thread: immutable, any thread.
 */
enum PairState {
    /** Not checked yet, and waiting for another pair of its foundation to finish first. */
    FROZEN,
    /** Ready to be checked when it is the best waiting pair at the next pacing slot. */
    WAITING,
    /** A check was sent and no response has ended it. */
    IN_PROGRESS,
    /** A check produced a successful, symmetric response: the pair is valid. */
    SUCCEEDED,
    /** A check timed out, failed, or its response was not symmetric. */
    FAILED
}
