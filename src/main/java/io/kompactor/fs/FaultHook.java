package io.kompactor.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Called by {@link FileOps} before every change it makes. Production uses {@link #NONE}; the fault tests stop a
 * command at the N-th change as a kill would ({@link SimulatedCrash}, or a real halt of the JVM), or make the N-th
 * system call fail as a full disk does. Numbering every change lets a test try each one in turn.
 */
@FunctionalInterface
public interface FaultHook {
    FaultHook NONE = (op, path) -> { };

    void before(FileOp op, Path path) throws IOException;

    /** Counts the changes, so a test learns how many points a command has. */
    static Counting counting() {
        return new Counting(NONE);
    }

    /** A crash before the {@code n}-th change (1-based): nothing after it runs, not even a finally block's undo. */
    static Counting crashAt(int n) {
        return new Counting((op, path, i) -> {
            if (i == n) {
                throw new SimulatedCrash(op + " " + path + " (change " + i + ")");
            }
        });
    }

    /** Ends the JVM at the {@code n}-th change like {@code kill -9}: no finally block, no shutdown hook. */
    static Counting haltAt(int n) {
        return new Counting((op, path, i) -> {
            if (i == n) {
                Runtime.getRuntime().halt(137);
            }
        });
    }

    /** The changes numbered in {@code failing} fail with ENOSPC; everything else goes through. */
    static Counting failAt(Set<Integer> failing) {
        return new Counting((op, path, i) -> {
            if (failing.contains(i)) {
                throw new IOException(path + ": No space left on device (injected at change " + i + ")");
            }
        });
    }

    /**
     * Stops the thread before the {@code n}-th change until the JVM ends, after saying so on stderr: a test then
     * signals the process at a known point (Ctrl-C in the middle of a commit).
     */
    static Counting pauseAt(int n) {
        return new Counting((op, path, i) -> {
            if (i == n) {
                System.err.println("fault hook: paused before change " + i + " (" + op + " " + path + ")");
                System.err.flush();
                java.util.concurrent.CountDownLatch forever = new java.util.concurrent.CountDownLatch(1);
                while (true) {
                    try {
                        forever.await();
                    } catch (InterruptedException e) {
                        // only the end of the JVM ends the pause
                    }
                }
            }
        });
    }

    /** Parses a test spec: {@code crash:N}, {@code halt:N}, {@code pause:N} or {@code fail:N[,M...]}. */
    static FaultHook parse(String spec) {
        String[] kv = spec.split(":", 2);
        if (kv.length != 2) {
            throw new IllegalArgumentException("fault spec must be crash:N, halt:N or fail:N[,M...], got '" + spec + "'");
        }
        return switch (kv[0]) {
            case "crash" -> crashAt(Integer.parseInt(kv[1].trim()));
            case "halt" -> haltAt(Integer.parseInt(kv[1].trim()));
            case "pause" -> pauseAt(Integer.parseInt(kv[1].trim()));
            case "fail" -> failAt(java.util.Arrays.stream(kv[1].split(",")).map(String::trim)
                    .map(Integer::valueOf).collect(java.util.stream.Collectors.toSet()));
            default -> throw new IllegalArgumentException("unknown fault kind '" + kv[0] + "' in '" + spec + "'");
        };
    }

    /** Numbers each change and hands the number to an action. */
    final class Counting implements FaultHook {
        @FunctionalInterface
        interface Action {
            void at(FileOp op, Path path, int n) throws IOException;
        }

        private final Action action;
        private final AtomicInteger count = new AtomicInteger();

        private Counting(FaultHook delegate) {
            this((op, path, n) -> delegate.before(op, path));
        }

        private Counting(Action action) {
            this.action = action;
        }

        @Override
        public void before(FileOp op, Path path) throws IOException {
            action.at(op, path, count.incrementAndGet());
        }

        public int count() {
            return count.get();
        }
    }
}
