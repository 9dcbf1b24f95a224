package io.kompactor.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every change Kompactor makes to a file, in the data dir or the state dir, goes through here (docs/commit-protocol.md,
 * "Durable file operations"): write a temp file beside the target, fsync it, rename it over the target, fsync the
 * directory; fsync both directories of a rename and the parent of a new or removed entry. Temp names end in
 * {@code #<digits>}, the suffix of the server's own staging files, which its object store hides from listings.
 * <p>
 * The {@link FaultHook} sees every change first, so tests can stop or fail a command at each one; {@link Ownership}
 * makes files in the server's tree look like the server's.
 */
public final class FileOps {
    private final FaultHook hook;
    private final Ownership ownership;
    private final AtomicLong tmpCounter = new AtomicLong();
    /** The identity (device, inode) of the last file we put at each path: a watcher ignores its own writes by it. */
    private final java.util.Map<Path, Object> ours = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<Path, Object> e) {
                    return size() > 10_000;
                }
            });

    public FileOps(FaultHook hook, Ownership ownership) {
        this.hook = hook;
        this.ownership = ownership;
    }

    /** No hook, no ownership rules: for files outside any server tree. */
    public static FileOps plain() {
        return new FileOps(FaultHook.NONE, Ownership.none());
    }

    public FileOps withOwnership(Ownership o) {
        return new FileOps(hook, o);
    }

    public FaultHook hook() {
        return hook;
    }

    /**
     * Replaces (or creates) {@code target} with {@code content} atomically. A replaced file keeps its owner, group and
     * mode; {@code mtime}, when given, is set on the new file (the server groups snapshots by it).
     */
    public void write(Path target, byte[] content, FileTime mtime) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        createDirectories(dir);
        hook.before(FileOp.WRITE, target);
        Path tmp = tempBeside(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            } catch (IOException e) {
                throw naming(target, e);
            }
            if (mtime != null) {
                Files.setLastModifiedTime(tmp, mtime);
            }
            ownership.replacement(tmp, target);
            Object key = fileKey(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            remember(target, key);
        } finally {
            Files.deleteIfExists(tmp);
        }
        fsyncDir(dir);
    }

    /**
     * True when the file now at {@code p} is the one this instance last put there (a rename keeps the identity), so a
     * watcher of the server's metadata can tell its own rewrites from the server's.
     */
    public boolean isOurs(Path p) {
        Object key = ours.get(p.toAbsolutePath().normalize());
        return key != null && key.equals(fileKey(p));
    }

    private void remember(Path p, Object key) {
        if (key != null) {
            ours.put(p.toAbsolutePath().normalize(), key);
        }
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Renames {@code from} to {@code to} (replacing it), fsyncing both directories; across file systems it copies to
     * a temp name beside {@code to} first. {@code created} marks a file of ours appearing in the server's tree: it
     * gets the server's owner and mode; a moved existing file keeps its own.
     */
    public void move(Path from, Path to, boolean created) throws IOException {
        Path dir = to.toAbsolutePath().getParent();
        createDirectories(dir);
        hook.before(FileOp.MOVE, to);
        if (created) {
            ownership.newFile(from, to);
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            copyThroughTemp(from, to); // another file system: the target still appears whole or not at all
            Files.delete(from);
        }
        fsyncDir(dir);
        fsyncDir(from.toAbsolutePath().getParent());
    }

    /** A durable copy with the source's mtime, through a temp name; an existing target is replaced. */
    public void copy(Path from, Path to) throws IOException {
        Path dir = to.toAbsolutePath().getParent();
        createDirectories(dir);
        hook.before(FileOp.COPY, to);
        copyThroughTemp(from, to);
        fsyncDir(dir);
    }

    private void copyThroughTemp(Path from, Path to) throws IOException {
        Path tmp = tempBeside(to);
        try {
            Files.copy(from, tmp, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
            fsync(tmp);
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes a file or empty directory if present; true when something was removed. */
    public boolean delete(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        hook.before(FileOp.DELETE, p);
        boolean removed = Files.deleteIfExists(p);
        fsyncDir(p.toAbsolutePath().getParent());
        return removed;
    }

    /** Removes a whole tree (inside the state dir only: nothing here checks what it deletes). */
    public void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all;
        try (var s = Files.walk(root)) {
            all = new ArrayList<>(s.toList());
        }
        all.sort(java.util.Comparator.reverseOrder());
        for (Path p : all) {
            delete(p);
        }
    }

    /**
     * Removes {@code dir} and then its parents while they are empty, at most {@code levels} of them, as the server's
     * object store does after a delete (it recreates them on write).
     */
    public void removeEmptyDirs(Path dir, int levels) throws IOException {
        for (int i = 0; i < levels && dir != null; i++, dir = dir.getParent()) {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    return;
                }
            } catch (NoSuchFileException e) {
                continue;
            }
            delete(dir);
        }
    }

    /** Creates the missing directories top-down, each like the server's, fsyncing the parent of each one. */
    public void createDirectories(Path dir) throws IOException {
        Path d = dir.toAbsolutePath();
        if (Files.isDirectory(d)) {
            return;
        }
        List<Path> missing = new ArrayList<>();
        for (Path p = d; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            hook.before(FileOp.MKDIR, p);
            try {
                Files.createDirectory(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
                continue;
            }
            ownership.newDirectory(p);
            fsyncDir(p.getParent());
        }
    }

    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw naming(file, e);
        }
    }

    /**
     * A failed write or fsync of a channel says only the OS's words ("File too large", "Input/output error"): name
     * the file, so the one-line error of a command says which file the disk refused.
     */
    private static IOException naming(Path file, IOException e) {
        if (e instanceof FileSystemException) {
            return e;
        }
        FileSystemException named = new FileSystemException(file.toString(), null, e.getMessage());
        named.initCause(e);
        return named;
    }

    public static void fsyncDir(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename itself is still atomic.
        }
    }

    /** "path: reason" for any I/O error, with the OS's words where Java keeps them. */
    public static String describe(IOException e) {
        String file = fileOf(e);
        return file == null ? reason(e) : file + ": " + reason(e);
    }

    /** The file (and, for a move, its target) an I/O error is about, or null when it names none. */
    public static String fileOf(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
        }
        return null;
    }

    /** Why an I/O error happened, in the OS's words where it gave them ("permission denied", "Not a directory"). */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied" + (a.getReason() == null ? "" : " (" + a.getReason() + ")");
        }
        if (e instanceof NoSuchFileException n && n.getReason() == null) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException x && x.getReason() == null) {
            return "already exists";
        }
        if (e instanceof DirectoryNotEmptyException d && d.getReason() == null) {
            return "directory not empty";
        }
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getReason() == null ? f.getClass().getSimpleName() : f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private Path tempBeside(Path target) {
        // digits only: the object store hides "name#<digits>" from listings (docs/format.md, "Staging files")
        return target.resolveSibling(target.getFileName() + "#" + ProcessHandle.current().pid()
                + String.format("%06d", tmpCounter.incrementAndGet()));
    }
}
