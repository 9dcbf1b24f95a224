package io.kompactor.cli;

import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C in the middle of a commit, on a real JVM: it says what it stopped and what the next command does about it,
 * exits 130, and the next command's recovery leaves the data dir as it was. The process is stopped at a known point
 * (a paused file change), so nothing depends on timing.
 */
class InterruptTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(180)
    void ctrlCInACommitSaysWhatItStoppedExits130AndRecoveryUndoesIt() throws Exception {
        Path dataDir = Fixtures.copy("core-3.9", tmp.resolve("d"));
        var before = new ServerOracle().load(dataDir, "node0");

        List<String> command = new ArrayList<>();
        if (sigintIgnored()) {
            // a background job of a shell without job control ignores SIGINT, and a JVM started so never handles it:
            // GNU env (coreutils 8.31+) gives the child the default disposition back
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.addAll(CliRun.javaCommand(tmp, "compact", dataDir.toString(), "--hosts", "node0",
                "--progress", "--fault", "pause:55"));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true).start(); // change 55: the commit is rewriting the snapshots
        List<String> output;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            output = new ArrayList<>(CliRun.readUntilPaused(r));
            String line;
            assertTrue(output.get(output.size() - 1).contains("committing"), "paused in a commit: " + output);
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
            while ((line = r.readLine()) != null) {
                output.add(line);
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(130, p.exitValue(), output::toString);
        String all = String.join("\n", output);
        assertTrue(all.contains("interrupted while committing node0 "), all);
        assertTrue(all.contains("a half-made commit is undone") && all.contains("kompactor recover " + dataDir), all);

        CliRun recover = CliRun.of("recover", dataDir.toString());
        assertEquals(0, recover.exitCode(), recover::toString);
        assertTrue(recover.out().contains("recovered 1 transaction"), recover::toString);
        ServerOracle.assertSameResults(before, new ServerOracle().load(dataDir, "node0"), "after Ctrl-C and recover");
        CliRun again = CliRun.of("compact", dataDir.toString(), "--hosts", "node0");
        assertEquals(0, again.exitCode(), again::toString);
        ServerOracle.assertSameResults(before, new ServerOracle().load(dataDir, "node0"), "after the next run");
    }

    private static boolean sigintIgnored() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(l.substring(7).trim(), 16) & 0x2) != 0;
            }
        }
        return false;
    }
}
