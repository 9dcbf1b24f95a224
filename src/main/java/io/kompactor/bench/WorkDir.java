package io.kompactor.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a benchmark works: the given dir or a fresh temp dir, deleted afterwards unless {@code --keep}. */
final class WorkDir {
    interface Body {
        ObjectNode run(Path work) throws Exception;
    }

    private WorkDir() {
    }

    static ObjectNode run(Path workDir, boolean keep, String tempPrefix, PrintWriter out, Body body) throws Exception {
        Path work = workDir != null ? Files.createDirectories(workDir.toAbsolutePath())
                : Files.createTempDirectory(tempPrefix);
        try {
            return body.run(work);
        } finally {
            if (!keep) {
                BenchData.deleteTree(work);
            } else {
                out.println("kept " + work);
            }
        }
    }
}
