package io.kompactor.cli;

import io.kompactor.commit.Sweep;
import io.kompactor.commit.Workspace;
import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.RestartedServer;
import io.kompactor.testing.ServerOracle;
import io.kompactor.testing.TableRows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Faults made by the operating system, not by Kompactor's own {@code --fault} hook: a separate JVM runs {@code compact}
 * while its writes hit RLIMIT_FSIZE (EFBIG), while strace makes a chosen rename or fsync fail, or until it is killed
 * with SIGKILL in the middle of a commit. After each, a server started at once must not lose a row, and {@code recover}
 * then a new {@code compact} must give the same query results as before, with nothing left behind and {@code verify}
 * passing. Complements {@link KillRecoveryTest} (halts from inside) and the in-process sweeps.
 */
class SystemCallFaultTest {
    private static final String HOST = "node0";

    /** The test class path with DuckDB's jar swapped for its classes, and the directory holding its native library. */
    private static String childClassPath;
    private static Path nativeLibDir;
    /** Why strace cannot inject here, or null when it can. */
    private static String straceMissing;

    @TempDir
    Path tmp;

    private final ServerOracle oracle = new ServerOracle();

    /**
     * How the child JVM's system calls are made to fail: a prefix for its command line, and the OS's words for the
     * error it causes.
     */
    record Injector(String label, List<String> prefix, String reason) {
        /** Every write past {@code kib} KiB of a file fails with EFBIG: HotSpot ignores SIGXFSZ. */
        static Injector fileSizeLimit(int kib) {
            return new Injector("ulimit -f " + kib,
                    List.of("bash", "-c", "ulimit -f " + kib + "; exec \"$@\"", "_"), "File too large");
        }

        /**
         * The {@code when}-th call of {@code syscall} fails with {@code errno}. strace counts per thread: the commit
         * runs on the main thread, so N counts the commit's calls (and the few before it), not DuckDB's.
         */
        static Injector strace(String syscall, String errno, int when) {
            return new Injector("strace " + syscall + ":" + errno + ":when=" + when,
                    List.of("strace", "-f", "-qq", "--seccomp-bpf", "-o", "/dev/null",
                            "-e", "trace=rename,renameat,renameat2,fsync,fdatasync",
                            "-e", "inject=" + syscall + ":error=" + errno + ":when=" + when),
                    switch (errno) {
                        case "ENOSPC" -> "No space left on device";
                        case "EIO" -> "Input/output error";
                        default -> throw new IllegalArgumentException(errno);
                    });
        }

        List<String> wrap(List<String> command) {
            List<String> all = new ArrayList<>(prefix);
            all.addAll(command);
            return all;
        }
    }

