package io.kompactor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Whole-process numbers from Linux {@code /proc/self} (or {@code /proc/<pid>} of a child the bench started): peak and
 * current RSS, CPU time; -1 where unavailable.
 */
final class ProcStats {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path STAT = Path.of("/proc/self/stat");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcStats() {
    }

    /** VmHWM: the peak resident set size of the whole process (heap, native, DuckDB), in bytes. */
    static long peakRssBytes() {
        return statusKb(STATUS, "VmHWM") * 1024;
    }

    static long rssBytes() {
        return statusKb(STATUS, "VmRSS") * 1024;
    }

    /** VmHWM of another process, e.g. the daemon the continuous benchmark runs; -1 once it is gone. */
    static long peakRssBytes(long pid) {
        return statusKb(Path.of("/proc", Long.toString(pid), "status"), "VmHWM") * 1024;
    }

    static long rssBytes(long pid) {
        return statusKb(Path.of("/proc", Long.toString(pid), "status"), "VmRSS") * 1024;
    }

    /** User plus system CPU seconds of all threads of another process; -1 once it is gone. */
    static double cpuSeconds(long pid) {
        return cpuSeconds(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** Resets VmHWM to the current RSS ({@code echo 5 > /proc/self/clear_refs}); false if not possible. */
    static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** User plus system CPU seconds of all threads of this process. */
    static double cpuSeconds() {
        return cpuSeconds(STAT);
    }

    private static double cpuSeconds(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ppid ... utime is field 14 overall, i.e. index 11 here; stime index 12
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long statusKb(Path status, String key) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Samples the total size of a directory tree (DuckDB's spill folder) every 100 ms and keeps the maximum. */
    static final class DirSizeSampler implements AutoCloseable {
        private final Path dir;
        private final AtomicLong max = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        private final String onlyUnder;

        DirSizeSampler(Path dir) {
            this(dir, null);
        }

        /** Counts only files below a directory named {@code onlyUnder} (any depth), or all files when null. */
        DirSizeSampler(Path dir, String onlyUnder) {
            this.dir = dir;
            this.onlyUnder = onlyUnder;
            this.thread = new Thread(this::loop, "bench-spill-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (running) {
                max.accumulateAndGet(size(dir, onlyUnder), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long maxBytes() {
            return max.get();
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static long size(Path dir) {
            return size(dir, null);
        }

        static long size(Path dir, String onlyUnder) {
            if (!Files.isDirectory(dir)) {
                return 0;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                return s.filter(p -> onlyUnder == null || under(dir.relativize(p), onlyUnder)).mapToLong(p -> {
                    try {
                        return Files.isRegularFile(p) ? Files.size(p) : 0;
                    } catch (IOException e) {
                        return 0; // deleted while we looked
                    }
                }).sum();
            } catch (IOException | java.io.UncheckedIOException e) {
                return 0;
            }
        }

        private static boolean under(Path relative, String name) {
            for (int i = 0; i < relative.getNameCount() - 1; i++) {
                if (relative.getName(i).toString().equals(name)) {
                    return true;
                }
            }
            return false;
        }
    }
}
