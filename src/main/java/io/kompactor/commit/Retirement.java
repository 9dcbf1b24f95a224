package io.kompactor.commit;

import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.MetadataDoc;
import io.kompactor.snapshot.ParquetFileEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Retiring files nobody can read any more, and purging what was retired long enough ago (docs/operations.md,
 * "Retiring originals"). A file — an original of a kept compaction, or an output of a rolled-back one — leaves the
 * data dir only when (a) no metadata file on disk lists it, checked under the lock at that moment, and (b) a server
 * process started after the moment its last listing went away: {@code /ping} shows another {@code process_id} than
 * the one recorded then, or the server no longer lists it in {@code system.parquet_files}, or the operator says when
 * the server restarted. Without any of these, nothing is retired.
 */
public final class Retirement {
    private final Transactions tx;

    public Retirement(Transactions tx) {
        this.tx = tx;
    }

    /**
     * What is known about the server. {@code processId}: its current {@code process_id} (empty when not asked or it
     * did not answer); {@code listed}: the paths it reads ({@code system.parquet_files}), null when not known;
     * {@code restartedAt}: the operator's word that it restarted at this time, null when not given.
     */
    public record Evidence(Optional<String> processId, Set<String> listed, Instant restartedAt) {
        public static Evidence none() {
            return new Evidence(Optional.empty(), null, null);
        }

        boolean any() {
            return processId.isPresent() || listed != null || restartedAt != null;
        }
    }

    /** What retirement did: files moved, files kept with the reason, and why nothing could be done at all. */
    public record Report(List<String> retired, List<String> kept, String nothingBecause, int files) {
    }

    public Report retire(Collection<String> hosts, Evidence evidence) {
        if (!evidence.any()) {
            return new Report(List.of(), List.of(), "no evidence that the server restarted since the compactions: tell gc "
                    + "--restarted-at <time the server restarted> or --url <the server's API> (run: set "
                    + "kompactor.influxdb.url)",
                    0);
        }
        List<String> retired = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        int files = 0;
        Workspace ws = tx.workspace();
        for (String host : hosts) {
            List<JournalEntry> candidates = ws.journal().list().stream()
                    .filter(e -> e.kind() == TxKind.COMPACT && host.equals(e.host()))
                    .filter(e -> e.state() == TxState.KEPT || e.state() == TxState.ROLLED_BACK && anyExists(ws, e.outputs()))
                    .toList();
            if (candidates.isEmpty()) {
                continue;
            }
            try (Workspace.DataDirLock lock = ws.lock("retire " + host)) {
                HostMetadata m = tx.load(host);
                Map<String, String> listedBy = listedBy(m, ws);
                Map<String, List<String>> toRetire = new LinkedHashMap<>();
                for (JournalEntry e : candidates) {
                    e = ws.journal().read(e.tx());
                    List<ParquetFileEntry> files0 = e.state() == TxState.KEPT ? e.inputs() : e.outputs();
                    boolean restarted = restartedSince(e, evidence);
                    for (ParquetFileEntry f : files0) {
                        if (!Files.exists(ws.resolve(f.path()))) {
                            continue;
                        }
                        String by = listedBy.get(f.path());
                        if (by != null) {
                            kept.add(f.path() + ": kept, still listed by " + by);
                        } else if (restarted || evidence.listed() != null && !evidence.listed().contains(f.path())) {
                            toRetire.computeIfAbsent(e.tx(), k -> new ArrayList<>()).add(f.path());
                        } else {
                            kept.add(f.path() + ": kept, the server may still read it (" + waitingFor(e, evidence) + ")");
                        }
                    }
                    recordFirstProcess(e, evidence);
                }
                JournalEntry r = tx.retireLocked(host, toRetire);
                if (r != null) {
                    toRetire.forEach((src, paths) -> retired.add(src + ": retired " + Transactions.plural(paths.size(), "file") + " of "
                            + host + " under " + ws.state().retired(src)));
                    files += toRetire.values().stream().mapToInt(List::size).sum();
                }
            } catch (IOException e) {
                kept.add(host + ": retirement failed: " + Transactions.message(e));
            }
        }
        return new Report(retired, kept, null, files);
    }

    /** True when a server process started after the entry's files were last listed anywhere on disk. */
    private static boolean restartedSince(JournalEntry e, Evidence ev) {
        Unlisted u = e.unlisted() != null ? e.unlisted() : new Unlisted(e.updated(), null);
        if (ev.restartedAt() != null && ev.restartedAt().isAfter(Instant.parse(u.at()))) {
            return true;
        }
        return ev.processId().isPresent() && u.serverProcessId() != null
                && !u.serverProcessId().equals(ev.processId().get());
    }

    private static String waitingFor(JournalEntry e, Evidence ev) {
        Unlisted u = e.unlisted() != null ? e.unlisted() : new Unlisted(e.updated(), null);
        if (ev.restartedAt() != null) {
            return "last listed at " + u.at() + ", after --restarted-at " + ev.restartedAt();
        }
        if (u.serverProcessId() == null) {
            return "server process at the time unknown; waiting for the next restart";
        }
        return "the server process " + u.serverProcessId() + " that ran when it was last listed is still running";
    }

    /** A commit made while the server could not be asked: the first process seen afterwards is the one to outlive. */
    private void recordFirstProcess(JournalEntry e, Evidence ev) throws IOException {
        if (ev.processId().isPresent() && (e.unlisted() == null || e.unlisted().serverProcessId() == null)) {
            Unlisted u = e.unlisted() != null ? e.unlisted() : new Unlisted(e.updated(), null);
            tx.workspace().journal().write(e.withUnlisted(new Unlisted(u.at(), ev.processId().get()), tx.now()));
        }
    }

    private static boolean anyExists(Workspace ws, List<ParquetFileEntry> files) {
        return files.stream().anyMatch(f -> Files.exists(ws.resolve(f.path())));
    }

    /** Object path → the metadata file that lists it (the first one found). */
    private static Map<String, String> listedBy(HostMetadata m, Workspace ws) {
        Map<String, String> out = new LinkedHashMap<>();
        for (MetadataDoc d : m.allDocs()) {
            for (ParquetFileEntry f : d.allFiles()) {
                out.putIfAbsent(f.path(), Placement.objectPath(ws.dataDir(), d));
            }
        }
        return out;
    }

    /**
     * Deletes {@code retired/<tx>/} and {@code backup/<tx>/} of transactions finished more than {@code retention}
     * ago. Kept compactions keep their backups. Journal entries stay: they are small and tell what happened.
     */
    public List<String> purge(Duration retention) {
        Workspace ws = tx.workspace();
        Instant cutoff = ws.clock().instant().minus(retention);
        try (Workspace.DataDirLock lock = ws.lock("purge")) {
            List<String> txs = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (JournalEntry e : ws.journal().list()) {
                boolean finished = e.state() == TxState.RETIRED || e.state() == TxState.ROLLED_BACK
                        || e.state() == TxState.DONE;
                if (!finished || Instant.parse(e.updated()).isAfter(cutoff)) {
                    continue;
                }
                if (Files.exists(ws.state().retired(e.tx())) || Files.exists(ws.state().backup(e.tx()))) {
                    txs.add(e.tx());
                    lines.add(e.tx() + ": purged retired files and backups (" + e.state() + " since " + e.updated() + ")");
                }
            }
            tx.purgeLocked(txs);
            return lines;
        } catch (IOException e) {
            throw new CommitException("purge failed: " + Transactions.message(e), e);
        }
    }
}
