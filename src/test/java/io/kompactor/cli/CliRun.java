package io.kompactor.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the real CLI in-process and keeps what it printed. */
public record CliRun(int exitCode, String out, String err) {
    public static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = KompactorCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new CliRun(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * The command line of a separate JVM running the CLI with the test class path. DuckDB unpacks its native library
     * into java.io.tmpdir and a killed JVM leaves it there: {@code tmp} keeps it in the test's temp dir.
     */
    public static java.util.List<String> javaCommand(java.nio.file.Path tmp, String... args) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), KompactorCli.class.getName()));
        cmd.addAll(java.util.List.of(args));
        return cmd;
    }

    /**
     * Reads a child run's output until its fault hook says it paused ({@code --fault pause:N}) and returns the lines
     * before that; fails if the run ended first. The child stays paused until it is signalled or killed.
     */
    public static java.util.List<String> readUntilPaused(java.io.BufferedReader r) throws java.io.IOException {
        java.util.List<String> output = new java.util.ArrayList<>();
        String line;
        while ((line = r.readLine()) != null && !line.startsWith("fault hook: paused")) {
            output.add(line);
        }
        org.junit.jupiter.api.Assertions.assertTrue(line != null, "the run ended before the pause: " + output);
        return output;
    }

    public String all() {
        return out + err;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
    }
}
