package io.kompactor.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.snapshot.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's handle on a {@link BenchDaemon} in a child JVM: the same java and class path as this one, the
 * same JVM options (none for {@code java -jar kompactor.jar bench}, i.e. the default heap, as {@code kompactor run}
 * gets), working directory {@code workDir} (so the shipped config and routes are used, not whatever the caller's
 * working directory holds), logs into {@code log}. CPU seconds and peak RSS are read from {@code /proc/<pid>}.
 */
final class DaemonProcess implements AutoCloseable {
    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader answers;
    private final Path log;

    /** The answer to {@code sync}: whether the daemon got quiet in time, and its counters then. */
    record Sync(boolean quiet, ObjectNode status) {
    }

    private DaemonProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the daemon with these settings ({@code run -D key=value}) and waits until Camel has started. */
    static DaemonProcess start(Path workDir, Map<String, String> settings, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(ChildJvm.command(BenchDaemon.class, List.of()));
        settings.forEach((k, v) -> cmd.add(k + "=" + v));
        Files.createDirectories(workDir);
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        DaemonProcess d = new DaemonProcess(p, log);
        String first = d.answers.readLine();
        if (!"ready".equals(first)) {
            d.close();
            throw new IllegalStateException("the daemon did not start (" + first + "); its log " + log + ":\n" + d.tail());
        }
        return d;
    }

    long pid() {
        return process.pid();
    }

    /** The daemon's clock reads {@code t} from the moment this returns. */
    void clock(Instant t) throws IOException {
        expect("clock " + t.getEpochSecond() + " " + t.getNano(), "ok");
    }

    /** Waits until the daemon has seen every change written so far and finished what it does about them. */
    Sync sync(long timeoutSeconds) throws IOException {
        commands.println("sync " + timeoutSeconds);
        String a = answers.readLine();
        if (a == null || !(a.startsWith("quiet ") || a.startsWith("timeout "))) {
            throw new IllegalStateException("the daemon answered " + a + " to sync; its log " + log + ":\n" + tail());
        }
        int space = a.indexOf(' ');
        return new Sync(a.startsWith("quiet "), (ObjectNode) Json.mapper().readTree(a.substring(space + 1)));
    }

    double cpuSeconds() {
        return ProcStats.cpuSeconds(process.pid());
    }

    long peakRssBytes() {
        return ProcStats.peakRssBytes(process.pid());
    }

    long rssBytes() {
        return ProcStats.rssBytes(process.pid());
    }

    /** Stops Camel gracefully and waits for the JVM to exit. */
    void stop() throws IOException, InterruptedException {
        if (process.isAlive()) {
            expect("stop", "stopped");
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private void expect(String command, String answer) throws IOException {
        commands.println(command);
        String a = answers.readLine();
        if (!answer.equals(a)) {
            throw new IllegalStateException("the daemon answered " + a + " to " + command + "; its log " + log + ":\n"
                    + tail());
        }
    }

    String tail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
