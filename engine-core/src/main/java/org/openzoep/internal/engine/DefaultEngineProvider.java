package org.openzoep.internal.engine;

import org.openzoep.EngineProvider;
import org.openzoep.EngineSettings;
import org.openzoep.ZoepEngine;

/** engine-core's {@link EngineProvider}, registered in {@code META-INF/services}. */
public final class DefaultEngineProvider implements EngineProvider {

    @Override
    public ZoepEngine create(EngineSettings settings) {
        return new DefaultZoepEngine(settings);
    }
}
