package io.kompactor.deadletter;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kompactor.commit.StateDir;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.fs.FileOps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The dead-letter store: one pretty-printed JSON file per failed plan in {@code <state-dir>/dead-letter/}, written
 * atomically (temp + fsync + rename). Plans that match a record are skipped until it is retried or discarded.
 */
public final class DeadLetterStore {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("yyyyMMdd'T'HH").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public DeadLetterStore(StateDir state) {
        this.dir = state.deadLetters();
    }

    public Path dir() {
        return dir;
    }

    /** A readable, unique, file-name-safe id: time, host, db, table, window start. */
    public synchronized String newId(Instant now, String host, CompactionPlan plan) {
        String base = ID_TIME.format(now) + "-" + safe(host)
                + (plan == null ? "" : "-" + plan.table().dbId() + "-" + plan.table().tableId() + "-"
                + WINDOW.format(Instant.ofEpochSecond(0, plan.windowStart())));
        String id = base;
        for (int i = 2; Files.exists(file(id)); i++) {
            id = base + "-" + i;
        }
        return id;
    }

    public synchronized void write(DeadLetter d) {
        try {
            Files.createDirectories(dir);
            FileOps.plain().write(file(d.id()), mapper.writeValueAsBytes(d), null);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write dead letter " + d.id() + ": " + FileOps.describe(e), e);
        }
    }

    public Optional<DeadLetter> find(String id) {
        Path f = file(id);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        return Optional.of(read(f));
    }

    public DeadLetter get(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("no dead letter '" + id + "' in " + dir));
    }

    /** The record's JSON as stored. */
    public String raw(String id) {
        try {
            return Files.readString(file(get(id).id()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All records, oldest first (ids start with the time). */
    public List<DeadLetter> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<DeadLetter> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    out.add(read(p));
                } catch (UncheckedIOException e) {
                    // a half-edited record by hand: skip it, the others still count
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list: " + FileOps.reason(e), e);
        }
        return out;
    }

    /** True when a record stands for this plan's (host, db, table, window): the plan is not run again by itself. */
    public boolean isDeadLettered(CompactionPlan plan) {
        return list().stream().anyMatch(d -> d.matches(plan));
    }

    /** The record of a host-level failure (unreadable metadata) of {@code host} with this message, if any. */
    public Optional<DeadLetter> hostRecord(String host, String message) {
        return list().stream().filter(d -> !d.hasPlan() && host.equals(d.host())
                && java.util.Objects.equals(message, d.message())).findFirst();
    }

    /** Removes the host-level records of {@code host}: its metadata reads again, so it resumes by itself. */
    public void clearHost(String host) {
        for (DeadLetter d : list()) {
            if (!d.hasPlan() && host.equals(d.host())) {
                delete(d.id());
            }
        }
    }

    public boolean delete(String id) {
        try {
            return Files.deleteIfExists(file(id));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot delete " + id + ": " + FileOps.describe(e), e);
        }
    }

    private DeadLetter read(Path f) {
        try {
            return mapper.readValue(f.toFile(), DeadLetter.class);
        } catch (IOException e) {
            throw new UncheckedIOException(f + ": unreadable dead letter: " + FileOps.reason(e), e);
        }
    }

    private Path file(String id) {
        if (id.isBlank() || id.contains("/") || id.contains("\\") || id.startsWith(".")) {
            throw new IllegalArgumentException("not a dead-letter id: '" + id + "'");
        }
        return dir.resolve(id.endsWith(".json") ? id : id + ".json");
    }

    private static String safe(String s) {
        return s == null ? "unknown" : s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
