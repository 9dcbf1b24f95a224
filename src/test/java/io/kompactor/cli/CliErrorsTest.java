package io.kompactor.cli;

import io.kompactor.commit.CommitException;
import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user who types something wrong sees: one line saying what, where and why, a pointer to --help for usage
 * errors, exit 2, and nothing written anywhere; --debug adds the stack trace.
 */
class CliErrorsTest {
    @TempDir
    Path tmp;

    Path dataDir;
    Map<Path, String> pristine;

    @BeforeEach
    void setUp() {
        dataDir = Fixtures.copy("core-3.6", tmp.resolve("d"));
        pristine = DataDirAssertions.tree(tmp);
    }

    private void assertUsageError(CliRun run, String... says) {
        assertEquals(2, run.exitCode(), run::toString);
        List<String> lines = run.err().lines().toList();
        assertEquals(2, lines.size(), "an error line and a --help pointer, no usage dump: " + run);
        assertTrue(lines.get(0).startsWith("error: "), run::toString);
        assertTrue(lines.get(1).startsWith("Try 'kompactor") && lines.get(1).endsWith("--help' for more information."),
                run::toString);
        for (String s : says) {
            assertTrue(lines.get(0).contains(s), "says '" + s + "': " + run);
        }
        assertFalse(run.all().contains("Unmatched argument"), run::toString);
        DataDirAssertions.assertSameTree(pristine, DataDirAssertions.tree(tmp), "a usage error wrote something: " + run);
    }

    @Test
    void mistypedCommandIsNamedWithTheClosestOneAndNeverTakenAsADataDir() {
        assertUsageError(CliRun.of("compcat", dataDir.toString()), "unknown command 'compcat'", "did you mean 'compact'?");
        assertUsageError(CliRun.of("deadletters", "list", dataDir.toString()), "did you mean 'dead-letters'?");
        assertUsageError(CliRun.of("dead-letters", "lst", dataDir.toString()), "unknown command 'lst'",
                "did you mean 'list'?");
        assertUsageError(CliRun.of(tmp.resolve("nope").toString(), "--dry-run"), "unknown command");
        assertUsageError(CliRun.of("compact", dataDir.toString(), "--dryrun"), "unknown option '--dryrun'",
                "did you mean '--dry-run'?");
        assertUsageError(CliRun.of("compact", dataDir.toString(), "extra"), "unexpected argument 'extra'");

        // the prototype's form, on an existing directory, is compact
        CliRun proto = CliRun.of(dataDir.toString(), "--dry-run");
        assertEquals(0, proto.exitCode(), proto::toString);
        assertTrue(proto.out().contains("dry run:"), proto::toString);
    }

    @Test
    void versionIsACommand() {
        CliRun v = CliRun.of("version");
        assertEquals(0, v.exitCode(), v::toString);
        assertTrue(v.out().startsWith(KompactorCli.VERSION + "\n"), v::toString);
        assertEquals(v.out(), CliRun.of("--version").out());
    }

