package io.kompactor.cli;

import io.kompactor.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Files like the server's (docs/operations.md): a data dir owned by another user (the server's) gets compacted files,
 * rewritten snapshots and new directories owned by that user, with the mode of the server's own files. As root (CI) the
 * owner is checked too; as another user, owner changes are impossible and only group and mode are checked.
 */
class OwnershipTest {
    private static final int SERVER_UID = 4321;

    @TempDir
    Path tmp;

    @Test
    void whatWeCreateInTheServersTreeLooksLikeTheServers() throws Exception {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("data"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Set<PosixFilePermission> fileMode = PosixFilePermissions.fromString("rw-r-----");
        Set<PosixFilePermission> dirMode = PosixFilePermissions.fromString("rwxr-x---");
        try (Stream<Path> s = Files.walk(data.resolve("node0"))) {
            for (Path p : s.toList()) {
                if (root) {
                    Files.setAttribute(p, "unix:uid", SERVER_UID, LinkOption.NOFOLLOW_LINKS);
                }
                Files.setPosixFilePermissions(p, Files.isDirectory(p) ? dirMode : fileMode);
            }
        }
        // 72-hour windows start on 2025-01-24, a day without files: the commit creates the window's folders
        CliRun run = CliRun.of("compact", data.toString(), "--keep-originals", "--window", "72");
        assertEquals(0, run.exitCode(), run::toString);
        List<Path> ours;
        try (Stream<Path> s = Files.walk(data.resolve("node0"))) {
            ours = s.filter(p -> p.getFileName().toString().startsWith("kompacted-")
                    || p.toString().contains("/snapshots/") || p.toString().contains("2025-01-24")).toList();
        }
        assertEquals(24 + 4 * 3, ours.size(),
                "24 rewritten snapshots, per table a compacted file in a new day and window folder: " + ours);
        for (Path p : ours) {
            if (root) {
                assertEquals(SERVER_UID, Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS), "owner of " + p);
            }
            assertEquals(Files.isDirectory(p) ? dirMode : fileMode, Files.getPosixFilePermissions(p), "mode of " + p);
        }
    }
}
