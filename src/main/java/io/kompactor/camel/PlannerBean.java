package io.kompactor.camel;

import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.HostPlan;
import io.kompactor.snapshot.CatalogNames;
import io.kompactor.snapshot.HostMetadata;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Bean {@code planner}: plans a host from what a restarted server would load (the engine's {@code Planner}), minus
 * windows that are in the dead-letter store. Holds the host's permit until the exchange is done, so one host's
 * plans run one after another and never overlap; different hosts run in parallel on the seda consumers.
 */
public final class PlannerBean {
    private static final Logger LOG = LoggerFactory.getLogger(PlannerBean.class);
    static final String PERMIT_PROPERTY = "kompactorHostPermit";
    private final KompactorRuntime runtime;

    public PlannerBean(KompactorRuntime runtime) {
        this.runtime = runtime;
    }

    @Handler
    public List<CompactionPlan> plan(HostTrigger trigger, Exchange exchange) throws InterruptedException {
        runtime.ensureStarted();
        if (!trigger.host().equals(exchange.getProperty(PERMIT_PROPERTY))) { // a redelivery already holds it
            Semaphore permit = runtime.hostPermit(trigger.host());
            permit.acquire();
            exchange.setProperty(PERMIT_PROPERTY, trigger.host());
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange e) {
                    permit.release();
                }
            });
        }
        // metadata the server wrote from memory after our commits first: never plan files already replaced
        runtime.transactions().reconcile(trigger.host()).forEach(l -> LOG.info("{}: {}", trigger.host(), l));
        HostMetadata m = HostMetadata.load(runtime.settings().dataDir(), trigger.host(), runtime.metadataCache());
        runtime.deadLetters().clearHost(trigger.host()); // readable again: the host resumes by itself
        HostPlan hp = runtime.planner().plan(m, CatalogNames.lookup(runtime.tableNames(trigger.host())));
        hp.notes().forEach(n -> LOG.debug("{}: {}", trigger.host(), n));
        List<CompactionPlan> plans = new ArrayList<>();
        for (CompactionPlan p : hp.plans()) {
            if (runtime.deadLetters().isDeadLettered(p)) {
                LOG.info("{}: skipped, in the dead-letter store (kompactor dead-letters list)", p.label());
            } else {
                plans.add(p);
            }
        }
        runtime.metrics().planned(trigger.host(), plans.size());
        LOG.info("{}: {}", trigger, io.kompactor.config.Units.count(plans.size(), "plan"));
        return plans;
    }
}
