package io.kompactor.cli;

import io.kompactor.commit.CommitHook;
import io.kompactor.commit.Committer;
import io.kompactor.commit.JournalEntry;
import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.StateDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Undo a committed transaction from its backups: restore the metadata files, bring the "
                + "originals back from retired/, remove the compacted files. The server must be stopped.",
            "Refused when a later transaction changed the same metadata (roll that back first) or when the backups "
                + "were purged. Without <tx>, lists the transactions."})
public final class RollbackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOptions data;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<tx>", description = "Transaction id (see the list).")
    String tx;

    @Option(names = "--list", description = "List transactions and their states.")
    boolean list;

    @Option(names = "--and-later", description = "Also undo every later transaction first, newest first (needed when "
            + "later ones rewrote the same snapshots, e.g. to undo a whole run).")
    boolean andLater;

    @Override
    public Integer call() throws IOException {
        StateDir state = data.state();
        PrintWriter out = spec.commandLine().getOut();
        if (tx == null || list) {
            for (JournalEntry e : new io.kompactor.commit.Journal(state).list()) {
                out.printf("%s  %-11s %s table %s, %d input(s) -> %d output(s)%n", e.tx(), e.state(), e.host(),
                        e.table(), e.inputs().size(), e.outputs().size());
            }
            return ExitCodes.OK;
        }
        try (StateDir.Lock lock = state.lock()) {
            Committer c = new Committer(state, RetirePolicy.IMMEDIATE, CommitHook.NONE, Clock.systemUTC());
            c.recover();
            if (andLater) {
                java.util.List<JournalEntry> later = c.journal().list().stream()
                        .filter(e -> e.tx().compareTo(tx) > 0 && e.state() != io.kompactor.commit.TxState.ROLLED_BACK)
                        .sorted(java.util.Comparator.comparing(JournalEntry::tx).reversed())
                        .toList();
                for (JournalEntry e : later) {
                    c.rollback(e.tx());
                    out.println("rolled back " + e.tx());
                }
            }
            c.rollback(tx);
        } catch (io.kompactor.commit.CommitException | io.kompactor.snapshot.MetadataException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.PARTIAL;
        }
        out.println("rolled back " + tx);
        return ExitCodes.OK;
    }
}
