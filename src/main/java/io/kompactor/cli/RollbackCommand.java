package io.kompactor.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.commit.JournalEntry;
import io.kompactor.commit.Transactions;
import io.kompactor.commit.ServerProbe;
import io.kompactor.commit.TxKind;
import io.kompactor.commit.Workspace;
import io.kompactor.config.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Undo a committed compaction: its inputs go back wherever its outputs are listed (snapshots, "
                + "checkpoints, table index, also files written after it), the originals come back from retired/, the "
                + "compacted files are moved under <state-dir>/retired/. Like compact, it assumes the server is "
                + "stopped; beside a running server use --keep-outputs (gc retires them once the server restarted).",
            "Refused (exit 1, nothing changed) when a later compaction merged its outputs again (--and-later undoes "
                + "those first) or the originals were purged. Rolling back a rolled-back transaction does nothing.",
            "Without <tx>, lists the compactions."})
public final class RollbackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOptions data;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<tx>", description = "Transaction id (see the list).")
    String tx;

    @Option(names = "--list", description = "List transactions and their states.")
    boolean list;

    @Option(names = "--and-later", description = "Also undo every later compaction first, newest first (e.g. to undo "
            + "a whole run).")
    boolean andLater;

    @Option(names = "--keep-outputs", description = "Leave the compacted files in place until no reader needs them "
            + "(gc retires them); for a server that may have restarted since the commit.")
    boolean keepOutputs;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        data.lockWait();
        if (tx == null && (andLater || keepOutputs)) {
            throw new UsageException((andLater ? "--and-later" : "--keep-outputs") + " needs the <tx> to roll back "
                    + "(`kompactor rollback <data-dir>` lists them)");
        }
        if (tx == null || list) {
            return list(out);
        }
        try (Workspace ws = data.forReading("rollback")) { // an unknown id is refused before the lock is taken
            if (!ws.journal().exists(tx)) {
                throw new UsageException("no transaction " + tx + " in " + ws.state().journal()
                        + " (`kompactor rollback " + ws.dataDir() + "` lists them)");
            }
        } catch (io.kompactor.snapshot.MetadataException e) {
            throw new UsageException(e.getMessage());
        }
        try (Workspace ws = data.forWriting("rollback")) {
            Transactions.RollbackReport r = new Transactions(ws, ServerProbe.NONE).rollback(tx, andLater, keepOutputs);
            if (json) {
                ObjectNode doc = JsonOut.object().put("tx", tx).put("and_later", andLater)
                        .put("keep_outputs", keepOutputs).put("state", ws.journal().read(tx).state().toString());
                JsonOut.strings(doc, "lines", r.lines());
                JsonOut.print(out, doc);
            } else {
                r.lines().forEach(out::println);
            }
        }
        return ExitCodes.OK;
    }

    /** The compactions, oldest first, as a table (or JSON): time, host, table, window, files, state. */
    private int list(PrintWriter out) {
        List<String> hosts = data.hosts == null ? List.of() : data.hosts();
        try (Workspace ws = data.forReading("rollback --list")) {
            List<JournalEntry> all = ws.journal().list().stream()
                    .filter(e -> e.kind() == TxKind.COMPACT)
                    .filter(e -> hosts.isEmpty() || hosts.contains(e.host()))
                    .toList();
            if (json) {
                ObjectNode doc = JsonOut.object();
                ArrayNode txs = doc.putArray("transactions");
                for (JournalEntry e : all) {
                    ObjectNode t = txs.addObject().put("tx", e.tx()).put("time", e.created()).put("host", e.host())
                            .put("tables", e.tables());
                    ArrayNode windows = t.putArray("windows");
                    e.groups().forEach(g -> windows.add(Instant.ofEpochSecond(0, g.windowStart()).toString()));
                    t.put("inputs", e.inputs().size()).put("outputs", e.outputs().size())
                            .put("state", e.state().toString());
                }
                JsonOut.print(out, doc);
                return ExitCodes.OK;
            }
            if (all.isEmpty()) {
                out.println("no compactions" + (hosts.isEmpty() ? "" : " of " + String.join(", ", hosts)) + " in "
                        + ws.state().journal());
                return ExitCodes.OK;
            }
            out.printf("%-34s %-20s %-8s %-9s %-20s %-13s %s%n", "TX", "TIME", "HOST", "TABLE", "WINDOW", "FILES",
                    "STATE");
            for (JournalEntry e : all) {
                String window = e.groups().isEmpty() ? "-" : Instant.ofEpochSecond(0, e.groups().get(0).windowStart())
                        .toString().replace(":00:00Z", "Z");
                out.printf("%-34s %-20s %-8s %-9s %-20s %-13s %s%n", e.tx(), e.created().replaceAll("\\.\\d+Z$", "Z"),
                        e.host(), e.tables(), window + (e.groups().size() > 1 ? " +" + (e.groups().size() - 1) : ""),
                        e.inputs().size() + " -> " + e.outputs().size(), e.state());
            }
            out.println(Units.count(all.size(), "compaction"));
        }
        return ExitCodes.OK;
    }
}
