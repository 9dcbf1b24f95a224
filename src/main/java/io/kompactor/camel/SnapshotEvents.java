package io.kompactor.camel;

import io.kompactor.snapshot.Snapshot;
import org.apache.camel.Handler;
import org.apache.camel.Header;

import java.nio.file.Path;
import java.util.regex.Matcher;

/** Bean {@code snapshotEvents}: a snapshot file the watcher picked up becomes a {@link SnapshotEvent}, or null. */
public final class SnapshotEvents {
    private final KompactorSettings settings;

    public SnapshotEvents(KompactorSettings settings) {
        this.settings = settings;
    }

    /** Null for files of hosts not watched and for names that are not snapshots: the route filters them out. */
    @Handler
    public SnapshotEvent toEvent(@Header("CamelFileAbsolutePath") String path) {
        Path p = Path.of(path);
        Matcher m = Snapshot.FILE_NAME.matcher(p.getFileName().toString());
        if (!m.matches() || p.getParent() == null || p.getParent().getParent() == null) {
            return null;
        }
        String host = p.getParent().getParent().getFileName().toString();
        if (!settings.watches(host)) {
            return null;
        }
        return new SnapshotEvent(host, -1L - Long.parseUnsignedLong(m.group(1)), path);
    }
}
