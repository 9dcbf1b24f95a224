package io.kompactor.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Exclusive locks on files, between processes and between threads of this process.
 * <p>
 * Between processes this is the OS lock ({@code fcntl}), which dies with its process, so a killed holder never blocks
 * the next one. Within a process it cannot work alone: POSIX drops every lock a process holds on a file as soon as the
 * process closes <em>any</em> descriptor of that file, so a second lock attempt (or a read of the holder's note) from
 * another thread would silently release the first. Hence the one piece of JVM-wide state in Kompactor: the table of
 * lock files this process holds, keyed by file identity (device and inode, so a bind mount or symlink of the same data
 * dir is the same lock), consulted before any descriptor of a lock file is opened. See docs/commit-protocol.md.
 */
public final class FileLocks {
    private static final ConcurrentMap<Object, Held> HELD = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    /** A held lock; closing it releases the OS lock and the in-process entry. */
    public static final class Handle implements AutoCloseable {
        private final Object key;
        private final Held held;

        private Handle(Object key, Held held) {
            this.key = key;
            this.held = held;
        }

        @Override
        public void close() throws IOException {
            if (HELD.remove(key, held)) {
                try {
                    held.lock.release();
                } finally {
                    held.channel.close();
                }
            }
        }
    }

    private record Held(FileChannel channel, FileLock lock, String holder) {
    }

    /** Why a lock could not be taken: who holds it, as that holder described itself. */
    public record Busy(String holder) {
    }

    /**
     * Takes the lock on {@code file} (created if missing), waiting up to {@code wait}; writes {@code holder} into
     * the file for whoever finds it taken. Returns the handle, or who holds it when the wait ran out.
     */
    public static Result acquire(Path file, String holder, Duration wait) throws IOException {
        long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
        while (true) {
            Result r = tryAcquire(file, holder);
            if (r.handle().isPresent() || System.nanoTime() >= deadline) {
                return r;
            }
            try {
                Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + file, e);
            }
        }
    }

    /** Either a handle or the holder that keeps us out. */
    public record Result(Optional<Handle> handle, Busy busy) {
    }

    /** True when some process (this one included) holds the lock on {@code file}. */
    public static boolean isHeld(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        Result r = tryAcquire(file, "probe");
        if (r.handle().isPresent()) {
            r.handle().get().close();
            return false;
        }
        return true;
    }

    private static Result tryAcquire(Path file, String holder) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // normal: the lock file stays between holders
        }
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        if (key == null) {
            key = file.toRealPath();
        }
        Held placeholder = new Held(null, null, holder);
        Held existing = HELD.putIfAbsent(key, placeholder);
        if (existing != null) {
            return new Result(Optional.empty(), new Busy(existing.holder() + " (in this process)"));
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // another channel of this JVM outside this table; treat as held
            }
            if (lock == null) {
                // Safe to read and close: this process holds no lock on the file (our placeholder keeps others out).
                String other = read(ch);
                ch.close();
                HELD.remove(key, placeholder);
                return new Result(Optional.empty(), new Busy(other.isBlank() ? "another process" : other));
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            Held held = new Held(ch, lock, holder);
            HELD.replace(key, placeholder, held);
            return new Result(Optional.of(new Handle(key, held)), null);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key, placeholder);
            if (ch != null) {
                ch.close();
            }
            throw e;
        }
    }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(4096, Math.max(0, ch.size())));
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
    }
}
