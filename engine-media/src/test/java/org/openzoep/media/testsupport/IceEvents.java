package org.openzoep.media.testsupport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.openzoep.media.ice.IceAgent;
import org.openzoep.media.ice.IceCandidate;

/** Records an ICE agent's events (tests); every callback runs on the agent's event loop. */
public final class IceEvents implements IceAgent.Listener {
    public final List<IceCandidate> candidates = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Void> gathered = new CompletableFuture<>();
    public final CompletableFuture<IceCandidate[]> connected = new CompletableFuture<>();
    public final CompletableFuture<String> failed = new CompletableFuture<>();
    public final CompletableFuture<Void> consentLost = new CompletableFuture<>();

    @Override
    public void onLocalCandidate(IceCandidate c) {
        candidates.add(c);
    }

    @Override
    public void onGatheringComplete() {
        gathered.complete(null);
    }

    @Override
    public void onConnected(IceCandidate local, IceCandidate remote) {
        connected.complete(new IceCandidate[] {local, remote});
    }

    @Override
    public void onFailed(String reason) {
        failed.complete(reason);
    }

    @Override
    public void onConsentLost() {
        consentLost.complete(null);
    }

    public IceCandidate[] awaitConnected() throws Exception {
        return connected.get(10, TimeUnit.SECONDS);
    }
}
