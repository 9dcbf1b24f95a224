package io.kompactor.cli;

import io.kompactor.engine.Units;
import io.kompactor.camel.Retirement;
import io.kompactor.commit.CommitHook;
import io.kompactor.commit.Committer;
import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.StateDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"After restarting InfluxDB: retire the originals that `run` kept for the live server (move them "
                + "under <state-dir>/retired/<tx>/), and purge retired originals and backups older than --retention.",
                "Run it only once the server has restarted since the compactions (it then reads only the compacted files)."})
public final class GcCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOptions data;

    @Option(names = "--retention", paramLabel = "<duration>", defaultValue = "7d",
            description = "Purge retired originals and backups of transactions finished longer ago than this (default ${DEFAULT-VALUE}; 0 purges all)")
    String retention;

    @Option(names = "--no-retire", description = "Only purge; leave KEPT originals in place")
    boolean noRetire;

    @Override
    public Integer call() throws IOException {
        List<String> hosts = data.hosts();
        Duration keep = Units.duration(retention);
        StateDir state = data.state();
        PrintWriter out = spec.commandLine().getOut();
        StateDir.Lock lock = null;
        try {
            lock = state.lock();
        } catch (IOException e) {
            // a running `kompactor run` holds it; gc only touches KEPT/RETIRED transactions, which it no longer changes
            out.println("note: " + e.getMessage() + "; going on (gc only touches finished transactions)");
        }
        try {
            Committer committer = new Committer(state, RetirePolicy.KEEP, CommitHook.NONE, Clock.systemUTC());
            Retirement r = new Retirement(committer, Clock.systemUTC());
            List<String> lines = new ArrayList<>();
            if (!noRetire) {
                lines.addAll(r.retireKept(hosts, e -> true));
            }
            lines.addAll(r.purge(keep));
            lines.forEach(out::println);
            out.println(lines.isEmpty() ? "nothing to do" : lines.size() + " transaction(s) acted on");
            return lines.stream().anyMatch(l -> l.contains("could not")) ? ExitCodes.PARTIAL : ExitCodes.OK;
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }
}
