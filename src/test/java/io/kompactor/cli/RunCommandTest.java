package io.kompactor.cli;

import io.kompactor.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `run` refuses what it cannot use before it starts (exit 2, one line), and stops cleanly on SIGTERM (exit 0). */
class RunCommandTest {
    @TempDir
    Path tmp;

    @Test
    void unusablePortRoutesOrSettingsAreUsageErrors() throws Exception {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("data"));
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            CliRun port = CliRun.of("run", data.toString(), "-D", "camel.management.port=" + taken.getLocalPort());
            assertEquals(2, port.exitCode(), port::toString);
            assertTrue(port.err().contains("camel.management.port") && port.err().lines().count() <= 2, port::toString);
        }
        CliRun missing = CliRun.of("run", data.toString(), "--routes", tmp.resolve("nope").toString());
        assertEquals(2, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("does not exist"), missing::toString);
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun none = CliRun.of("run", data.toString(), "--routes", empty.toString());
        assertEquals(2, none.exitCode(), none::toString);
        assertTrue(none.err().contains("no *.yaml route files"), none::toString);
        CliRun typo = CliRun.of("run", data.toString(), "-D", "kompactor.debounce-msec=100");
        assertEquals(2, typo.exitCode(), typo::toString);
        assertTrue(typo.err().contains("did you mean kompactor.debounce-ms?"), typo::toString);
        assertTrue(!Files.exists(data.resolve(".kompactor")), "nothing was written");
    }

    @Test
    void sigtermStopsCleanlyWithExitZero() throws Exception {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("data"));
        Path log = tmp.resolve("run.log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), KompactorCli.class.getName(),
                "run", data.toString(), "-D", "camel.management.enabled=false", "-D", "kompactor.settle=0",
                "-D", "kompactor.debounce-ms=200"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(log).contains("committed tx") && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(200); // a separate JVM: its log is the only way to see it working
            }
            assertTrue(Files.readString(log).contains("committed tx"), Files.readString(log));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stopped");
            assertEquals(0, p.exitValue(), Files.readString(log));
            assertTrue(Files.readString(log).contains("SIGTERM: stopping"), Files.readString(log));
        } finally {
            p.destroyForcibly();
        }
    }
}
