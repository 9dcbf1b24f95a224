package io.kompactor.camel;

import io.kompactor.fs.FaultHook;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;

import java.time.Clock;

/**
 * Binds the beans the routes in {@code routes/*.yaml} refer to, built from the {@code kompactor.*} properties:
 * {@code snapshotEvents}, {@code collectSnapshots}, {@code snapshotRepo}, {@code catchUp}, {@code planner},
 * {@code merger}, {@code committer}, {@code deadLetters}, {@code countFailure}, {@code retirer}, plus
 * {@code kompactorRuntime} and {@code kompactorMetrics}. Behaviour lives in these beans, wiring in the YAML.
 * <p>
 * Tests (or embedders) may bind a {@link FaultHook} as {@code faultHook} and a {@link Clock} as {@code clock}
 * before start.
 */
public final class KompactorConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        KompactorSettings settings = KompactorSettings.from(context.getPropertiesComponent());
        FaultHook hook = registry.lookupByNameAndType("faultHook", FaultHook.class);
        Clock clock = registry.lookupByNameAndType("clock", Clock.class);
        if (clock == null) {
            clock = Clock.systemUTC();
        }
        // Camel's Prometheus service (camel.metrics.enabled) uses this registry if bound under this name.
        PrometheusMeterRegistry meters = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                PrometheusMeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        KompactorMetrics metrics = new KompactorMetrics(meters, clock);
        KompactorRuntime runtime = new KompactorRuntime(settings, hook == null ? FaultHook.NONE : hook, metrics, clock);
        context.addService(runtime, true, true);

        registry.bind("kompactorRuntime", runtime);
        registry.bind("kompactorMetrics", metrics);
        registry.bind("snapshotEvents", new SnapshotEvents(settings));
        registry.bind("collectSnapshots", new SnapshotBatchStrategy());
        // keys are path + mtime: the compactor's own rewrites keep the mtime, so they are not seen as new
        registry.bind("snapshotRepo", MemoryIdempotentRepository.memoryIdempotentRepository(100_000));
        registry.bind("catchUp", new CatchUp(runtime));
        registry.bind("planner", new PlannerBean(runtime));
        registry.bind("merger", new MergerBean(runtime));
        registry.bind("committer", new CommitterBean(runtime));
        registry.bind("deadLetters", new DeadLetterBean(runtime));
        registry.bind("countFailure", new FailedAttemptCounter(runtime));
        registry.bind("retirer", new RetirerBean(runtime));
    }
}
