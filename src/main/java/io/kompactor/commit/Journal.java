package io.kompactor.commit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.fs.FileOps;
import io.kompactor.snapshot.MetadataException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The transaction journal: one JSON file per transaction, rewritten atomically at each state change. Parsed entries
 * are reused while their file is unchanged: a daemon's journal grows by one file per commit and is read on every pass.
 */
public final class Journal {
    private final StateDir state;
    private final FileOps files;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Map<Path, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(long size, FileTime mtime, Object inode, JournalEntry entry) {
    }

    public Journal(StateDir state, FileOps files) {
        this.state = state;
        this.files = files;
    }

    public void write(JournalEntry e) throws IOException {
        files.write(file(e.tx()), mapper.writeValueAsBytes(e), null);
    }

    public boolean exists(String tx) {
        return Files.isRegularFile(file(tx));
    }

    public JournalEntry read(String tx) {
        Path f = file(tx);
        if (!Files.isRegularFile(f)) {
            throw new MetadataException("no transaction " + tx + " in " + state.journal());
        }
        return read(f);
    }

    /** All transactions, oldest first (ids sort by creation time). */
    public List<JournalEntry> list() {
        if (!Files.isDirectory(state.journal())) {
            return List.of();
        }
        List<JournalEntry> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(state.journal())) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                out.add(read(p));
            }
        } catch (IOException e) {
            throw new MetadataException(state.journal() + ": cannot list: " + FileOps.describe(e), e);
        }
        return out;
    }

    /** The raw JSON of entries written before journal version 2 (absolute paths), for the one-time migration. */
    public List<ObjectNode> legacyEntries() {
        List<ObjectNode> out = new ArrayList<>();
        if (!Files.isDirectory(state.journal())) {
            return out;
        }
        try (Stream<Path> s = Files.list(state.journal())) {
            for (Path p : s.filter(q -> q.getFileName().toString().endsWith(".json")).sorted().toList()) {
                ObjectNode n = (ObjectNode) mapper.readTree(p.toFile());
                if (!n.has("version")) {
                    out.add(n);
                }
            }
        } catch (IOException | ClassCastException e) {
            throw new MetadataException(state.journal() + ": cannot read: "
                    + (e instanceof IOException io ? FileOps.describe(io) : e.getMessage()), e);
        }
        return out;
    }

    private JournalEntry read(Path f) {
        try {
            Map<String, Object> a = Files.readAttributes(f, "unix:ino,size,lastModifiedTime");
            Cached c = cache.get(f);
            if (c != null && c.size == (Long) a.get("size") && c.mtime.equals(a.get("lastModifiedTime"))
                    && c.inode.equals(a.get("ino"))) {
                return c.entry;
            }
            JournalEntry e = parse(f);
            cache.put(f, new Cached((Long) a.get("size"), (FileTime) a.get("lastModifiedTime"), a.get("ino"), e));
            return e;
        } catch (NoSuchFileException e) {
            throw new MetadataException(f + ": journal entry vanished while reading", e);
        } catch (UnsupportedOperationException e) {
            try {
                return parse(f);
            } catch (IOException ex) {
                throw new MetadataException(f + ": unreadable journal entry: " + FileOps.reason(ex), ex);
            }
        } catch (IOException e) {
            throw new MetadataException(f + ": unreadable journal entry: " + FileOps.reason(e), e);
        }
    }

    /** Version-2 entries as they are; older ones converted in memory (a writing command rewrites them). */
    private JournalEntry parse(Path f) throws IOException {
        ObjectNode n = (ObjectNode) mapper.readTree(f.toFile());
        if (!n.has("version")) {
            return LegacyJournal.convert(n, state, null, mapper);
        }
        JournalEntry e = mapper.treeToValue(n, JournalEntry.class);
        if (e.version() != JournalEntry.VERSION) {
            throw new MetadataException(f + ": journal entry of version " + e.version() + "; this Kompactor reads "
                    + "version " + JournalEntry.VERSION);
        }
        return e;
    }

    Path file(String tx) {
        if (tx.isBlank() || tx.contains("/") || tx.contains("\\") || tx.startsWith(".")) {
            throw new MetadataException("not a transaction id: '" + tx + "'");
        }
        return state.journal().resolve(tx + ".json");
    }

    ObjectMapper mapper() {
        return mapper;
    }
}
