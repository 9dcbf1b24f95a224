package io.kompactor.cli;

import io.kompactor.commit.JournalEntry;
import io.kompactor.commit.Workspace;
import io.kompactor.parquet.DuckDb;
import io.kompactor.verify.Verifier;
import io.kompactor.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true, defaultValueProvider = SettingDefaults.class,
        description = {"Check what the server relies on: every listed file exists with its exact size_bytes, row_count, "
                + "min_time and max_time; totals add up; file ids are unique; no file holds a duplicate (tags, time) key; "
                + "checkpoints and the table index agree with the snapshots; no transaction is left unfinished. Changes nothing.",
            "Exit codes: 0 nothing wrong, 1 problems found, 2 usage error."})
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOptions data;

    @picocli.CommandLine.Option(names = "--strict", description = "Warnings (rows a query would return twice until the "
            + "next compaction of their window) count as problems: exit 1.")
    boolean strict;

    @picocli.CommandLine.Option(names = "--loaded-snapshots", paramLabel = "<n>",
            description = "How many snapshot files the server loads at start (0: the version's default).")
    int loadedSnapshots;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        List<String> hosts = data.hosts();
        int problems = 0;
        try (Workspace ws = data.forReading("verify")) {
            for (JournalEntry e : ws.journal().list()) {
                if (e.state().open() && (hosts.contains(e.host()) || e.host() == null)) {
                    out.println("PROBLEM " + (e.host() == null ? "" : e.host() + ": ") + "transaction " + e.tx() + " ("
                            + e.kind() + ") is " + e.state() + (e.problem() == null ? "" : ": " + e.problem())
                            + "; run `kompactor recover " + ws.dataDir() + "`");
                    problems++;
                }
            }
        }
        try (Connection c = DuckDb.openLight()) {
            Verifier v = new Verifier(c, loadedSnapshots);
            for (String host : hosts) {
                VerifyReport r = v.verify(data.dataDir(), host);
                r.problems().forEach(p -> out.println("PROBLEM " + r.host() + ": " + p));
                r.warnings().forEach(w -> out.println("WARNING " + r.host() + ": " + w));
                out.printf("%s: %s checked, %s%s%n", r.host(), io.kompactor.config.Units.count(r.filesChecked(), "file"),
                        r.ok() ? "OK" : io.kompactor.config.Units.count(r.problems().size(), "problem"),
                        r.warnings().isEmpty() ? "" : ", " + io.kompactor.config.Units.count(r.warnings().size(), "warning"));
                problems += r.problems().size() + (strict ? r.warnings().size() : 0);
            }
        }
        return problems == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
    }
}
