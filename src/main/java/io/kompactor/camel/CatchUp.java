package io.kompactor.camel;

import org.apache.camel.Handler;

import java.util.List;

/** Bean {@code catchUp}: one trigger per host, for the scan at start (after recovery) and the periodic rescan. */
public final class CatchUp {
    private final KompactorRuntime runtime;

    public CatchUp(KompactorRuntime runtime) {
        this.runtime = runtime;
    }

    @Handler
    public List<HostTrigger> triggers() {
        runtime.ensureStarted();
        return runtime.hosts().stream().map(h -> new HostTrigger(h, "scan", List.of())).toList();
    }
}
