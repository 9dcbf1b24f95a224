package io.kompactor.camel;

import io.kompactor.merge.MergeResult;
import io.kompactor.plan.CompactionPlan;
import org.apache.camel.Handler;

/** Bean {@code merger}: the DuckDB merge of one plan into verified files in the process's scratch dir. */
public final class MergerBean {
    private final KompactorRuntime runtime;

    public MergerBean(KompactorRuntime runtime) {
        this.runtime = runtime;
    }

    @Handler
    public MergeResult merge(CompactionPlan plan) {
        return runtime.merger().merge(plan);
    }
}
