package io.kompactor.cli;

import io.kompactor.commit.StateDir;
import io.kompactor.snapshot.HostLayout;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The data dir, its hosts and the state dir: shared by every command that works on a data dir. */
public final class DataDirOptions {
    @Parameters(index = "0", paramLabel = "<data-dir>", description = "InfluxDB 3 data dir (--data-dir of the server)")
    Path dataDir;

    @Option(names = "--hosts", split = ",", paramLabel = "a,b",
            description = "Node ids (--node-id / --host-id / --writer-id) to work on. Default: every node dir with a snapshots/ folder.")
    List<String> hosts;

    @Option(names = "--state-dir", paramLabel = "<dir>",
            description = "Journal, backups, retired originals, dead letters, tmp. Default: <data-dir>/.kompactor")
    Path stateDir;

    public Path dataDir() {
        return dataDir.toAbsolutePath().normalize();
    }

    public StateDir state() {
        return stateDir != null ? new StateDir(stateDir.toAbsolutePath().normalize()) : StateDir.defaultFor(dataDir());
    }

    /** The hosts asked for, each checked to exist; or every node dir found. Throws a usage error otherwise. */
    public List<String> hosts() {
        Path d = dataDir();
        if (!Files.isDirectory(d)) {
            throw new UsageException(d + ": no such data dir");
        }
        if (hosts != null && !hosts.isEmpty()) {
            for (String h : hosts) {
                if (h.isBlank() || h.contains("/") || h.contains("..")) {
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
            throw new UsageException(e.getMessage());
        }
        if (found.isEmpty()) {
            throw new UsageException(d + ": no node dir with a snapshots/ folder; is this an InfluxDB 3 data dir?");
        }
        return found;
    }
}
