package io.kompactor.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.fs.FaultHook;
import io.kompactor.fs.FileLocks;
import io.kompactor.fs.FileOps;
import io.kompactor.fs.Ownership;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A data dir opened by one command, with the state dir that owns it (docs/commit-protocol.md, "One journal per data
 * dir"). A marker at the data-dir root ({@code .kompactor.json}) holds the data dir's UUID and names the owning state
 * dir; the state dir holds the same UUID. A writer with another state dir is refused instead of starting a second
 * journal, and a state dir that belongs to another data dir is refused too. Writers serialise on one lock file at the
 * data-dir root ({@code .kompactor.lock}), whatever their state dir, held per transaction.
 */
public final class Workspace implements AutoCloseable {
    public static final String MARKER = ".kompactor.json";
    public static final String LOCK = ".kompactor.lock";

    private final Path dataDir;
    private final StateDir state;
    private final String dataDirId;
    private final FileOps files;
    private final Journal journal;
    private final Clock clock;
    private final Duration lockWait;
    private final String command;
    private final boolean writable;
    private Path scratch;
    private FileLocks.Handle scratchLock;

    private Workspace(Path dataDir, StateDir state, String dataDirId, FileOps files, Clock clock, Duration lockWait,
                      String command, boolean writable) {
        this.dataDir = dataDir;
        this.state = state;
        this.dataDirId = dataDirId;
        this.files = files;
        this.journal = new Journal(state, files);
        this.clock = clock;
        this.lockWait = lockWait;
        this.command = command;
        this.writable = writable;
    }

    /** What a command asks for: the data dir, an explicit state dir or null, how long to wait for the lock. */
    public record Options(Path dataDir, Path stateDir, Duration lockWait, FaultHook hook, Clock clock, String command) {
        public Options {
            dataDir = dataDir.toAbsolutePath().normalize();
            stateDir = stateDir == null ? null : stateDir.toAbsolutePath().normalize();
            lockWait = lockWait == null ? Duration.ofSeconds(30) : lockWait;
            hook = hook == null ? FaultHook.NONE : hook;
            clock = clock == null ? Clock.systemUTC() : clock;
        }

        public static Options of(Path dataDir, Path stateDir, String command) {
            return new Options(dataDir, stateDir, null, null, null, command);
        }

        public Options withHook(FaultHook h) {
            return new Options(dataDir, stateDir, lockWait, h, clock, command);
        }

        public Options withLockWait(Duration d) {
            return new Options(dataDir, stateDir, d, hook, clock, command);
        }

        public Options withClock(Clock c) {
            return new Options(dataDir, stateDir, lockWait, hook, c, command);
        }
    }

    /**
     * Opens for reading: resolves the owning state dir and checks it belongs to this data dir, but writes nothing
     * anywhere (no marker, no lock file, no state dir).
     */
    public static Workspace forReading(Options o) {
        requireDataDir(o.dataDir());
        Marker marker = Marker.read(o.dataDir());
        StateDir state = resolveState(o, marker);
        String id = marker == null ? null : marker.id();
        String stateId = Identity.read(state);
        if (id != null && stateId != null && !id.equals(stateId)) {
            throw new SetupException(state.root() + " belongs to another data dir (UUID " + stateId + "), not to "
                    + o.dataDir() + " (UUID " + id + ")");
        }
        return new Workspace(o.dataDir(), state, id != null ? id : stateId, FileOps.plain(), o.clock(), o.lockWait(),
                o.command(), false);
    }

    /**
     * Opens for writing: under the data dir's lock, creates or checks the marker and the state dir's identity, and
     * migrates a journal of an earlier version (absolute paths) to relative paths.
     */
    public static Workspace forWriting(Options o) {
        requireDataDir(o.dataDir());
        Marker marker = Marker.read(o.dataDir());
        StateDir state = resolveState(o, marker);
        Ownership own = new Ownership(o.dataDir(), state.root());
        FileOps files = new FileOps(o.hook(), own);
        Workspace probe = new Workspace(o.dataDir(), state, null, files, o.clock(), o.lockWait(), o.command(), true);
        probe.checkOwnership(marker, Identity.read(state)); // refuse before writing anything, the lock file included
        checkOutsideServerTree(o.dataDir(), state.root());
        checkCreatable(state.root());
        try (DataDirLock lock = probe.lock("setup")) {
            String id = probe.setUp(marker);
            return new Workspace(o.dataDir(), state, id, files, o.clock(), o.lockWait(), o.command(), true);
        } catch (IOException e) {
            throw new SetupException("cannot set up " + state.root() + ": " + FileOps.describe(e), e);
        }
    }

    private String setUp(Marker marker) throws IOException {
        marker = Marker.read(dataDir); // again, under the lock
        String stateId = Identity.read(state);
        String id = checkOwnership(marker, stateId);
        for (Path p : List.of(state.journal(), state.backupRoot(), state.stagedRoot(), state.retiredRoot(),
                state.deadLetters(), state.tmp())) {
            files.createDirectories(p);
        }
        // The marker first: a crash before the state dir's identity is written leaves a marker that names this state
        // dir, which the next start adopts; the other order would leave a state dir that claims an unmarked data dir.
        String recorded = state.root().startsWith(dataDir) ? dataDir.relativize(state.root()).toString()
                : state.root().toString();
        if (marker == null || !marker.stateDir().equals(recorded)) {
            Marker.write(files, dataDir, id, recorded);
        }
        if (stateId == null) {
            Identity.write(files, state, id, dataDir);
        }
        migrateLegacyJournal(id);
        return id;
    }

    /** The data dir's UUID if this state dir may own it (a new one when nobody does yet); refuses otherwise. */
    private String checkOwnership(Marker marker, String stateId) {
        String id;
        if (marker == null) {
            if (stateId != null) {
                throw new SetupException(state.root() + " belongs to another data dir (UUID " + stateId + "); "
                        + dataDir + " has no " + MARKER + ". Use another --state-dir, or delete " + state.identity()
                        + " if you moved this data dir without its marker");
            }
            StateDir legacy = StateDir.defaultFor(dataDir);
            if (!legacy.root().equals(state.root()) && Files.isDirectory(legacy.journal())
                    && Identity.read(legacy) == null && hasEntries(legacy.journal())) {
                throw new SetupException(legacy.root() + " holds the journal of an earlier Kompactor run on " + dataDir
                        + "; one journal per data dir: use --state-dir " + legacy.root() + " (or no --state-dir)");
            }
            id = UUID.randomUUID().toString();
        } else {
            id = marker.id();
            if (stateId == null && !marker.stateDirPath(dataDir).equals(state.root())) {
                throw new SetupException(dataDir + " is owned by state dir " + marker.stateDirPath(dataDir) + " ("
                        + dataDir.resolve(MARKER) + "): one journal per data dir. Use --state-dir "
                        + marker.stateDirPath(dataDir) + " (or no --state-dir); if that state dir is gone for good, "
                        + "delete " + dataDir.resolve(MARKER) + " to let " + state.root() + " take over");
            }
            if (stateId != null && !stateId.equals(id)) {
                throw new SetupException(state.root() + " belongs to another data dir (UUID " + stateId + "), not to "
                        + dataDir + " (UUID " + id + ")");
            }
        }
        return id;
    }

    private static boolean hasEntries(Path dir) {
        try (var s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".json"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Journal entries of an earlier version name the data dir by absolute path: rewrite them relative, once. */
    private void migrateLegacyJournal(String id) throws IOException {
        for (ObjectNode n : journal.legacyEntries()) {
            String recorded = LegacyJournal.dataDir(n);
            boolean same = recorded == null || state.root().startsWith(dataDir) || sameDir(Path.of(recorded), dataDir);
            if (!same) {
                throw new SetupException(state.journal() + ": transaction " + n.path("tx").asText()
                        + " was made on data dir " + recorded + ", not " + dataDir + "; use the state dir of this data dir");
            }
            journal.write(LegacyJournal.convert(n, state, id, journal.mapper()));
        }
    }

    private static boolean sameDir(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The server's object store is {@code <data-dir>/<node>/...}: a state dir there (or the data dir itself) would put
     * journals and backups into the server's tree. Refused before anything is written.
     */
    private static void checkOutsideServerTree(Path dataDir, Path stateDir) {
        if (stateDir.equals(dataDir)) {
            throw new SetupException("state dir " + stateDir + " is the data dir itself; use a directory of its own, "
                    + "e.g. " + StateDir.defaultFor(dataDir).root() + " (the default)");
        }
        if (stateDir.startsWith(dataDir)) {
            Path top = dataDir.resolve(dataDir.relativize(stateDir).getName(0));
            if (Files.isDirectory(top.resolve("snapshots")) || Files.isDirectory(top.resolve("dbs"))) {
                throw new SetupException("state dir " + stateDir + " is inside " + top + ", a node dir of the server; "
                        + "use a directory outside the server's tree, e.g. " + StateDir.defaultFor(dataDir).root()
                        + " (the default)");
            }
        }
    }

    /** A state dir that cannot be made (a file in its way, no permission) is refused before the lock file is written. */
    private static void checkCreatable(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return;
        }
        if (!Files.isDirectory(p)) {
            throw new SetupException("cannot use state dir " + dir + ": " + p + ": Not a directory");
        }
        if (!Files.isWritable(p)) {
            throw new SetupException("cannot use state dir " + dir + ": " + p + ": permission denied");
        }
    }

    private static void requireDataDir(Path d) {
        if (!Files.isDirectory(d)) {
            throw new SetupException(d + ": no such data dir");
        }
    }

    /** An explicit state dir; else the one the marker names, where it exists here; else the default. */
    private static StateDir resolveState(Options o, Marker marker) {
        if (o.stateDir() != null) {
            return new StateDir(o.stateDir());
        }
        if (marker != null && Files.isDirectory(marker.stateDirPath(o.dataDir()))) {
            return new StateDir(marker.stateDirPath(o.dataDir()));
        }
        return StateDir.defaultFor(o.dataDir());
    }

    /** Takes the data dir's lock for one transaction, waiting up to the configured time. */
    public DataDirLock lock(String purpose) {
        if (!writable) {
            throw new IllegalStateException("a read-only workspace takes no lock");
        }
        Path file = dataDir.resolve(LOCK);
        try {
            if (!Files.exists(file)) {
                files.write(file, new byte[0], null);
            }
            String holder = holder(purpose);
            FileLocks.Result r = FileLocks.acquire(file, holder, lockWait);
            if (r.handle().isEmpty()) {
                throw new LockBusyException(file.toString(), r.busy().holder());
            }
            return new DataDirLock(r.handle().get());
        } catch (IOException e) {
            throw new SetupException("cannot lock " + file + ": " + FileOps.describe(e), e);
        }
    }

    private String holder(String purpose) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "?";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host + ": kompactor " + command + " (" + purpose
                + ", since " + clock.instant() + ", state dir " + state.root() + ")";
    }

    /**
     * This process's scratch folder {@code tmp/run-<id>/} (merge output in progress, DuckDB spill), locked while the
     * process runs so that another process's clean-up leaves it alone.
     */
    public synchronized Path scratch() {
        if (scratch == null) {
            Path dir = state.tmp().resolve("run-" + UUID.randomUUID());
            try {
                files.createDirectories(dir);
                FileLocks.Result r = FileLocks.acquire(dir.resolve("lock"), "pid " + ProcessHandle.current().pid(),
                        Duration.ZERO);
                scratchLock = r.handle().orElseThrow(() -> new IOException("cannot lock " + dir));
            } catch (IOException e) {
                throw new SetupException("cannot create scratch dir " + dir + ": " + FileOps.describe(e), e);
            }
            scratch = dir;
        }
        return scratch;
    }

    public Path dataDir() {
        return dataDir;
    }

    public StateDir state() {
        return state;
    }

    /** The data dir's UUID; null for a read-only workspace of a data dir no writer has touched yet. */
    public String dataDirId() {
        return dataDirId;
    }

    public FileOps files() {
        return files;
    }

    public Journal journal() {
        return journal;
    }

    public Clock clock() {
        return clock;
    }

    public boolean writable() {
        return writable;
    }

    /** A data-dir path from an object path, refusing anything that would leave the data dir. */
    public Path resolve(String objectPath) {
        return io.kompactor.snapshot.ObjectPaths.resolve(dataDir, objectPath);
    }

    @Override
    public synchronized void close() {
        if (scratchLock != null) {
            try {
                scratchLock.close();
                files.deleteTree(scratch);
            } catch (IOException e) {
                // a leftover scratch folder is removed by the next recovery
            }
            scratchLock = null;
            scratch = null;
        }
    }

    /** The held lock of one transaction. */
    public static final class DataDirLock implements AutoCloseable {
        private final FileLocks.Handle handle;

        DataDirLock(FileLocks.Handle handle) {
            this.handle = handle;
        }

        @Override
        public void close() {
            try {
                handle.close();
            } catch (IOException e) {
                // the OS drops the lock with the descriptor anyway
            }
        }
    }

    /** {@code <data-dir>/.kompactor.json}. */
    record Marker(String id, String stateDir) {
        private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        Path stateDirPath(Path dataDir) {
            Path p = Path.of(stateDir);
            return (p.isAbsolute() ? p : dataDir.resolve(p)).normalize();
        }

        static Marker read(Path dataDir) {
            Path f = dataDir.resolve(MARKER);
            if (!Files.isRegularFile(f)) {
                return null;
            }
            try {
                JsonNode n = MAPPER.readTree(f.toFile());
                String id = n.path("data_dir_id").asText(null);
                String s = n.path("state_dir").asText(null);
                if (id == null || s == null) {
                    throw new SetupException(f + ": not a Kompactor marker (needs data_dir_id and state_dir)");
                }
                return new Marker(id, s);
            } catch (IOException e) {
                throw new SetupException(f + ": unreadable: " + FileOps.describe(e), e);
            }
        }

        static void write(FileOps files, Path dataDir, String id, String stateDir) throws IOException {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("data_dir_id", id);
            n.put("state_dir", stateDir);
            n.put("note", "Kompactor: this data dir's journal lives in state_dir; one journal per data dir");
            files.write(dataDir.resolve(MARKER), MAPPER.writeValueAsBytes(n), null);
        }
    }

    /** {@code <state-dir>/data-dir.json}. */
    static final class Identity {
        private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        private Identity() {
        }

        static String read(StateDir state) {
            Path f = state.identity();
            if (!Files.isRegularFile(f)) {
                return null;
            }
            try {
                return Optional.ofNullable(MAPPER.readTree(f.toFile()).path("data_dir_id").asText(null))
                        .orElseThrow(() -> new SetupException(f + ": no data_dir_id"));
            } catch (IOException e) {
                throw new SetupException(f + ": unreadable: " + FileOps.describe(e), e);
            }
        }

        static void write(FileOps files, StateDir state, String id, Path dataDir) throws IOException {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("data_dir_id", id);
            n.put("first_seen_at", dataDir.toString());
            files.write(state.identity(), MAPPER.writeValueAsBytes(n), null);
        }
    }
}
