package io.kompactor.commit;

import io.kompactor.fs.FileOps;
import io.kompactor.snapshot.DocKind;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.MetadataDoc;
import io.kompactor.snapshot.MetadataException;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.TableKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Carries out and undoes the file changes of any transaction (docs/commit-protocol.md): files moved in first, then
 * every addition to metadata, then every removal, so a server that starts at any moment sees every row (at worst
 * twice, for the moments of a commit). Each metadata write is a compare-and-swap on the file's hash. An undo edits
 * entries back (outputs back to inputs) in every file of the host that lists them, restoring a whole-file backup only
 * where the file still holds exactly what the transaction wrote.
 */
final class TxExecutor {
    private final Workspace ws;

    TxExecutor(Workspace ws) {
        this.ws = ws;
    }

    /** Reads each file to change, keeps a byte-exact backup of it and works out the hashes of every step. */
    List<DocChange> prepare(String tx, List<Placement.Edit> edits) throws IOException {
        return prepare(tx, edits, Map.of());
    }

    /**
     * As {@link #prepare(String, List)}; {@code restorable} maps object paths to an earlier transaction's change of
     * that file: where the file still holds exactly what that transaction wrote, its final content is that
     * transaction's backup, byte for byte (a rollback of untouched files restores them exactly).
     */
    List<DocChange> prepare(String tx, List<Placement.Edit> edits, Map<String, DocChange> restorable) throws IOException {
        List<DocChange> out = new ArrayList<>();
        for (Placement.Edit e : edits) {
            Path file = e.doc().file();
            Current now = read(file, e.doc().kind());
            if (!now.doc().json().equals(e.doc().json())) {
                throw new StaleException(file + " changed since planning; plan again");
            }
            String path = Placement.objectPath(ws.dataDir(), e.doc());
            boolean adds = !e.add().values().stream().allMatch(List::isEmpty);
            MetadataDoc added = now.doc().edit(Set.of(), e.add());
            byte[] after = added.edit(Placement.ids(e.remove()), Map.of()).bytes();
            DocChange earlier = restorable.get(path);
            String restoreFrom = null;
            if (earlier != null && sha256(now.bytes()).equals(earlier.shaAfter())
                    && Files.isRegularFile(ws.state().root().resolve(earlier.backup()))) {
                restoreFrom = earlier.backup();
                after = Files.readAllBytes(ws.state().root().resolve(restoreFrom));
            }
            Path backup = ws.state().backup(tx).resolve(path);
            ws.files().write(backup, now.bytes(), now.mtime());
            out.add(new DocChange(path, e.doc().kind(), ws.state().root().relativize(backup).toString(),
                    sha256(now.bytes()), adds ? sha256(added.bytes()) : null, sha256(after), TableFiles.of(e.add()),
                    removedByTable(e.remove(), now.doc()), restoreFrom));
        }
        return out;
    }

    /** Moves, then additions, then removals; a file that no longer holds what was planned aborts with {@link StaleException}. */
    void apply(JournalEntry e) throws IOException {
        for (FileMove m : e.moves()) {
            Path from = place(m.fromRoot(), m.from());
            Path to = place(m.toRoot(), m.to());
            if (Files.exists(from)) {
                ws.files().move(from, to, m.created());
            } else if (!Files.exists(to)) {
                throw new CommitException(e.tx() + ": " + from + " is missing; cannot move it to " + to);
            }
        }
        for (DocChange d : e.docs()) {
            if (d.adds() && !(d.restoreFrom() != null && !d.removes())) {
                step(d, d.shaBefore(), d.shaAdded(), doc -> doc.edit(Set.of(), TableFiles.toMap(d.added())));
            } else if (d.adds()) {
                restoreStep(d, d.shaBefore()); // only additions: the earlier backup is the whole change
            }
        }
        for (DocChange d : e.docs()) {
            if (d.removes() && d.restoreFrom() != null) {
                restoreStep(d, d.adds() ? d.shaAdded() : d.shaBefore());
            } else if (d.removes()) {
                step(d, d.adds() ? d.shaAdded() : d.shaBefore(), d.shaAfter(),
                        doc -> doc.edit(d.removedIds(), Map.of()));
            }
        }
    }

