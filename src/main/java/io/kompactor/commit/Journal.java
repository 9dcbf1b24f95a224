package io.kompactor.commit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kompactor.snapshot.AtomicFiles;
import io.kompactor.snapshot.MetadataException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The transaction journal: one JSON file per transaction, rewritten atomically at each state change. */
public final class Journal {
    private final StateDir state;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Journal(StateDir state) {
        this.state = state;
    }

    public void write(JournalEntry e) throws IOException {
        Files.createDirectories(state.journal());
        AtomicFiles.write(file(e.tx()), mapper.writeValueAsBytes(e), null);
    }

    public JournalEntry read(String tx) {
        Path f = file(tx);
        if (!Files.isRegularFile(f)) {
            throw new MetadataException("no transaction " + tx + " in " + state.journal());
        }
        try {
            return mapper.readValue(f.toFile(), JournalEntry.class);
        } catch (IOException e) {
            throw new MetadataException(f + ": unreadable journal entry: " + e.getMessage(), e);
        }
    }

    /** All transactions, oldest first (ids sort by creation time). */
    public List<JournalEntry> list() {
        if (!Files.isDirectory(state.journal())) {
            return List.of();
        }
        List<JournalEntry> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(state.journal())) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                String name = p.getFileName().toString();
                out.add(read(name.substring(0, name.length() - ".json".length())));
            }
        } catch (IOException e) {
            throw new MetadataException(state.journal() + ": cannot list: " + e.getMessage(), e);
        }
        return out;
    }

    private Path file(String tx) {
        return state.journal().resolve(tx + ".json");
    }
}
