package io.kompactor.snapshot;

import java.nio.file.Path;

/** Where the server keeps a node's metadata under the data dir (docs/format.md, "Layout of a data dir"). */
public record HostLayout(Path dataDir, String host) {
    public Path nodeDir() {
        return dataDir.resolve(host);
    }

    public Path snapshotsDir() {
        return nodeDir().resolve("snapshots");
    }

    public Path checkpointsDir() {
        return nodeDir().resolve("snapshot-checkpoints");
    }

    public Path dbIndicesDir() {
        return nodeDir().resolve("db-indices");
    }

    public Path tableSnapshotsDir() {
        return nodeDir().resolve("table-snapshots");
    }

    public Path indexMarker() {
        return nodeDir().resolve("table-index-conversion-completed");
    }

    /** Every node dir of a data dir: a directory with a {@code snapshots/} folder (not our own {@code .kompactor}). */
    public static java.util.List<String> discoverHosts(Path dataDir) {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dataDir)) {
            return s.filter(p -> java.nio.file.Files.isDirectory(p.resolve("snapshots")))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(dataDir + ": cannot list: " + io.kompactor.fs.FileOps.reason(e), e);
        }
    }
}
