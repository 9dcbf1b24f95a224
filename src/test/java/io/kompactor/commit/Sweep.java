package io.kompactor.commit;

import io.kompactor.fs.FaultHook;
import io.kompactor.fs.SimulatedCrash;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.RestartedServer;
import io.kompactor.testing.TableRows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a writing operation once per file change it makes, stopped dead before the N-th change (as a kill there
 * would), for N = 1, 2, ... until it runs through; after each stop it judges the data dir by what a restarted server
 * returns, before and after {@code recover}. The operation starts every time from a copy of the same state.
 */
public final class Sweep {
    /**
     * One writing operation, given the workspace options that carry the fault hook (for operations run in this
     * test) and the same fault as a {@code --fault} spec (for operations run through the command line).
     */
    @FunctionalInterface
    interface Operation {
        void run(Workspace.Options options, String fault) throws Exception;
    }

    private final RestartedServer server = new RestartedServer();
    private final Path base;
    private final Path work;
    private final String host;
    private final Map<String, TableRows> rows;

    /** {@code base}: the data dir (with its state dir) every run starts from. */
    Sweep(Path base, Path work, String host) {
        this.base = base;
        this.work = work;
        this.host = host;
        this.rows = server.rows(base, host);
    }

    RestartedServer server() {
        return server;
    }

    Map<String, TableRows> rows() {
        return rows;
    }

    /** A fresh copy of the start state. */
    Path copy(String name) {
        return Fixtures.copyTree(base, work.resolve(name));
    }

    /** The file list a restarted server would see of a data dir, for comparing states. */
    Map<String, List<String>> listing(Path dataDir) {
        return server.listing(dataDir, host);
    }

    /**
     * Crashes {@code op} before each of its changes in turn, then recovers; returns the number of changes it makes.
     * {@code allowed} are the file lists between its transactions (before, after each one); after recovery the list
     * must be one of them, the rows must be the start state's, and nothing may be left to recover or clean.
     */
    int crashAtEveryChange(String what, Operation op, Function<Path, Workspace.Options> options,
                           List<Map<String, List<String>>> allowed, int stride) throws Exception {
        for (int i = 1; ; i++) {
            boolean check = i % stride == 0 || i < 3;
            Path d = copy(what + "-" + i);
            Workspace.Options o = options.apply(d).withHook(FaultHook.crashAt(i));
            try {
                op.run(o, "crash:" + i);
                deleteTree(d);
                return i - 1;
            } catch (SimulatedCrash expected) {
                // as after a kill at change i
            }
            String when = what + ", killed before change " + i;
            RestartedServer.View early = server.look(d, host);
            assertEquals(List.of(), early.missing(), when + ": a server started before recovery misses files");
            assertEquals(rows, server.rows(d, host, early), when + ": a server started before recovery returns other rows");
            recover(d, options.apply(d), when);
            RestartedServer.View late = server.look(d, host);
            assertEquals(List.of(), late.missing(), when + ": after recovery files are missing");
            assertTrue(allowed.contains(late.listing()), when + ": after recovery the server lists none of the states "
                    + "between transactions: " + late.listing());
            assertEquals(rows, server.rows(d, host, late), when + ": rows after recovery");
            if (check) {
                assertNothingLeft(d, options.apply(d), when);
            }
            deleteTree(d);
        }
    }

    /** A clean recovery: everything finished or undone, nothing blocked, no leftovers. */
    static void recover(Path d, Workspace.Options o, String when) {
        try (Workspace ws = Workspace.forWriting(o)) {
            Transactions.RecoveryReport r = new Transactions(ws, ServerProbe.NONE).recover();
            assertTrue(r.ok(), when + ": recovery blocked: " + r.blocked());
        }
    }

    /** No open transaction, no staged files, no scratch, and every backup dir belongs to a journal entry. */
    public static void assertNothingLeft(Path d, Workspace.Options o, String when) throws Exception {
        try (Workspace ws = Workspace.forReading(o)) {
            Set<String> txs = new java.util.HashSet<>();
            for (JournalEntry e : ws.journal().list()) {
                assertTrue(!e.state().open(), when + ": " + e.tx() + " is still " + e.state());
                txs.add(e.tx());
            }
            assertEquals(List.of(), children(ws.state().stagedRoot()), when + ": staged files left");
            assertEquals(List.of(), children(ws.state().tmp()), when + ": scratch left");
            for (String b : children(ws.state().backupRoot())) {
                assertTrue(txs.contains(b), when + ": backups of an unknown transaction " + b);
            }
        }
        try (Stream<Path> s = Files.walk(d)) {
            List<Path> temps = s.filter(p -> p.getFileName().toString().matches(".*#\\d+")).toList();
            assertEquals(List.of(), temps, when + ": temp files left");
        }
    }

    private static List<String> children(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static void deleteTree(Path d) {
        try (Stream<Path> s = Files.walk(d)) {
            List<Path> all = new ArrayList<>(s.toList());
            all.sort(java.util.Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (Exception e) {
            fail("cannot clean " + d + ": " + e);
        }
    }
}