    /** A step whose result is an earlier transaction's backup of the file, byte for byte. */
    private void restoreStep(DocChange d, String expected) throws IOException {
        Path file = ws.resolve(d.path());
        Current now = read(file, d.kind());
        String sha = sha256(now.bytes());
        if (sha.equals(d.shaAfter())) {
            return;
        }
        if (!sha.equals(expected)) {
            throw new StaleException(file + " changed since this transaction planned it (the server or another tool "
                    + "wrote it); undone, plan again");
        }
        Path backup = ws.state().root().resolve(d.restoreFrom());
        ws.files().write(file, Files.readAllBytes(backup), now.mtime());
    }

    private void step(DocChange d, String expected, String result, java.util.function.UnaryOperator<MetadataDoc> edit)
            throws IOException {
        Path file = ws.resolve(d.path());
        Current now = read(file, d.kind());
        String sha = sha256(now.bytes());
        if (sha.equals(result) || sha.equals(d.shaAfter())) {
            return; // already done (a resumed step)
        }
        if (!sha.equals(expected)) {
            throw new StaleException(file + " changed since this transaction planned it (the server or another tool "
                    + "wrote it); undone, plan again");
        }
        write(file, now, edit.apply(now.doc()), d.kind() == DocKind.TABLE_INDEX ? edit : null);
    }

    /**
     * Writes {@code next} over {@code file}. The server rewrites {@code db-indices/.../index.info.json} in place and
     * ignores our lock, so such a file is read back and, if its write raced ours, edited again ({@code reapply}).
     */
    private void write(Path file, Current now, MetadataDoc next, java.util.function.UnaryOperator<MetadataDoc> reapply)
            throws IOException {
        byte[] bytes = next.bytes();
        ws.files().write(file, bytes, now.mtime());
        if (reapply == null) {
            return;
        }
        for (int i = 0; i < 3; i++) {
            Current back = read(file, DocKind.TABLE_INDEX);
            if (java.util.Arrays.equals(back.bytes(), bytes)) {
                return;
            }
            MetadataDoc again = reapply.apply(back.doc());
            bytes = again.bytes();
            ws.files().write(file, bytes, back.mtime());
        }
    }

    /**
     * Undoes {@code e}: puts back what it removed and takes out what it added, in every metadata file of its host, then
     * moves files back. {@code groups} are the groups as the transaction applied them (inputs replaced by outputs).
     */
    void undo(JournalEntry e, HostMetadata m, List<Group> groups) throws IOException {
        Map<String, List<ParquetFileEntry>> removedPerDoc = new HashMap<>();
        Map<String, DocChange> journaled = new HashMap<>();
        for (DocChange d : e.docs()) {
            removedPerDoc.put(d.path(), d.removedEntries());
            journaled.put(d.path(), d);
        }
        JournalEntry asApplied = new JournalEntry(JournalEntry.VERSION, e.tx(), e.kind(), e.state(), e.dataDirId(),
                e.host(), e.created(), e.updated(), e.policy(), e.subject(), groups, e.docs(), e.moves(), null, null);
        List<Placement.Edit> edits = Placement.forRollback(m, asApplied, removedPerDoc, ws.dataDir());
        // journaled files that must lose entries and still hold exactly what this transaction wrote: swapped back to
        // their backup whole (additions and removals at once), among the removals
        Set<String> swapWhole = new HashSet<>();
        for (Placement.Edit edit : edits) {
            String path = Placement.objectPath(ws.dataDir(), edit.doc());
            DocChange d = journaled.get(path);
            if (d != null && !edit.remove().isEmpty() && holdsOurs(edit.doc().file(), d)) {
                swapWhole.add(path);
            }
        }
        for (Placement.Edit edit : edits) { // additions first
            String path = Placement.objectPath(ws.dataDir(), edit.doc());
            if (swapWhole.contains(path) || edit.add().values().stream().allMatch(List::isEmpty)) {
                continue;
            }
            DocChange d = journaled.get(path);
            if (d != null && edit.remove().isEmpty() && holdsOurs(edit.doc().file(), d)) {
                restore(d);
            } else {
                editCurrent(edit.doc().file(), edit.doc().kind(), doc -> doc.edit(Set.of(), edit.add()));
            }
        }
        for (Placement.Edit edit : edits) { // then removals
            String path = Placement.objectPath(ws.dataDir(), edit.doc());
            if (swapWhole.contains(path) && holdsOurs(edit.doc().file(), journaled.get(path))) {
                restore(journaled.get(path));
            } else if (swapWhole.contains(path)) {
                editCurrent(edit.doc().file(), edit.doc().kind(),
                        doc -> doc.edit(Placement.ids(edit.remove()), edit.add()));
            } else if (!edit.remove().isEmpty()) {
                editCurrent(edit.doc().file(), edit.doc().kind(), doc -> doc.edit(Placement.ids(edit.remove()), Map.of()));
            }
        }
        Set<String> listed = new HashSet<>();
        HostMetadata after = HostMetadata.load(ws.dataDir(), m.host());
        after.allDocs().forEach(d -> d.allFiles().forEach(f -> listed.add(f.path())));
        List<FileMove> moves = new ArrayList<>(e.moves());
        java.util.Collections.reverse(moves);
        for (FileMove mv : moves) {
            Path from = place(mv.fromRoot(), mv.from());
            Path to = place(mv.toRoot(), mv.to());
            if (mv.toRoot() == FileMove.Root.DATA && listed.contains(mv.to())) {
                continue; // listed again (by someone else's later change): keep it
            }
            if (Files.exists(to) && !Files.exists(from)) {
                if (mv.created()) {
                    ws.files().delete(to);
                    ws.files().removeEmptyDirs(to.getParent(), 2);
                } else {
                    ws.files().move(to, from, false);
                }
            }
        }
        ws.files().deleteTree(ws.state().staged(e.tx()));
    }

