package io.kompactor.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the simulated server runs; the defaults are a 3.9 server started with {@code --object-store file
 * --node-id <node>} and nothing else. Build with {@link #builder(String)}.
 *
 * @param gen1                    {@code --gen1-duration} (10m)
 * @param loadedSnapshots         N at a restart; null for the era default (docs/format.md, "How many snapshots")
 * @param foldRule                how a restart combines snapshots; {@link FoldRule#SERVER} by default
 *                                (docs/format.md, "removed_files and the newest-first fold")
 * @param buildCheckpointsAtStart 3.9+: a start that loaded no checkpoint builds them from the snapshots
 *                                (docs/format.md, "Checkpoints")
 * @param checkpointInterval      {@code --checkpoint-interval}; null (the default) writes no checkpoint while running
 * @param tableIndex              3.3+ table index (docs/format.md, "Table index"); on in every version the simulator
 *                                stands for
 * @param retentionPeriod         the database retention period; null keeps everything
 * @param retentionCheckInterval  {@code --retention-check-interval}: after a snapshot, run {@code retentionPass} once
 *                                this much simulated time passed since the last one; null: only when called
 * @param http                    serve {@code /ping} and {@code query_sql} on 127.0.0.1 (an ephemeral port)
 * @param token                   bearer token every HTTP request must carry; null: no auth
 * @param ledgerDir               where the ledger keeps every persisted file; null: no ledger. Outside the data dir.
 */
public record SimulatorOptions(String nodeId, Duration gen1, Integer loadedSnapshots, FoldRule foldRule,
                               boolean buildCheckpointsAtStart, Duration checkpointInterval, boolean tableIndex,
                               Duration retentionPeriod, Duration retentionCheckInterval, boolean http, String token,
                               Path ledgerDir) {
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9._-]+");

    public SimulatorOptions {
        if (nodeId == null || !NODE.matcher(nodeId).matches()) {
            // Keeps every object path free of characters the object store would percent-encode
            // (docs/format.md, "Object paths").
            throw new IllegalArgumentException("node id must match " + NODE + ": " + nodeId);
        }
        Objects.requireNonNull(gen1, "gen1");
        Objects.requireNonNull(foldRule, "foldRule");
        if (gen1.isNegative() || gen1.isZero()) {
            throw new IllegalArgumentException("gen1 must be positive: " + gen1);
        }
    }

    public static Builder builder(String nodeId) {
        return new Builder(nodeId);
    }

    LoadOptions loadOptions() {
        return new LoadOptions(loadedSnapshots, foldRule);
    }

    long gen1Ns() {
        return gen1.toNanos();
    }

    /** Sets what differs from the defaults. */
    public static final class Builder {
        private final String nodeId;
        private Duration gen1 = Duration.ofMinutes(10);
        private Integer loadedSnapshots;
        private FoldRule foldRule = FoldRule.SERVER;
        private boolean buildCheckpointsAtStart = true;
        private Duration checkpointInterval;
        private boolean tableIndex = true;
        private Duration retentionPeriod;
        private Duration retentionCheckInterval;
        private boolean http = true;
        private String token;
        private Path ledgerDir;

        private Builder(String nodeId) {
            this.nodeId = nodeId;
        }

        public Builder gen1(Duration d) {
            this.gen1 = d;
            return this;
        }

        public Builder loadedSnapshots(Integer n) {
            this.loadedSnapshots = n;
            return this;
        }

        public Builder foldRule(FoldRule r) {
            this.foldRule = r;
            return this;
        }

        public Builder buildCheckpointsAtStart(boolean b) {
            this.buildCheckpointsAtStart = b;
            return this;
        }

        public Builder checkpointInterval(Duration d) {
            this.checkpointInterval = d;
            return this;
        }

        public Builder tableIndex(boolean b) {
            this.tableIndex = b;
            return this;
        }

        public Builder retention(Duration period, Duration checkInterval) {
            this.retentionPeriod = period;
            this.retentionCheckInterval = checkInterval;
            return this;
        }

        public Builder http(boolean b) {
            this.http = b;
            return this;
        }

        public Builder token(String t) {
            this.token = t;
            return this;
        }

        public Builder ledger(Path dir) {
            this.ledgerDir = dir;
            return this;
        }

        public SimulatorOptions build() {
            return new SimulatorOptions(nodeId, gen1, loadedSnapshots, foldRule, buildCheckpointsAtStart,
                    checkpointInterval, tableIndex, retentionPeriod, retentionCheckInterval, http, token, ledgerDir);
        }
    }
}
