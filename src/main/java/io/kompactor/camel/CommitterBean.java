package io.kompactor.camel;

import io.kompactor.commit.CommitResult;
import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.StaleException;
import io.kompactor.config.Units;
import io.kompactor.merge.MergeResult;
import io.kompactor.merge.MergedFile;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Bean {@code committer}: the transactional commit of one merged plan (journal, atomic rewrites, originals KEPT for
 * the live server). A failure leaves the data dir as it was; the merge's temp files are removed either way. A plan the
 * metadata moved away from (the server wrote a file it touches) is not a failure: it is dropped and the host planned
 * again, so it never reaches the dead letters.
 */
public final class CommitterBean {
    private static final Logger LOG = LoggerFactory.getLogger(CommitterBean.class);
    private final KompactorRuntime runtime;

    public CommitterBean(KompactorRuntime runtime) {
        this.runtime = runtime;
    }

    @Handler
    public CommitResult commit(MergeResult merge, Exchange exchange) {
        try {
            CommitResult c = runtime.transactions().commit(merge, RetirePolicy.KEEP);
            runtime.metrics().committed(merge, c);
            LOG.info("{}: committed tx {}: {}, {} -> {}, {}", c.plan().label(), c.tx(),
                    Units.count(c.plan().inputs().size(), "file"), Units.count(merge.inputRows(), "row"),
                    Units.count(c.outputs().size(), "file"), Units.count(c.outputRows(), "row"));
            return c;
        } catch (StaleException e) {
            LOG.info("{}: {}; planning the host again", merge.plan().label(), e.getMessage());
            exchange.getContext().createFluentProducerTemplate().to("seda:plan-host")
                    .withBody(new HostTrigger(merge.plan().host(), "stale plan", java.util.List.of())).asyncSend();
            return null;
        } finally {
            for (MergedFile f : merge.outputs()) {
                try {
                    Files.deleteIfExists(f.tmpFile());
                } catch (IOException e) {
                    // moved away when committed; a leftover in the scratch dir goes with the process
                }
            }
        }
    }
}
