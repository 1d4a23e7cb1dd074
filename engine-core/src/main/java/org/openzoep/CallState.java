package org.openzoep;

/**
 * Where a call is. Outgoing: {@code CALLING} (proposed) → {@code RINGING} (a device of the callee
 * rings) → {@code CONNECTING} (answered; ICE and DTLS run) → {@code ACTIVE} ({@code joined}) →
 * {@code ENDED}. Incoming: {@code RINGING} → {@code CONNECTING} once answered → {@code ACTIVE} →
 * {@code ENDED}. Any state may go to {@code ENDED}.
 */
public enum CallState {
    CALLING, RINGING, CONNECTING, ACTIVE, ENDED
}
