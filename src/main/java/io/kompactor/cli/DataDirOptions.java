package io.kompactor.cli;

import io.kompactor.commit.SetupException;
import io.kompactor.commit.Workspace;
import io.kompactor.fs.FaultHook;
import io.kompactor.snapshot.HostLayout;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The data dir, its hosts and the state dir: shared by every command that works on a data dir. */
public final class DataDirOptions {
    @Parameters(index = "0", paramLabel = "<data-dir>", description = "InfluxDB 3 data dir (--data-dir of the server)")
    Path dataDir;

    @Option(names = "--hosts", split = ",", paramLabel = "a,b",
            description = "Node ids (--node-id / --host-id / --writer-id) to work on. Default: every node dir with a snapshots/ folder.")
    List<String> hosts;

    @Option(names = "--state-dir", paramLabel = "<dir>",
            description = "Journal, backups, retired originals, dead letters, tmp. Default: the one that owns the data dir "
                    + "(named in <data-dir>/.kompactor.json), else <data-dir>/.kompactor")
    Path stateDir;

    @Option(names = "--wait", paramLabel = "<duration>", defaultValue = "30s",
            description = "How long to wait when another writer holds the data dir's lock (default: ${DEFAULT-VALUE}); "
                    + "then exit 2 naming it.")
    String lockWait;

    @Option(names = "--fault", hidden = true, paramLabel = "<spec>",
            description = "Test hook: crash:N, halt:N or fail:N[,M] at the N-th file change.")
    String fault;

    public Path dataDir() {
        return dataDir.toAbsolutePath().normalize();
    }

    /** {@code --wait}, checked by every command before it reads or writes anything (a dry run too). */
    Duration lockWait() {
        return OptionValues.duration("--wait", lockWait);
    }

    /** The data dir and the state dir that owns it, for a command that changes nothing. */
    Workspace forReading(String command) {
        lockWait();
        checkDataDir();
        return Workspace.forReading(Workspace.Options.of(dataDir(), stateDir, command));
    }

    /** The data dir for a command that writes: marker and state dir checked or set up under the data dir's lock. */
    Workspace forWriting(String command) {
        Duration wait = lockWait();
        checkDataDir();
        FaultHook hook = fault == null ? FaultHook.NONE : FaultHook.parse(fault);
        return Workspace.forWriting(Workspace.Options.of(dataDir(), stateDir, command).withLockWait(wait).withHook(hook));
    }

    private void checkDataDir() {
        Path d = dataDir();
        if (!Files.isDirectory(d)) {
            throw new UsageException(d + (Files.exists(d) ? ": not a directory; give the server's --data-dir"
                    : ": no such data dir"));
        }
    }

    /** The hosts asked for, each checked to exist; or every node dir found. Throws a usage error otherwise. */
    public List<String> hosts() {
        Path d = dataDir();
        checkDataDir();
        if (hosts != null && !hosts.isEmpty()) {
            for (String h : hosts) {
                if (h.isBlank() || h.contains("/") || h.contains("\\") || h.equals(".") || h.equals("..")) {
                    throw new UsageException("--hosts: '" + h + "' is not a node id");
                }
                if (!Files.isDirectory(d.resolve(h).resolve("snapshots"))) {
                    throw new UsageException(d.resolve(h) + ": no snapshots/ folder; is '" + h + "' a node id of this data dir?");
                }
            }
            return List.copyOf(hosts);
        }
        List<String> found;
        try {
            found = HostLayout.discoverHosts(d);
        } catch (java.io.UncheckedIOException e) {
            throw new SetupException(e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new UsageException(d + ": no node dir with a snapshots/ folder; is this an InfluxDB 3 data dir?");
        }
        return found;
    }
}
