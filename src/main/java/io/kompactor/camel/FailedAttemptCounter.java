package io.kompactor.camel;

import io.kompactor.plan.CompactionPlan;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Processor {@code countFailure}, the error handler's {@code onRedeliveryRef}: counts each failed attempt that is retried. */
public final class FailedAttemptCounter implements Processor {
    /** Retries so far of the failing step, for the dead-letter record. */
    public static final String RETRIES_PROPERTY = "kompactorRetries";
    private final KompactorRuntime runtime;

    public FailedAttemptCounter(KompactorRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void process(Exchange exchange) {
        CompactionPlan plan = exchange.getProperty(DeadLetterBean.PLAN_PROPERTY, CompactionPlan.class);
        Object body = exchange.getIn().getBody();
        String host = plan != null ? plan.host() : body instanceof HostTrigger t ? t.host() : null;
        Integer n = exchange.getProperty(RETRIES_PROPERTY, Integer.class);
        exchange.setProperty(RETRIES_PROPERTY, n == null ? 1 : n + 1);
        runtime.metrics().failure(host);
    }
}
