package io.kompactor.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Parsed metadata files, reused while the file is unchanged. A host can have tens of thousands of snapshots and
 * every commit re-reads them; without this, each plan would cost as much as the whole history.
 * <p>
 * "Unchanged" is judged by inode, size, mtime and ctime: our own rewrites keep the mtime but go through a new
 * inode and always move the ctime, which no one can set back. Where the file system has no inode or ctime,
 * nothing is cached.
 */
public final class MetadataCache {
    private record Stamp(Object inode, long size, FileTime mtime, Object ctime) {
    }

    private record Entry(Stamp stamp, Object value) {
    }

    private final Map<Path, Entry> entries = new ConcurrentHashMap<>();
    private final boolean enabled;

    public MetadataCache() {
        this(true);
    }

    private MetadataCache(boolean enabled) {
        this.enabled = enabled;
    }

    /** A cache that never hits: for one-off reads. */
    public static MetadataCache none() {
        return new MetadataCache(false);
    }

    <T> T get(Path file, Class<T> type, Function<Path, T> parse) {
        Stamp stamp = enabled ? stamp(file) : null;
        if (stamp == null) {
            return parse.apply(file);
        }
        Entry e = entries.get(file);
        if (e != null && e.stamp.equals(stamp) && type.isInstance(e.value)) {
            return type.cast(e.value);
        }
        T value = parse.apply(file);
        entries.put(file, new Entry(stamp, value));
        return value;
    }

    /** Called for every file we rewrite, so a stale entry can never be served whatever the file system reports. */
    public void invalidate(Path file) {
        entries.remove(file);
    }

    private static Stamp stamp(Path file) {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:ino,size,lastModifiedTime,ctime");
            Object ino = a.get("ino");
            Object ctime = a.get("ctime");
            if (ino == null || ctime == null) {
                return null;
            }
            return new Stamp(ino, (Long) a.get("size"), (FileTime) a.get("lastModifiedTime"), ctime);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }
}
