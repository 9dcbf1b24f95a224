package io.kompactor.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.ServerProbe;
import io.kompactor.commit.StateDir;
import io.kompactor.commit.Transactions;
import io.kompactor.commit.Workspace;
import io.kompactor.engine.LazyMerger;
import io.kompactor.deadletter.DeadLetter;
import io.kompactor.deadletter.DeadLetterRetrier;
import io.kompactor.deadletter.DeadLetterStore;
import io.kompactor.config.Units;
import io.kompactor.merge.MergeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "Plans that failed after their retries in `run`: list, show, retry (plan again from the current "
                + "metadata, merge and commit) or discard them. A dead-lettered window is skipped by `run` until then.",
        subcommands = {DeadLettersCommand.ListCmd.class, DeadLettersCommand.Show.class, DeadLettersCommand.Retry.class,
                DeadLettersCommand.Discard.class})
public final class DeadLettersCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list, show, retry or discard");
    }

    /** The data dir and its state dir (no host check): the records carry their own host. */
    static final class Where {
        @Mixin
        DataDirOptions data;

        StateDir state() {
            try (Workspace ws = data.forReading("dead-letters")) {
                return ws.state();
            }
        }

        Workspace forWriting(String command) {
            return data.forWriting(command);
        }

        /** The record with this id; an id that is not there is a usage error (exit 2), as an unknown tx is. */
        static DeadLetter require(DeadLetterStore store, String id) {
            try {
                return store.find(id).orElseThrow(() -> new UsageException("no dead letter '" + id + "' in "
                        + store.dir() + " (`kompactor dead-letters list <data-dir>` lists them)"));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per dead letter: id, host, table, window, attempts, the failing file and the cause.")
    static final class ListCmd implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Where where;
        @Option(names = "--json", description = "Machine-readable output: every record without its inputs and stack.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<DeadLetter> all = new DeadLetterStore(where.state()).list();
            if (json) {
                ObjectNode doc = JsonOut.object();
                ArrayNode records = doc.putArray("dead_letters");
                for (DeadLetter d : all) {
                    ObjectNode n = records.addObject().put("id", d.id()).put("message", d.message()).put("file", d.file())
                            .put("host", d.host()).put("table", d.hasPlan() ? d.dbId() + "/" + d.tableId() : null)
                            .put("table_name", d.tableName()).put("window", d.window()).put("attempts", d.attempts())
                            .put("retries", d.retries().size()).put("time", d.time()).put("inputs", d.inputs().size());
                    JsonOut.strings(n, "causes", d.causes());
                }
                JsonOut.print(out, doc);
                return ExitCodes.OK;
            }
            for (DeadLetter d : all) {
                out.println(shortLine(d));
            }
            out.println(all.isEmpty() ? "no dead letters in " + new DeadLetterStore(where.state()).dir()
                    : io.kompactor.config.Units.count(all.size(), "dead letter")
                    + "; `kompactor dead-letters show <data-dir> <id>` for the whole record");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The whole record (JSON).")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Where where;
        @Parameters(index = "1", paramLabel = "<id>")
        String id;
        @Option(names = "--json", description = "The same: the record is JSON.")
        boolean json;

        @Override
        public Integer call() {
            DeadLetterStore store = new DeadLetterStore(where.state());
            Where.require(store, id);
            spec.commandLine().getOut().println(store.raw(id).strip());
            return ExitCodes.OK;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, defaultValueProvider = SettingDefaults.class,
            description = "Plan the record's host/table/window again from the current metadata, merge and commit it; "
                    + "the record is removed on success and kept (with this attempt) on failure. Runs beside `run`: each commit "
                    + "takes the data dir's lock for its own duration.")
    static final class Retry implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Where where;
        @Parameters(index = "1", arity = "0..1", paramLabel = "<id>")
        String id;
        @Option(names = "--all", description = "Retry every dead letter")
        boolean all;
        @Option(names = "--loaded-snapshots", description = "The server's N (0: the version's default; default: ${DEFAULT-VALUE})")
        int loadedSnapshots;
        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (all == (id != null)) {
                throw new UsageException("give either an <id> or --all");
            }
            if (loadedSnapshots < 0) {
                throw new UsageException("--loaded-snapshots must not be negative");
            }
            where.data.lockWait();
            StateDir state = where.state();
            DeadLetterStore store = new DeadLetterStore(state);
            List<String> ids = new ArrayList<>();
            if (all) {
                store.list().forEach(d -> ids.add(d.id()));
            } else {
                ids.add(Where.require(store, id).id());
            }
            PrintWriter out = spec.commandLine().getOut();
            ObjectNode doc = JsonOut.object();
            ArrayNode results = doc.putArray("results");
            if (ids.isEmpty()) {
                if (json) {
                    JsonOut.print(out, doc);
                } else {
                    out.println("no dead letters");
                }
                return ExitCodes.OK;
            }
            try (Workspace ws = where.forWriting("dead-letters retry");
                 LazyMerger merger = new LazyMerger(MergeSettings.defaults(ws.scratch()))) {
                Transactions tx = new Transactions(ws, ServerProbe.NONE);
                DeadLetterRetrier retrier = new DeadLetterRetrier(store, merger, tx, RetirePolicy.KEEP, loadedSnapshots,
                        Clock.systemUTC());
                int failed = 0;
                for (String i : ids) {
                    DeadLetterRetrier.Outcome o = retrier.retry(i);
                    if (json) {
                        ObjectNode n = results.addObject().put("id", i).put("ok", o.ok()).put("message", o.message())
                                .put("tx", o.commit() == null ? null : o.commit().tx());
                        n.put("outputs", o.commit() == null ? 0 : o.commit().outputs().size());
                    } else {
                        out.println(i + ": " + (o.ok() ? "ok: " : "FAILED: ") + o.message());
                    }
                    failed += o.ok() ? 0 : 1;
                }
                if (json) {
                    JsonOut.print(out, doc.put("ok", failed == 0));
                }
                return failed == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
            }
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true,
            description = "Delete a record: `run` plans its window again at its next scan.")
    static final class Discard implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Where where;
        @Parameters(index = "1", paramLabel = "<id>")
        String id;

        @Override
        public Integer call() {
            DeadLetterStore store = new DeadLetterStore(where.state());
            if (!store.delete(Where.require(store, id).id())) {
                throw new UsageException("no dead letter '" + id + "' in " + store.dir());
            }
            spec.commandLine().getOut().println("discarded " + id);
            return ExitCodes.OK;
        }
    }

    /**
     * One short line per record: id, host, table, window start, attempts, and the failing file's name with the cause,
     * cut to fit a terminal line.
     */
    static String shortLine(DeadLetter d) {
        String window = d.window() == null ? "-" : d.window().substring(0, d.window().indexOf('/') < 0
                ? d.window().length() : d.window().indexOf('/')).replace(":00:00Z", "Z");
        String why = d.message() == null ? "" : d.message();
        if (d.file() != null && why.startsWith(d.file())) {
            why = d.file().substring(d.file().lastIndexOf('/') + 1) + why.substring(d.file().length());
        }
        String head = d.id() + "  " + d.host() + " " + (d.hasPlan() ? d.dbId() + "/" + d.tableId() : "-") + " " + window
                + "  " + Units.count(d.attempts(), "attempt")
                + (d.retries().isEmpty() ? "" : d.retries().size() == 1 ? ", 1 retry" : ", " + d.retries().size() + " retries")
                + "  ";
        int room = Math.max(40, 160 - head.length());
        return head + (why.length() > room ? why.substring(0, room - 3) + "..." : why);
    }
}
