package org.openzoep;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ZoepEngine.Builder} sets: thread counts, call timeouts and media addressing.
 * Immutable.
 *
 * @param name            prefix of the engine's thread names
 * @param ioThreads       Netty event loops (signalling, media sockets, timers)
 * @param apiThreads      API executor threads (account work and listener callbacks)
 * @param audioThreads    media clock threads (calls without a sound device of their own)
 * @param dtlsThreads     most DTLS handshakes in progress at once
 * @param ringTimeout     an outgoing call nobody acknowledges within this ends as offline
 * @param answerTimeout   an unanswered call ends after this
 * @param setupTimeout    an answered call whose media does not connect within this fails
 * @param mediaAddresses  local addresses for ICE host candidates; empty: every up, non-loopback interface
 * @param hostCandidates  whether ICE offers host candidates
 */
public record EngineSettings(String name, int ioThreads, int apiThreads, int audioThreads, int dtlsThreads,
        Duration ringTimeout, Duration answerTimeout, Duration setupTimeout, List<InetAddress> mediaAddresses,
        boolean hostCandidates) {

    public EngineSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ringTimeout, "ringTimeout");
        Objects.requireNonNull(answerTimeout, "answerTimeout");
        Objects.requireNonNull(setupTimeout, "setupTimeout");
        mediaAddresses = List.copyOf(mediaAddresses);
    }
}
