package io.kompactor.simulator;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the server's file object store ({@code LocalFileSystem}) puts and deletes objects
 * (docs/format.md, "Staging files", "Layout of a data dir").
 */
final class ObjectStore {
    private ObjectStore() {
    }

    /**
     * {@code put}: write {@code <name>#<n>}, which listings hide, then rename it over the target, so a reader sees
     * the old or the new file, never a part.
     */
    static void put(Path target, byte[] bytes) {
        try {
            Files.createDirectories(target.getParent());
            Path staging = staging(target);
            Files.write(staging, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SimulatorException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** A staging name for {@code target}: the name, {@code #} and a number. */
    static Path staging(Path target) {
        return target.resolveSibling(target.getFileName() + "#" + ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE));
    }

    /**
     * {@code delete}: a missing object counts as deleted (NotFound is success). HEAD's store cleans up automatically:
     * parent directories left empty are removed, up to (not including) {@code root} (docs/format.md,
     * "Layout of a data dir").
     *
     * @return whether a file was there
     */
    static boolean delete(Path file, Path root) {
        boolean existed;
        try {
            existed = Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new SimulatorException("cannot delete " + file + ": " + e.getMessage(), e);
        }
        for (Path dir = file.getParent(); dir != null && dir.startsWith(root) && !dir.equals(root); dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                break;
            } catch (IOException e) {
                throw new SimulatorException("cannot remove empty directory " + dir, e);
            }
        }
        return existed;
    }
}
