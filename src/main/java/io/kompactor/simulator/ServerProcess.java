package io.kompactor.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One run of the server, from its start (a restart load) to its stop: everything here is memory that a restart
 * throws away. Not thread-safe; {@link InfluxDb3Simulator} serialises the calls.
 */
final class ServerProcess {
    private final ServerEnv env;
    private final String processId = UUID.randomUUID().toString();
    private final LoadedState loaded;
    private final FileMap persisted;
    private final WriteBuffer buffer;
    private final CheckpointCache checkpoints;
    private final TableIndexCache tableIndex;
    private final FileMap pendingRemovals = new FileMap();
    private final List<Path> checkpointsWrittenAtStart;
    private long nextFileId;
    private long lastSnapshotSeq;
    private long walSeq;
    private Instant lastRetentionPass;

    private ServerProcess(ServerEnv env, TableIndexCache tableIndex, LoadedState loaded) {
        this.env = env;
        this.tableIndex = tableIndex;
        this.loaded = loaded;
        this.persisted = FileMap.of(loaded.files());
        this.buffer = new WriteBuffer(env.options().gen1Ns());
        this.nextFileId = loaded.nextFileId();
        this.lastSnapshotSeq = loaded.latestSnapshotSeq();
        this.walSeq = loaded.walSeq();
        Instant now = env.clock().get();
        this.lastRetentionPass = now;
        this.checkpoints = CheckpointCache.warm(env.node(), loaded, env.options().checkpointInterval(), now);
        boolean build = env.options().buildCheckpointsAtStart() && !loaded.fromCheckpoints()
                && !loaded.snapshots().isEmpty();
        this.checkpointsWrittenAtStart = build ? checkpoints.writeAll() : List.of();
    }

    /**
     * Startup in the server's order (docs/format.md, "How a restarting server loads files"): the table index first,
     * then the restart load of snapshots and checkpoints, seeding the file id counter and the sequences from it, then,
     * with no checkpoint loaded, the 3.9+ checkpoint build from the loaded snapshot files.
     */
    static ServerProcess start(ServerEnv env) {
        TableIndexCache index = env.options().tableIndex() ? TableIndexCache.initialize(env.node()) : null;
        LoadedState loaded = RestartLoader.load(env.node(), env.options().loadOptions());
        env.catalog().learn(loaded.files());
        env.catalog().seenSequence(loaded.catalogSeq());
        return new ServerProcess(env, index, loaded);
    }

    String processId() {
        return processId;
    }

    LoadedState loaded() {
        return loaded;
    }

    List<Path> checkpointsWrittenAtStart() {
        return checkpointsWrittenAtStart;
    }

    FileListing persistedFiles() {
        return persisted.toListing();
    }

    CheckpointCache checkpoints() {
        return checkpoints;
    }

    Optional<TableIndexCache> tableIndex() {
        return Optional.ofNullable(tableIndex);
    }

    void write(String db, String table, List<Row> rows) {
        TableDef def = env.catalog().prepareWrite(db, table, rows);
        buffer.add(def.ref(), rows);
        env.stats().received(rows.size());
    }

    /**
     * Persists one snapshot (docs/format.md, "Fields and eras", "Parquet files written by Core"): one parquet file per
     * buffered (table, chunk), each named after the WAL file this snapshot closes and given the next file id, then the
     * snapshot JSON with the simulated time as mtime. Nothing is written when nothing was buffered and nothing removed.
     */
    Optional<SnapshotDoc> persistSnapshot() {
        Instant now = env.clock().get();
        if (env.options().retentionPeriod() != null) {
            expire(now);
        }
        if (buffer.isEmpty() && pendingRemovals.isEmpty()) {
            return Optional.empty();
        }
        long seq = lastSnapshotSeq + 1;
        long wal = walSeq + 1;
        FileMap added = new FileMap();
        for (WriteBuffer.Chunk chunk : buffer.drain()) {
            TableDef def = env.catalog().table(chunk.table()).orElseThrow();
            String objectPath = env.node().parquetObject(chunk.table(), chunk.chunkTime(), wal);
            ParquetFile f = env.chunks().write(def, chunk, nextFileId++, env.node().dataDir(), objectPath);
            added.append(chunk.table(), f);
            env.stats().persisted(chunk.table(), f);
            if (env.ledger() != null) {
                env.ledger().record(def, f, env.node().file(objectPath));
            }
        }
        SnapshotDoc doc = new SnapshotDoc("1", env.node().nodeId(), nextFileId, seq, wal, env.catalog().sequence(),
                added.toListing(), pendingRemovals.toListing(), true, now);
        SnapshotFiles.write(env.node(), doc);
        env.stats().snapshot();
        persisted.addAll(doc.databases(), false);
        checkpoints.afterSnapshot(doc);
        lastSnapshotSeq = seq;
        walSeq = wal;
        pendingRemovals.clear();
        Duration every = env.options().retentionCheckInterval();
        if (every != null && !Duration.between(lastRetentionPass, now).minus(every).isNegative()) {
            retentionPass(now);
        }
        return Optional.of(doc);
    }

    /**
     * The retention task (docs/format.md, "Table index", "What a running server writes later"): update the cached table
     * indices from newer snapshots, delete expired files by the path the index lists, drop them from the index and from
     * {@code PersistedFiles} (the next snapshot records those in {@code removed_files}), and write every cached index
     * back whole.
     */
    RetentionResult retentionPass(Instant now) {
        lastRetentionPass = now;
        if (tableIndex == null) {
            return new RetentionResult(FileListing.EMPTY, 0);
        }
        tableIndex.update();
        FileMap deleted = new FileMap();
        if (env.options().retentionPeriod() != null) {
            tableIndex.purgeExpired(cutoffNs(now)).forEach((t, files) -> {
                files.forEach(f -> deleted.append(t, f));
                persisted.removeIds(t, files.stream().map(ParquetFile::id).toList())
                        .forEach(f -> pendingRemovals.addIfAbsent(t, f));
            });
        }
        int written = tableIndex.writeAll();
        env.stats().deleted(deleted.toListing().fileCount());
        return new RetentionResult(deleted.toListing(), written);
    }

    /**
     * {@code remove_files_for_deletion} (docs/format.md, "removed_files and the newest-first fold"): expired files
     * leave {@code PersistedFiles}, go to the next snapshot's {@code removed_files}, and their objects are deleted (in
     * the background, best effort, in the server; here at once, a missing one counting as deleted).
     */
    private void expire(Instant now) {
        long cutoff = cutoffNs(now);
        int deleted = 0;
        for (TableRef t : List.copyOf(persisted.tables())) {
            for (ParquetFile f : persisted.removeIf(t, f -> f.maxTime() < cutoff)) {
                pendingRemovals.addIfAbsent(t, f);
                ObjectStore.delete(env.node().file(f.path()), env.node().dataDir());
                deleted++;
            }
        }
        env.stats().deleted(deleted);
    }

    private long cutoffNs(Instant now) {
        return NodePaths.epochNs(now.minus(env.options().retentionPeriod()));
    }
}
