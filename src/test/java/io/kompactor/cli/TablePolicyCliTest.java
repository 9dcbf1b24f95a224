package io.kompactor.cli;

import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Table policies from the command line and from a properties file, with table names read from pre-3.6 paths. */
class TablePolicyCliTest {
    @TempDir
    Path tmp;

    @Test
    void includeExcludeAndPerTableWindowsByName() throws Exception {
        Path data = Fixtures.copy("core-3.0", tmp.resolve("data"));
        var before = new ServerOracle().load(data, "node0");
        CliRun dry = CliRun.of("compact", data.toString(), "--dry-run", "--verbose", "--exclude", "db0/mem",
                "--policy", "db0/sensors:window-hours=1");
        assertEquals(0, dry.exitCode(), dry::toString);
        assertTrue(dry.out().contains("table 0/2 (db0/mem): left alone, in kompactor.tables.exclude"), dry::toString);

        CliRun run = CliRun.of("compact", data.toString(), "--exclude", "db0/mem", "--policy", "db0/sensors:window-hours=1");
        assertEquals(0, run.exitCode(), run::toString);
        Map<String, Long> files = new ServerOracle().visibleFiles(data, "node0").entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
        assertEquals(1L, files.get("0/0"), "cpu: one 24-hour window");
        assertTrue(files.get("0/1") > 1, "sensors: hourly windows, " + files.get("0/1"));
        assertTrue(files.get("0/2") > 3, "mem: excluded, untouched");
        ServerOracle.assertSameResults(before, new ServerOracle().load(data, "node0"), "results");

        // the same from a properties file; a typo there is refused before anything is done
        Path config = tmp.resolve("k.properties");
        Files.writeString(config, "kompactor.policy.hourly.tables = db0/mem\nkompactor.policy.hourly.window-hour = 1\n");
        CliRun typo = CliRun.of("compact", data.toString(), "--config", config.toString());
        assertEquals(2, typo.exitCode(), typo::toString);
        assertTrue(typo.err().contains("window-hours"), typo::toString);
        Files.writeString(config, "kompactor.policy.hourly.tables = db0/mem\nkompactor.policy.hourly.window-hours = 1\n");
        CliRun fromFile = CliRun.of("compact", data.toString(), "--config", config.toString());
        assertEquals(0, fromFile.exitCode(), fromFile::toString);
        assertTrue(new ServerOracle().visibleFiles(data, "node0").get("0/2").size() > 1, "mem: hourly");
        ServerOracle.assertSameResults(before, new ServerOracle().load(data, "node0"), "results");
    }
}
