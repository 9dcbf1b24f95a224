/**
 * A stand-in for a running InfluxDB 3 Core server (file object store, one node), written from the server's format
 * alone (docs/format.md). Tests use it as a live server next to the compactor, and the continuous benchmark drives
 * it; nothing else in production may depend on it.
 *
 * <p>It depends on no other Kompactor package except {@code io.kompactor.parquet} (to write Core-like parquet),
 * so that it stays an independent model of the server rather than a mirror of the product's own metadata code.
 * Entry points: {@link io.kompactor.simulator.InfluxDb3Simulator} (the running server) and
 * {@link io.kompactor.simulator.RestartLoader} (what a restarted server lists, read-only).
 */
package io.kompactor.simulator;
