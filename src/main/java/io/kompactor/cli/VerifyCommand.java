package io.kompactor.cli;

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
import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check what the server relies on: every listed file exists with its exact size_bytes, row_count, "
                + "min_time and max_time; totals add up; file ids are unique; no file holds a duplicate (tags, time) key; "
                + "checkpoints and the table index agree with the snapshots. Changes nothing.",
            "Exit codes: 0 nothing wrong, 1 problems found, 2 usage error."})
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOptions data;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        int problems = 0;
        try (Connection c = DuckDb.openLight()) {
            Verifier v = new Verifier(c);
            for (String host : data.hosts()) {
                VerifyReport r = v.verify(data.dataDir(), host);
                r.problems().forEach(p -> out.println("PROBLEM " + r.host() + ": " + p));
                out.printf("%s: %d file(s) checked, %s%n", r.host(), r.filesChecked(),
                        r.ok() ? "OK" : r.problems().size() + " problem(s)");
                problems += r.problems().size();
            }
        }
        return problems == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
    }
}
