package io.kompactor.camel;

import io.kompactor.commit.CommitResult;
import io.kompactor.merge.MergeResult;
import io.kompactor.merge.MergedFile;
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Bean {@code committer}: the engine's transactional commit (journal, atomic rewrites, originals KEPT for the live
 * server). A failure leaves the data dir as it was; the merge's temp files are removed either way.
 */
public final class CommitterBean {
    private static final Logger LOG = LoggerFactory.getLogger(CommitterBean.class);
    private final KompactorRuntime runtime;

    public CommitterBean(KompactorRuntime runtime) {
        this.runtime = runtime;
    }

    @Handler
    public CommitResult commit(MergeResult merge) {
        try {
            CommitResult c = runtime.committer().commit(merge);
            runtime.metrics().committed(merge, c);
            LOG.info("{}: committed tx {}: {} file(s), {} rows -> {} file(s), {} rows", c.plan().label(), c.tx(),
                    c.plan().inputs().size(), merge.inputRows(), c.outputs().size(), c.outputRows());
            return c;
        } finally {
            for (MergedFile f : merge.outputs()) {
                try {
                    Files.deleteIfExists(f.tmpFile());
                } catch (IOException e) {
                    // moved into place when committed; a leftover in tmp/ is harmless
                }
            }
        }
    }
}
