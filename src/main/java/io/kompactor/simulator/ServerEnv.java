package io.kompactor.simulator;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * What outlives a server process: the data dir, the options, the clock, the catalog (on disk in a real server),
 * the parquet writer, the ledger and the statistics.
 *
 * @param ledger null without a ledger
 */
record ServerEnv(NodePaths node, SimulatorOptions options, Supplier<Instant> clock, Catalog catalog,
                 ChunkWriter chunks, Ledger ledger, SimStats.Counter stats) {
}
