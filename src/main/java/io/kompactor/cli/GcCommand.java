package io.kompactor.cli;

import io.kompactor.commit.Retirement;
import io.kompactor.commit.ServerProbe;
import io.kompactor.commit.Transactions;
import io.kompactor.commit.Workspace;
import io.kompactor.config.Units;
import io.kompactor.server.InfluxDbServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "gc", mixinStandardHelpOptions = true, defaultValueProvider = SettingDefaults.class,
        description = {"Retire files no reader can need any more (originals that `run` or --keep-originals kept, outputs "
                + "of rolled-back compactions): each is moved under <state-dir>/retired/<tx>/ only when no metadata file "
                + "lists it AND the server restarted since its last listing went away — told by --restarted-at, or by the "
                + "server itself with --url (its /ping process_id, or system.parquet_files). Without either it retires "
                + "nothing and says why. Then purge retired files and backups older than --retention.",
            "Takes the data dir's lock like every writer; waits (--wait) while another holds it."})
public final class GcCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOptions data;

    @Option(names = "--retention", paramLabel = "<duration>",
            description = "Purge retired files and backups of transactions finished longer ago than this (default ${DEFAULT-VALUE}; 0 purges all)")
    String retention;

    @Option(names = "--restarted-at", paramLabel = "<time>",
            description = "When the server last restarted (ISO-8601, e.g. 2026-12-01T10:00:00Z): files last listed before it are retired")
    String restartedAt;

    @Option(names = "--url", paramLabel = "<url>", description = "The server's HTTP API, e.g. http://127.0.0.1:8181: ask it (/ping, system.parquet_files)")
    URI url;

    @Option(names = "--token", paramLabel = "<token>", description = "Token for --url")
    String token;

    @Option(names = "--no-retire", description = "Only purge")
    boolean noRetire;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        Duration keep = OptionValues.duration("--retention", retention);
        Instant restarted = null;
        try {
            if (restartedAt != null) {
                restarted = Instant.parse(restartedAt);
            }
        } catch (DateTimeParseException e) {
            throw new UsageException("--restarted-at: not an ISO-8601 time: '" + restartedAt
                    + "' (example: 2026-12-01T10:00:00Z)");
        }
        if (url != null && (url.getScheme() == null || !url.getScheme().startsWith("http") || url.getHost() == null)) {
            throw new UsageException("--url: not an http(s) URL: '" + url + "' (example: http://127.0.0.1:8181)");
        }
        data.lockWait();
        List<String> hosts = data.hosts();
        PrintWriter out = spec.commandLine().getOut();
        InfluxDbServer server = url == null ? null : new InfluxDbServer(url, token, List.of());
        try (Workspace ws = data.forWriting("gc")) {
            Transactions tx = new Transactions(ws, server == null ? ServerProbe.NONE : server::processId);
            Retirement r = new Retirement(tx);
            int acted = 0;
            List<String> notes = new java.util.ArrayList<>();
            Retirement.Report rep = new Retirement.Report(List.of(), List.of(), "--no-retire", 0);
            if (!noRetire) {
                Optional<String> pid = server == null ? Optional.empty() : server.processId();
                Set<String> listed = server == null ? null : server.listedPathsOrNull();
                if (server != null && pid.isEmpty() && listed == null) {
                    notes.add(url + " did not answer; retiring only what --restarted-at allows");
                }
                rep = r.retire(hosts, new Retirement.Evidence(pid, listed, restarted));
                acted += rep.retired().size();
            }
            List<String> purged = r.purge(keep);
            acted += purged.size();
            if (json) {
                com.fasterxml.jackson.databind.node.ObjectNode doc = JsonOut.object();
                JsonOut.strings(doc, "retired", rep.retired());
                doc.put("files_retired", rep.files());
                JsonOut.strings(doc, "kept", rep.kept());
                doc.put("retired_nothing_because", noRetire ? null : rep.nothingBecause());
                JsonOut.strings(doc, "purged", purged);
                JsonOut.strings(doc, "notes", notes);
                doc.put("transactions_acted_on", acted);
                JsonOut.print(out, doc);
                return ExitCodes.OK;
            }
            notes.forEach(n -> out.println("note: " + n));
            if (!noRetire && rep.nothingBecause() != null) {
                out.println("retired nothing: " + rep.nothingBecause());
            }
            rep.retired().forEach(out::println);
            rep.kept().forEach(out::println);
            purged.forEach(out::println);
            out.println(acted == 0 ? "nothing to do" : Units.count(acted, "transaction") + " acted on");
            return ExitCodes.OK;
        }
    }
}