    /**
     * DuckDB's driver copies its 70 MB native library into java.io.tmpdir at every start, which a file size limit
     * would refuse before Kompactor wrote anything. Given the library on java.library.path and no copy of it in the
     * class path, the driver loads it in place.
     */
    @BeforeAll
    static void loadDuckDbInPlace(@TempDir Path dir) throws IOException, InterruptedException {
        List<String> entries = new ArrayList<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        int jar = -1;
        for (int i = 0; i < entries.size(); i++) {
            if (Path.of(entries.get(i)).getFileName().toString().startsWith("duckdb_jdbc")) {
                jar = i;
            }
        }
        assertTrue(jar >= 0, "no DuckDB jar in the class path");
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> throw new IllegalStateException("no DuckDB library for " + System.getProperty("os.arch"));
        };
        Path classes = Files.createDirectories(dir.resolve("duckdb-classes"));
        nativeLibDir = Files.createDirectories(dir.resolve("lib"));
        try (ZipFile z = new ZipFile(entries.get(jar))) {
            for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                Path to;
                if (e.getName().startsWith("libduckdb_java.so_")) {
                    if (!e.getName().equals("libduckdb_java.so_linux_" + arch)) {
                        continue;
                    }
                    to = nativeLibDir.resolve("libduckdb_java.so");
                } else {
                    to = classes.resolve(e.getName()).normalize();
                    assertTrue(to.startsWith(classes), e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                    continue;
                }
                Files.createDirectories(to.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, to);
                }
            }
        }
        entries.set(jar, classes.toString());
        childClassPath = String.join(File.pathSeparator, entries);
        straceMissing = straceProblem(dir);
    }

    /** strace may be missing, or present but not allowed to trace (a container without ptrace). */
    private static String straceProblem(Path dir) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(Injector.strace("fsync", "EIO", 1).wrap(List.of("true")))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("strace-probe.log").toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "strace did not finish a trivial run";
            }
            return p.exitValue() == 0 ? null
                    : "strace cannot trace here: " + Files.readString(dir.resolve("strace-probe.log")).strip();
        } catch (IOException e) {
            return "strace is not installed (" + e.getMessage() + ")";
        }
    }

    /**
     * {@link CliRun#javaCommand} with DuckDB loaded in place; no perf data file, which a size limit would refuse. C1
     * only and the serial collector: a short run on two busy cores, with fewer threads for strace to follow.
     */
    private List<String> childCommand(String... args) {
        List<String> cmd = new ArrayList<>(CliRun.javaCommand(tmp, args));
        cmd.set(cmd.indexOf("-cp") + 1, childClassPath);
        cmd.addAll(1, List.of("-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Djava.library.path=" + nativeLibDir));
        return cmd;
    }

    /**
     * Limits from the first write that fails to the last: 1 KiB fails DuckDB's parquet output of both merges; 16 KiB
     * the first merge's output (18 KiB) and the second commit's journal entry (35 KiB) before its commit starts; 36 KiB
     * only the first commit's journal entry (37 KiB), while the second commit goes through.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 16, 36})
    @Timeout(180)
    void writesFailingWithFileTooLarge(int kib) throws Exception {
        failThenRecover(Injector.fileSizeLimit(kib));
    }

    /**
     * A rename or fsync failing in the middle of the first commit (counts from a traced run of this fixture): the
     * 53rd rename puts the COMMITTED journal entry in place after every metadata file was rewritten, the 95th fsync
     * is of a snapshot file the commit is rewriting. Without a
     * working strace the same test runs with a file size limit instead, so that it never counts as skipped.
     */
    @ParameterizedTest
    @MethodSource("straceFaults")
    @Timeout(180)
    void renameOrFsyncFailingUnderStrace(String syscall, String errno, int when, int fallbackKib) throws Exception {
        Injector injector = Injector.strace(syscall, errno, when);
        if (straceMissing != null) {
            Injector instead = Injector.fileSizeLimit(fallbackKib);
            System.out.println("SystemCallFaultTest: " + straceMissing + "; " + injector.label() + " replaced by "
                    + instead.label());
            injector = instead;
        }
        failThenRecover(injector);
    }

    static Stream<Arguments> straceFaults() {
        return Stream.of(
                Arguments.of("rename", "ENOSPC", 53, 30),
                Arguments.of("fsync", "EIO", 95, 8));
    }

    /**
     * SIGKILL from outside while the run is paused before a change of its first commit (20: writing the backups
     * before the journal entry; 55: rewriting the snapshot files), then as {@link KillRecoveryTest}.
     */
    @ParameterizedTest
    @ValueSource(ints = {20, 55})
    @Timeout(180)
    void sigkillWhilePausedMidCommit(int change) throws Exception {
        Path dataDir = Fixtures.copy("core-3.9", tmp.resolve("d"));
        Map<String, TableRows> before = oracle.load(dataDir, HOST);
        Process p = new ProcessBuilder(childCommand("compact", dataDir.toString(), "--hosts", HOST,
                "--fault", "pause:" + change)).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            CliRun.readUntilPaused(r);
            p.destroyForcibly();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the killed JVM did not end");
        }
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        judge(dataDir, before, "SIGKILL at change " + change);
    }

    private void failThenRecover(Injector injector) throws Exception {
        Path dataDir = Fixtures.copy("core-3.9", tmp.resolve("d"));
        Map<String, TableRows> before = oracle.load(dataDir, HOST);
        Path log = tmp.resolve("run.log");
        Process p = new ProcessBuilder(injector.wrap(childCommand("compact", dataDir.toString(), "--hosts", HOST)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), injector.label() + ": the run did not end");
        String output = Files.readString(log);
        System.out.println("SystemCallFaultTest: " + injector.label() + ": exit " + p.exitValue() + "\n" + output);
        assertNotEquals(0, p.exitValue(), injector.label() + ": the fault went unnoticed:\n" + output);
        // the error says, on one line, which file and the OS's reason
        assertTrue(output.lines().anyMatch(l -> l.contains(injector.reason()) && l.contains(dataDir.toString())),
                injector.label() + ": no line names the file and says \"" + injector.reason() + "\":\n" + output);
        judge(dataDir, before, injector.label());
    }

    /**
     * A server starting right after the fault lists no missing file and hides no row; `recover` brings back the
     * query results exactly and leaves nothing to clean; a new run compacts, and `verify` passes. (Not "nothing left"
     * after that run: a commit that went through keeps its empty staged dir until the next clean-up.)
     */
    private void judge(Path dataDir, Map<String, TableRows> before, String what) throws Exception {
        String early = what + ", a server started before recovery";
        new RestartedServer().assertNoMissingFile(dataDir, HOST, early);
        assertNoRowHidden(before, oracle.load(dataDir, HOST), early);

        CliRun recover = CliRun.of("recover", dataDir.toString());
        assertEquals(0, recover.exitCode(), () -> what + ": recover\n" + recover);
        ServerOracle.assertSameResults(before, oracle.load(dataDir, HOST), what + ", after recover");
        Sweep.assertNothingLeft(dataDir, Workspace.Options.of(dataDir, null, "test"), what + ", after recover");

        CliRun again = CliRun.of("compact", dataDir.toString(), "--hosts", HOST);
        assertEquals(0, again.exitCode(), () -> what + ": the next compact\n" + again);
        ServerOracle.assertSameResults(before, oracle.load(dataDir, HOST), what + ", after the next compact");
        assertEquals(2, DataDirAssertions.parquetFileCount(dataDir, HOST), what + ": one file per table");
        CliRun verify = CliRun.of("verify", dataDir.toString(), "--hosts", HOST);
        assertEquals(0, verify.exitCode(), () -> what + ": verify\n" + verify);
    }

    /** Every row a table returned before is still returned: extra rows may be wrong, missing ones are lost data. */
    private static void assertNoRowHidden(Map<String, TableRows> before, Map<String, TableRows> now, String what) {
        List<String> problems = new ArrayList<>();
        before.forEach((table, rows) -> {
            TableRows n = now.get(table);
            if (n == null) {
                problems.add(table + ": table gone");
                return;
            }
            Set<String> have = new HashSet<>(n.rows());
            List<String> lost = rows.rows().stream().filter(r -> !have.contains(r)).toList();
            if (!lost.isEmpty()) {
                problems.add(table + ": " + lost.size() + " rows hidden, e.g. " + lost.get(0));
            }
        });
        if (!problems.isEmpty()) {
            fail(what + ":\n" + problems.stream().collect(Collectors.joining("\n")));
        }
    }
}