    private boolean holdsOurs(Path file, DocChange d) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        String sha = sha256(Files.readAllBytes(file));
        return sha.equals(d.shaAfter()) || d.shaAdded() != null && sha.equals(d.shaAdded());
    }

    private void restore(DocChange d) throws IOException {
        Path backup = ws.state().root().resolve(d.backup());
        Path file = ws.resolve(d.path());
        if (!Files.exists(backup)) {
            throw new CommitException("backup " + backup + " of " + file + " is gone; cannot restore it");
        }
        ws.files().write(file, Files.readAllBytes(backup), Files.getLastModifiedTime(backup));
    }

    /** Edits a file as it is now, re-reading and retrying if someone rewrites it between our read and our rename. */
    private void editCurrent(Path file, DocKind kind, java.util.function.UnaryOperator<MetadataDoc> edit) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Current now = read(file, kind);
            MetadataDoc next = edit.apply(now.doc());
            if (next == now.doc()) {
                return; // nothing to change
            }
            Current again = read(file, kind);
            if (!java.util.Arrays.equals(again.bytes(), now.bytes())) {
                if (attempt < 3) {
                    continue;
                }
                throw new CommitException(file + " keeps changing under us; try again");
            }
            write(file, now, next, kind == DocKind.TABLE_INDEX ? edit : null);
            return;
        }
    }

    Path place(FileMove.Root root, String path) {
        return root == FileMove.Root.DATA ? ws.resolve(path) : ws.state().root().resolve(path).normalize();
    }

    private static List<TableFiles> removedByTable(List<ParquetFileEntry> removed, MetadataDoc doc) {
        Map<TableKey, List<ParquetFileEntry>> m = new LinkedHashMap<>();
        Set<Long> ids = Placement.ids(removed);
        doc.files().forEach((t, l) -> l.forEach(f -> {
            if (ids.contains(f.id())) {
                m.computeIfAbsent(t, k -> new ArrayList<>()).add(f);
            }
        }));
        return TableFiles.of(m);
    }

    record Current(byte[] bytes, FileTime mtime, MetadataDoc doc) {
    }

    static Current read(Path file, DocKind kind) throws IOException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            FileTime mtime = Files.getLastModifiedTime(file);
            return new Current(bytes, mtime, MetadataDoc.parse(file, kind, bytes, mtime));
        } catch (NoSuchFileException ex) {
            throw new StaleException(file + " is gone (removed since planning); plan again");
        } catch (MetadataException ex) {
            throw new CommitException(ex.getMessage(), ex);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
