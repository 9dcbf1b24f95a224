package io.kompactor.camel;

import com.fasterxml.jackson.databind.JsonNode;
import io.kompactor.snapshot.Json;
import io.kompactor.testing.Fixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Replays a fixture into a data dir the way a server writes it: each snapshot's parquet files, then the snapshot JSON (temp name + rename). */
final class FixtureDrops {
    final Path source;
    final Path target;
    final String host;
    final List<Path> snapshots;

    FixtureDrops(Path source, Path target, String host) throws IOException {
        this.source = source;
        this.target = target;
        this.host = host;
        try (Stream<Path> s = Files.list(source.resolve(host).resolve("snapshots"))) {
            // names are u64::MAX - sequence: reverse name order is oldest first
            snapshots = new ArrayList<>(s.sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList());
        }
        Files.createDirectories(target.resolve(host).resolve("snapshots"));
    }

    static FixtureDrops of(String fixture, Path work, Path target, String host) throws IOException {
        Path src = Fixtures.copy(fixture, work);
        return new FixtureDrops(src, target, host);
    }

    int size() {
        return snapshots.size();
    }

    /** Drops snapshot number {@code i} (0 = oldest) with its parquet files. */
    void drop(int i) throws IOException {
        Path snap = snapshots.get(i);
        JsonNode doc = Json.readObject(snap);
        for (JsonNode db : doc.path("databases")) {
            for (JsonNode table : db.get(1).path("tables")) {
                for (JsonNode f : table.get(1)) {
                    String path = f.path("path").asText();
                    Path dst = target.resolve(path);
                    Files.createDirectories(dst.getParent());
                    Files.copy(source.resolve(path), dst, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Path dst = target.resolve(host).resolve("snapshots").resolve(snap.getFileName());
        Path tmp = dst.resolveSibling(snap.getFileName() + "#1");
        Files.copy(snap, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE);
    }
}
