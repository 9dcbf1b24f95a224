package io.kompactor.testing;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code @TempDir(factory = MemoryTempDir.class)}: a temp dir in {@code /dev/shm} (memory) where the machine has one,
 * else the usual one. The fault sweeps run a command hundreds of times and every change is fsynced: on a memory file
 * system the same code runs, only without waiting for a disk.
 */
public final class MemoryTempDir implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws Exception {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return Files.createTempDirectory(shm, "kompactor-test-");
        }
        return Files.createTempDirectory("kompactor-test-");
    }
}
