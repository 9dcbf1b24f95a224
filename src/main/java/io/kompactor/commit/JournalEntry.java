package io.kompactor.commit;

import io.kompactor.snapshot.ParquetFileEntry;

import java.util.List;

/**
 * One transaction as written to {@code journal/<tx>.json}: enough to roll it back or forward after a crash without
 * anything else. Paths of data-dir files are object paths (relative to {@code dataDir}); backups are relative to
 * the state dir.
 */
public record JournalEntry(String tx, TxState state, String dataDir, String host, String table, long windowStart,
                           RetirePolicy policy, List<ParquetFileEntry> inputs, List<Output> outputs,
                           List<DocChange> docs, String created, String updated) {

    /** A merged file: where it waits in tmp, and the entry the snapshots list for it. */
    public record Output(String tmpFile, ParquetFileEntry entry) {
    }

    /** A metadata file the commit rewrites, with its backup and content hashes before and after. */
    public record DocChange(String path, String backup, String sha256Before, String sha256After) {
    }

    public JournalEntry withState(TxState s, String now) {
        return new JournalEntry(tx, s, dataDir, host, table, windowStart, policy, inputs, outputs, docs, created, now);
    }
}