    /** Every command and subcommand answers a usage error with the error and one pointer, never the whole help. */
    @Test
    void everyCommandAnswersAnUnknownOptionWithOneLineAndAPointer() {
        List<List<String>> commands = new ArrayList<>();
        collect(new CommandLine(new KompactorCli()), new ArrayList<>(), commands);
        assertTrue(commands.size() >= 14, commands::toString);
        for (List<String> c : commands) {
            List<String> args = new ArrayList<>(c);
            args.add("--no-such-option");
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), () -> c + ": " + run);
            List<String> lines = run.err().lines().toList();
            assertEquals(2, lines.size(), () -> c + ": " + run);
            assertTrue(lines.get(1).startsWith("Try 'kompactor"), () -> c + ": " + run);
        }
    }

    private static void collect(CommandLine cli, List<String> path, List<List<String>> out) {
        cli.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return;
            }
            List<String> p = new ArrayList<>(path);
            p.add(name);
            out.add(p);
            collect(sub, p, out);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"--memory-limit=lots", "--threads=-1", "--settle=5x", "--target-size=1z", "--target-size=0",
        "--wait=soon", "--window=5", "--min-files=0", "--loaded-snapshots=-1"})
    void badOptionValuesFailBeforeAnythingIsWrittenAlsoInADryRun(String option) {
        String name = option.substring(0, option.indexOf('='));
        assertUsageError(CliRun.of("compact", dataDir.toString(), option, "--dry-run"), name);
        assertUsageError(CliRun.of("compact", dataDir.toString(), option), name);
    }

    @Test
    void otherCommandsCheckTheirValuesFirst() {
        assertUsageError(CliRun.of("gc", dataDir.toString(), "--retention", "a week"), "--retention");
        assertUsageError(CliRun.of("gc", dataDir.toString(), "--restarted-at", "yesterday"), "--restarted-at");
        assertUsageError(CliRun.of("gc", dataDir.toString(), "--url", "localhost:8181"), "--url");
        assertUsageError(CliRun.of("verify", dataDir.toString(), "--hosts", "node9"), "node9");
        assertUsageError(CliRun.of("compact", tmp.resolve("missing").toString()), "no such data dir");

        Path demo = tmp.resolve("demo");
        assertUsageError(CliRun.of("demo", "--window", "5", "--dir", demo.toString()), "--window");
        assertFalse(Files.exists(demo), "demo --window 5 wrote its demo dir");
        assertUsageError(CliRun.of("demo", "--host", "a/b", "--dir", demo.toString()), "--host");
        assertFalse(Files.exists(demo));
    }

    @Test
    void unknownTransactionsAndDeadLettersAreUsageErrors() {
        assertEquals(0, CliRun.of("compact", dataDir.toString()).exitCode());
        pristine = DataDirAssertions.tree(tmp);
        assertUsageError(CliRun.of("rollback", dataDir.toString(), "20250101-000000-000-1-1"), "no transaction");
        assertUsageError(CliRun.of("rollback", dataDir.toString(), "../x"), "not a transaction id");
        for (String sub : List.of("show", "retry", "discard")) {
            assertUsageError(CliRun.of("dead-letters", sub, dataDir.toString(), "nope"), "no dead letter 'nope'");
            assertUsageError(CliRun.of("dead-letters", sub, dataDir.toString(), "../nope"), "not a dead-letter id");
        }
    }

    @Test
    void aStateDirThatCannotBeMadeSaysWhyAndWritesNothing() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        pristine = DataDirAssertions.tree(tmp);
        CliRun run = CliRun.of("compact", dataDir.toString(), "--state-dir", file.resolve("state").toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
        assertTrue(run.err().contains(file + ": Not a directory"), run::toString);
        assertFalse(run.err().contains("\tat "), "no stack trace without --debug: " + run);
        DataDirAssertions.assertSameTree(pristine, DataDirAssertions.tree(tmp), "nothing written, not even the lock file");

        for (String[] debug : List.of(new String[]{"--debug"}, new String[]{"-v", "-v"})) {
            List<String> args = new ArrayList<>(List.of("compact", dataDir.toString(), "--state-dir",
                    file.resolve("state").toString()));
            args.addAll(List.of(debug));
            CliRun d = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, d.exitCode(), d::toString);
            assertTrue(d.err().lines().findFirst().orElseThrow().startsWith("error: "), d::toString);
            assertTrue(d.err().contains("\tat io.kompactor."), "stack trace with " + List.of(debug) + ": " + d);
        }
    }

    @Test
    void aStateDirInTheServersTreeIsRefused() {
        for (Path inside : List.of(dataDir.resolve("node0"), dataDir.resolve("node0/state"), dataDir)) {
            CliRun run = CliRun.of("compact", dataDir.toString(), "--state-dir", inside.toString());
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().contains("state dir " + inside), run::toString);
            DataDirAssertions.assertSameTree(pristine, DataDirAssertions.tree(tmp), "refused, yet wrote: " + run);
        }
        assertUsageError(CliRun.of("rollback", dataDir.toString(), "--and-later"), "--and-later needs the <tx>");
    }

    @Test
    void ioErrorsCarryTheOsReasonEvenWhenTheMessageIsOnlyAPath() {
        String path = "/d/.kompactor/backup/tx/node0/snapshots/1.info.json#123";
        assertEquals("commit failed: " + path + ": permission denied",
                CliErrors.oneLine(new CommitException("commit failed: " + path, new AccessDeniedException(path))));
        assertEquals("cannot set up /s: /s/journal: Read-only file system",
                CliErrors.oneLine(new RuntimeException("cannot set up /s",
                        new FileSystemException("/s/journal", null, "Read-only file system"))));
        assertEquals("2 problems: a: corrupt; b: size", CliErrors.oneLine(new RuntimeException("2 problems:\n  a: corrupt\n  b: size")));
    }
}
