package io.kompactor.cli;

import io.kompactor.commit.JournalEntry;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.commit.Workspace;
import io.kompactor.config.Units;
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

    @picocli.CommandLine.Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        if (loadedSnapshots < 0) {
            throw new UsageException("--loaded-snapshots must not be negative");
        }
        data.lockWait();
        List<String> hosts = data.hosts();
        int problems = 0;
        ObjectNode doc = JsonOut.object();
        ArrayNode open = doc.putArray("open_transactions");
        try (Workspace ws = data.forReading("verify")) {
            for (JournalEntry e : ws.journal().list()) {
                if (e.state().open() && (hosts.contains(e.host()) || e.host() == null)) {
                    String fix = "run `kompactor recover " + ws.dataDir() + "`";
                    if (!json) {
                        out.println("PROBLEM " + (e.host() == null ? "" : e.host() + ": ") + "transaction " + e.tx()
                                + " (" + e.kind() + ") is " + e.state() + (e.problem() == null ? "" : ": " + e.problem())
                                + "; " + fix);
                    }
                    open.addObject().put("tx", e.tx()).put("kind", e.kind().toString()).put("state", e.state().toString())
                            .put("host", e.host()).put("problem", e.problem()).put("fix", fix);
                    problems++;
                }
            }
        }
        ArrayNode reports = doc.putArray("hosts");
        try (Connection c = DuckDb.openLight()) {
            Verifier v = new Verifier(c, loadedSnapshots);
            for (String host : hosts) {
                VerifyReport r = v.verify(data.dataDir(), host);
                ObjectNode h = reports.addObject().put("host", r.host()).put("files_checked", r.filesChecked())
                        .put("ok", r.ok());
                JsonOut.strings(h, "problems", r.problems());
                JsonOut.strings(h, "warnings", r.warnings());
                if (!json) {
                    r.problems().forEach(p -> out.println("PROBLEM " + r.host() + ": " + p));
                    r.warnings().forEach(w -> out.println("WARNING " + r.host() + ": " + w));
                    out.printf("%s: %s checked, %s%s%n", r.host(), Units.count(r.filesChecked(), "file"),
                            r.ok() ? "OK" : Units.count(r.problems().size(), "problem"),
                            r.warnings().isEmpty() ? "" : ", " + Units.count(r.warnings().size(), "warning"));
                }
                problems += r.problems().size() + (strict ? r.warnings().size() : 0);
            }
        }
        if (json) {
            doc.put("ok", problems == 0);
            doc.put("strict", strict);
            JsonOut.print(out, doc);
        }
        return problems == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
    }
}
