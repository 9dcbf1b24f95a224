package io.kompactor.camel;

import io.kompactor.fs.FileOps;
import io.kompactor.snapshot.DocKind;
import io.kompactor.snapshot.Snapshot;
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Bean {@code metadataWatcher}: the server's metadata files that appear or change, from the operating system's change
 * notifications (inotify on Linux), so a daemon beside a year of history (tens of thousands of snapshot files) does
 * not list them on every poll. It watches each host's {@code snapshots/}, {@code snapshot-checkpoints/},
 * {@code db-indices/} and {@code table-snapshots/} (and the data dir for new hosts). Files that exist at start are
 * the catch-up scan's job, not events; our own rewrites are recognised by file identity and ignored
 * (docs/architecture.md, "Watching the server's metadata"). On an overflow, or a file system that does not notify,
 * the periodic rescan still plans every host.
 */
public final class MetadataWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataWatcher.class);

    private final KompactorRuntime runtime;
    private final Map<WatchKey, Path> dirs = new HashMap<>();
    private WatchService watch;

    public MetadataWatcher(KompactorRuntime runtime) {
        this.runtime = runtime;
    }

    /** The changes since the last call, one event per file (a file changed twice is one event). */
    @Handler
    public synchronized List<MetadataEvent> changes() {
        if (watch == null) {
            start();
        }
        Map<Path, MetadataEvent> out = new LinkedHashMap<>();
        WatchKey key;
        try {
            while ((key = watch.poll()) != null) {
                Path dir = dirs.get(key);
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
                        runtime.hosts().forEach(h -> out.put(Path.of(h), new MetadataEvent(h, null, null)));
                        continue;
                    }
                    if (dir == null) {
                        continue;
                    }
                    Path p = dir.resolve((Path) e.context());
                    if (Files.isDirectory(p)) {
                        newDirectory(p);
                        // files may have landed in it before it was watched: plan its host to be sure
                        Path rel = runtime.settings().dataDir().relativize(p);
                        String host = rel.getName(0).toString();
                        if (runtime.settings().watches(host) && !host.startsWith(".")) {
                            out.put(p, new MetadataEvent(host, null, null));
                        }
                        continue;
                    }
                    MetadataEvent m = classify(p);
                    if (m != null && !runtime.workspace().files().isOurs(p)) {
                        out.put(p, m);
                    }
                }
                if (!key.reset()) {
                    dirs.remove(key);
                }
            }
        } catch (ClosedWatchServiceException e) {
            return List.of();
        }
        return new ArrayList<>(out.values());
    }

    private void start() {
        try {
            watch = runtime.settings().dataDir().getFileSystem().newWatchService();
        } catch (IOException e) {
            throw new IllegalStateException("cannot watch " + runtime.settings().dataDir() + ": "
                    + FileOps.describe(e), e);
        }
        Path root = runtime.settings().dataDir();
        registerOne(root); // new node dirs
        try (Stream<Path> s = Files.list(root)) {
            for (Path hostDir : s.filter(Files::isDirectory).toList()) {
                registerHost(hostDir);
            }
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", root, FileOps.describe(e));
        }
    }

    private void registerHost(Path hostDir) {
        String host = hostDir.getFileName().toString();
        if (host.startsWith(".") || !runtime.settings().watches(host)) {
            return;
        }
        registerOne(hostDir);
        for (String area : List.of("snapshots", "snapshot-checkpoints", "db-indices", "table-snapshots")) {
            register(hostDir.resolve(area), levels(area));
        }
    }

    /** Registers {@code dir} and its subdirectories down to {@code depth} more levels. */
    private void register(Path dir, int depth) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        registerOne(dir);
        if (depth > 0) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path sub : s.filter(Files::isDirectory).toList()) {
                    register(sub, depth - 1);
                }
            } catch (IOException e) {
                LOG.warn("cannot list {}: {}", dir, FileOps.describe(e));
            }
        }
    }

    private void registerOne(Path dir) {
        try {
            WatchKey k = dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            dirs.put(k, dir);
        } catch (IOException e) {
            LOG.warn("cannot watch {}: {}", dir, FileOps.describe(e));
        }
    }

    /** A directory that appeared: a new host, a host's metadata folder, or a month, db or table folder in one. */
    private void newDirectory(Path p) {
        Path rel = runtime.settings().dataDir().relativize(p);
        if (rel.getNameCount() == 1) {
            registerHost(p);
            return;
        }
        int remaining = levels(rel.getName(1).toString()) - (rel.getNameCount() - 2);
        if (remaining >= 0 && runtime.settings().watches(rel.getName(0).toString())) {
            register(p, remaining);
        }
    }

    /** Levels of folders under each metadata folder (docs/format.md, "Layout of a data dir"); -1 for anything else. */
    private static int levels(String area) {
        return switch (area) {
            case "snapshots" -> 0;
            case "snapshot-checkpoints" -> 1;
            case "db-indices", "table-snapshots" -> 2;
            default -> -1;
        };
    }

    /** A metadata file of a watched host, or null (staging files {@code name#n}, parquet, anything else). */
    private MetadataEvent classify(Path p) {
        Path rel = runtime.settings().dataDir().relativize(p);
        if (rel.getNameCount() < 3) {
            return null;
        }
        String host = rel.getName(0).toString();
        String area = rel.getName(1).toString();
        String name = p.getFileName().toString();
        if (!runtime.settings().watches(host)) {
            return null;
        }
        DocKind kind = switch (area) {
            case "snapshots" -> Snapshot.FILE_NAME.matcher(name).matches() ? DocKind.SNAPSHOT : null;
            case "snapshot-checkpoints" -> name.endsWith(".checkpoint.json") ? DocKind.CHECKPOINT : null;
            case "db-indices" -> name.equals("index.info.json") ? DocKind.TABLE_INDEX : null;
            case "table-snapshots" -> name.endsWith(".info.json") ? DocKind.TABLE_SNAPSHOT : null;
            default -> null;
        };
        return kind == null ? null : new MetadataEvent(host, kind, p);
    }

    @Override
    public synchronized void close() throws IOException {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }
}
