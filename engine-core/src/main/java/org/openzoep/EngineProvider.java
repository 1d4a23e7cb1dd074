package org.openzoep;

/**
 * Service-provider interface: makes the {@link ZoepEngine} that {@link ZoepEngine.Builder#build()}
 * returns. engine-core registers its implementation ({@code META-INF/services}); applications use
 * the builder and never implement or call this.
 *
 * <p>It lives in the API package rather than a package of its own: the builder loads it and it
 * returns the engine, so a separate package would import the API and be imported by it (a cycle).
 */
public interface EngineProvider {

    /** A started engine with these settings. */
    ZoepEngine create(EngineSettings settings);
}
