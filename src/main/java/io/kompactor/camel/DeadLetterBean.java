package io.kompactor.camel;

import io.kompactor.deadletter.DeadLetter;
import io.kompactor.engine.Failure;
import io.kompactor.plan.CompactionPlan;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code deadLetters}: turns a failed exchange (after its retries) into a record in the dead-letter store and
 * returns it. The plan comes from the exchange property {@code kompactorPlan}; the host from the plan or the trigger.
 */
public final class DeadLetterBean {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterBean.class);
    public static final String PLAN_PROPERTY = "kompactorPlan";
    private final KompactorRuntime runtime;

    public DeadLetterBean(KompactorRuntime runtime) {
        this.runtime = runtime;
    }

    @Handler
    public DeadLetter record(Exchange exchange) {
        if (exchange.getContext().isStopping() || exchange.getContext().isStopped()) {
            // interrupted by shutdown, not a broken plan: recovery and the catch-up at the next start redo it; the
            // steps after this bean (alerts) see only real dead letters
            LOG.warn("plan interrupted by shutdown, not dead-lettered; the next start recovers and plans it again");
            exchange.setRouteStop(true);
            return null;
        }
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            error = exchange.getException();
        }
        CompactionPlan plan = exchange.getProperty(PLAN_PROPERTY, CompactionPlan.class);
        Object body = exchange.getIn().getBody();
        String host = plan != null ? plan.host() : body instanceof HostTrigger t ? t.host()
                : body instanceof MetadataEvent e ? e.host() : null;
        Integer redeliveries = exchange.getProperty(FailedAttemptCounter.RETRIES_PROPERTY, Integer.class);
        int attempts = 1 + (redeliveries == null ? 0 : redeliveries);
        String routeId = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        if (plan == null && host != null && error != null) {
            // a host whose metadata cannot be read fails at every trigger: one record, its attempts counted
            var same = runtime.deadLetters().hostRecord(host, Failure.of(null, error).message());
            if (same.isPresent()) {
                DeadLetter d = same.get().withAttempts(same.get().attempts() + attempts);
                runtime.deadLetters().write(d);
                runtime.metrics().failure(host);
                return d;
            }
        }
        String id = runtime.deadLetters().newId(runtime.clock().instant(), host, plan);
        DeadLetter d = DeadLetter.of(id, runtime.clock().instant(), runtime.settings().dataDir().toString(), host, plan,
                error, attempts, routeId);
        runtime.deadLetters().write(d);
        runtime.metrics().failure(host);
        runtime.metrics().deadLettered(host);
        return d;
    }
}
