package io.kompactor.commit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One transaction as written to {@code journal/<tx>.json}: enough to finish or undo it after a crash with nothing
 * else. Paths are relative (object paths for the data dir, state-dir paths for backups and staged files) and the data
 * dir is named by its UUID, so the journal works on a moved, bind-mounted or symlinked data dir.
 * <p>
 * Every kind uses {@code docs} and {@code moves} (what the transaction changes); {@code groups} and {@code policy}
 * describe a compaction, {@code subject} names the transaction a rollback or reconciliation acts on,
 * {@code unlisted} says since when the files still to retire are listed nowhere, {@code problem} why recovery could
 * not finish (the host is blocked until it can).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JournalEntry(int version, String tx, TxKind kind, TxState state, String dataDirId, String host,
                           String created, String updated, RetirePolicy policy, String subject, List<Group> groups,
                           List<DocChange> docs, List<FileMove> moves, Unlisted unlisted, String problem) {
    public static final int VERSION = 2;

    public JournalEntry {
        groups = groups == null ? List.of() : List.copyOf(groups);
        docs = docs == null ? List.of() : List.copyOf(docs);
        moves = moves == null ? List.of() : List.copyOf(moves);
    }

    public JournalEntry withState(TxState s, String now) {
        return new JournalEntry(version, tx, kind, s, dataDirId, host, created, now, policy, subject, groups, docs, moves,
                unlisted, s == TxState.PREPARED ? problem : null);
    }

    public JournalEntry withProblem(String p, String now) {
        return new JournalEntry(version, tx, kind, state, dataDirId, host, created, now, policy, subject, groups, docs,
                moves, unlisted, p);
    }

    public JournalEntry withUnlisted(Unlisted u, String now) {
        return new JournalEntry(version, tx, kind, state, dataDirId, host, created, now, policy, subject, groups, docs,
                moves, u, problem);
    }

    public JournalEntry withMoves(List<FileMove> m, String now) {
        return new JournalEntry(version, tx, kind, state, dataDirId, host, created, now, policy, subject, groups, docs,
                m, unlisted, problem);
    }

    /** Every input of every group. */
    public List<io.kompactor.snapshot.ParquetFileEntry> inputs() {
        return groups.stream().flatMap(g -> g.inputs().stream()).toList();
    }

    /** Every output of every group. */
    public List<io.kompactor.snapshot.ParquetFileEntry> outputs() {
        return groups.stream().flatMap(g -> g.outputs().stream()).toList();
    }

    /** Tables of the groups, for listings: "0/1" or "0/1, 0/2". */
    public String tables() {
        return String.join(", ", groups.stream().map(g -> g.table().toString()).distinct().toList());
    }
}
