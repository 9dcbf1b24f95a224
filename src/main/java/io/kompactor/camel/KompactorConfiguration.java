package io.kompactor.camel;

import io.kompactor.fs.FaultHook;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.Registry;

import java.time.Clock;

/**
 * Binds the beans the routes in {@code routes/*.yaml} refer to, built from the {@code kompactor.*} properties:
 * {@code hostScanner}, {@code metadataWatcher}, {@code changeCollector}, {@code planner}, {@code merger},
 * {@code committer}, {@code deadLetters}, {@code failureCounter}, {@code retirer}, plus {@code kompactorRuntime} and
 * {@code kompactorMetrics} (and the earlier names {@code catchUp}, {@code collectSnapshots}, {@code countFailure} as
 * aliases). Behaviour lives in these beans, wiring in the YAML.
 * <p>
 * Tests (or embedders) may bind a {@link FaultHook} as {@code faultHook} and a {@link Clock} as {@code clock}
 * before start.
 */
public final class KompactorConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        KompactorSettings settings = KompactorSettings.from(context.getPropertiesComponent());
        // the routes' {{placeholders}} read the values as checked here, not the raw ones
        if (context.getPropertiesComponent() instanceof org.apache.camel.component.properties.PropertiesComponent pc) {
            java.util.Properties o = pc.getOverrideProperties() != null ? pc.getOverrideProperties()
                    : new java.util.Properties();
            settings.config().values().forEach(o::setProperty);
            pc.setOverrideProperties(o);
        }
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
        MetadataWatcher watcher = new MetadataWatcher(runtime);
        context.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                watcher.close();
            }
        }, true, true);
        bindAs(registry, watcher, "metadataWatcher");
        bindAs(registry, new SnapshotBatchStrategy(), "changeCollector", "collectSnapshots");
        bindAs(registry, new CatchUp(runtime), "hostScanner", "catchUp");
        bindAs(registry, new PlannerBean(runtime), "planner");
        bindAs(registry, new MergerBean(runtime), "merger");
        bindAs(registry, new CommitterBean(runtime), "committer");
        bindAs(registry, new DeadLetterBean(runtime), "deadLetters");
        bindAs(registry, new FailedAttemptCounter(runtime), "failureCounter", "countFailure");
        bindAs(registry, new RetirerBean(runtime), "retirer");
    }

    /**
     * Bean names are part of the ops interface (custom routes refer to them): a renamed bean keeps its old name as an
     * alias.
     */
    private static void bindAs(Registry registry, Object bean, String name, String... aliases) {
        registry.bind(name, bean);
        for (String a : aliases) {
            registry.bind(a, bean);
        }
    }
}
