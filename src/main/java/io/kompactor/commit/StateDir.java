package io.kompactor.commit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The compactor's own directory (default {@code <data-dir>/.kompactor}, outside every node prefix): journal,
 * backups, retired originals, dead letters and tmp (merge outputs and DuckDB spill). Plain JSON and file copies.
 */
public record StateDir(Path root) {

    public static StateDir defaultFor(Path dataDir) {
        return new StateDir(dataDir.resolve(".kompactor"));
    }

    public Path journal() {
        return root.resolve("journal");
    }

    public Path backup(String tx) {
        return root.resolve("backup").resolve(tx);
    }

    public Path retired(String tx) {
        return root.resolve("retired").resolve(tx);
    }

    public Path retiredRoot() {
        return root.resolve("retired");
    }

    public Path deadLetters() {
        return root.resolve("dead-letter");
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    public void create() throws IOException {
        for (Path p : new Path[]{journal(), root.resolve("backup"), retiredRoot(), deadLetters(), tmp()}) {
            Files.createDirectories(p);
        }
    }

    /**
     * One compactor per data dir: an OS lock on {@code <state>/lock}, released when the process dies, so a
     * crashed run never blocks the next one.
     */
    public Lock lock() throws IOException {
        Files.createDirectories(root);
        FileChannel ch = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                throw new IOException("another Kompactor is working on this data dir (it holds " + root.resolve("lock") + ")");
            }
            return new Lock(ch);
        } catch (OverlappingFileLockException e) {
            ch.close();
            throw new IOException("this process already holds " + root.resolve("lock"));
        }
    }

    /** Held for a whole run; closing the channel releases the OS lock. */
    public record Lock(FileChannel channel) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
