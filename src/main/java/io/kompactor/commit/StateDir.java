package io.kompactor.commit;

import java.nio.file.Path;

/**
 * Kompactor's own directory (default {@code <data-dir>/.kompactor}, outside every node prefix): the journal, backups
 * of every metadata file a transaction touched, merged files staged for a commit, retired originals, dead letters
 * and per-process scratch space (merge output in progress, DuckDB spill). Plain JSON and file copies, readable with
 * {@code cat} and {@code jq}. Layout in docs/commit-protocol.md.
 */
public record StateDir(Path root) {
    /** Name of the default state dir under the data dir. */
    public static final String DEFAULT_NAME = ".kompactor";

    public StateDir {
        root = root.toAbsolutePath().normalize();
    }

    public static StateDir defaultFor(Path dataDir) {
        return new StateDir(dataDir.resolve(DEFAULT_NAME));
    }

    public Path journal() {
        return root.resolve("journal");
    }

    public Path backupRoot() {
        return root.resolve("backup");
    }

    public Path backup(String tx) {
        return backupRoot().resolve(tx);
    }

    /** Merged files of a transaction, moved here when it is prepared, so it owns them whatever happens to the merger. */
    public Path stagedRoot() {
        return root.resolve("staged");
    }

    public Path staged(String tx) {
        return stagedRoot().resolve(tx);
    }

    public Path retiredRoot() {
        return root.resolve("retired");
    }

    public Path retired(String tx) {
        return retiredRoot().resolve(tx);
    }

    public Path deadLetters() {
        return root.resolve("dead-letter");
    }

    /** Scratch space: one {@code run-*} folder per process (see {@link Workspace#scratch()}). */
    public Path tmp() {
        return root.resolve("tmp");
    }

    /** Which data dir this state dir belongs to (its UUID): one journal per data dir. */
    public Path identity() {
        return root.resolve("data-dir.json");
    }
}
