package io.kompactor.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.snapshot.DocKind;
import io.kompactor.snapshot.MetadataDoc;
import io.kompactor.snapshot.MetadataException;
import io.kompactor.snapshot.ParquetFileEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads journal entries written before version 2: one table per transaction, the data dir as an absolute path, merge
 * outputs by absolute temp path, and per metadata file only its hashes. They become version-2 entries: paths relative
 * to their root, and each file's removed inputs recovered from its backup (docs/commit-protocol.md, "Journal").
 */
final class LegacyJournal {
    private LegacyJournal() {
    }

    /** The absolute data dir a legacy entry names. */
    static String dataDir(ObjectNode n) {
        return n.path("dataDir").asText(null);
    }

    static JournalEntry convert(ObjectNode n, StateDir state, String dataDirId, ObjectMapper mapper) {
        String tx = n.path("tx").asText();
        try {
            String[] table = n.path("table").asText("-1/-1").split("/");
            long window = n.path("windowStart").asLong();
            List<ParquetFileEntry> inputs = entries(n.path("inputs"), mapper);
            List<ParquetFileEntry> outputs = new ArrayList<>();
            List<FileMove> moves = new ArrayList<>();
            for (JsonNode o : n.path("outputs")) {
                ParquetFileEntry e = mapper.treeToValue(o.get("entry"), ParquetFileEntry.class);
                outputs.add(e);
                Path tmp = Path.of(o.path("tmpFile").asText());
                String from = tmp.isAbsolute() && tmp.normalize().startsWith(state.root())
                        ? state.root().relativize(tmp.normalize()).toString() : tmp.toString();
                moves.add(new FileMove(FileMove.Root.STATE, from, FileMove.Root.DATA, e.path(), true));
            }
            Set<Long> inputIds = new HashSet<>();
            inputs.forEach(i -> inputIds.add(i.id()));
            List<DocChange> docs = new ArrayList<>();
            for (JsonNode d : n.path("docs")) {
                String path = d.path("path").asText();
                String backup = d.path("backup").asText();
                DocKind kind = kindOf(path);
                List<ParquetFileEntry> removed = new ArrayList<>();
                Path b = state.root().resolve(backup);
                if (Files.isRegularFile(b)) {
                    MetadataDoc before = MetadataDoc.read(b, kind);
                    for (Map.Entry<io.kompactor.snapshot.TableKey, List<ParquetFileEntry>> t : before.files().entrySet()) {
                        t.getValue().stream().filter(e -> inputIds.contains(e.id())).forEach(removed::add);
                    }
                }
                docs.add(new DocChange(path, kind, backup, d.path("sha256Before").asText(null), null,
                        d.path("sha256After").asText(null), List.of(),
                        removed.isEmpty() ? List.of() : List.of(new TableFiles(Long.parseLong(table[0]),
                                Long.parseLong(table[1]), removed)), null));
            }
            Group g = new Group(Long.parseLong(table[0]), Long.parseLong(table[1]), window, window, inputs, outputs);
            return new JournalEntry(JournalEntry.VERSION, tx, TxKind.COMPACT, TxState.valueOf(n.path("state").asText()),
                    dataDirId, n.path("host").asText(), n.path("created").asText(), n.path("updated").asText(),
                    RetirePolicy.valueOf(n.path("policy").asText("IMMEDIATE")), null, List.of(g), docs, moves, null, null);
        } catch (IOException | RuntimeException e) {
            throw new MetadataException(state.journal().resolve(tx + ".json") + ": cannot read this journal entry of an "
                    + "earlier Kompactor version: " + e.getMessage(), e);
        }
    }

    private static List<ParquetFileEntry> entries(JsonNode arr, ObjectMapper mapper) throws IOException {
        List<ParquetFileEntry> out = new ArrayList<>();
        for (JsonNode e : arr) {
            out.add(mapper.treeToValue(e, ParquetFileEntry.class));
        }
        return out;
    }

    static DocKind kindOf(String objectPath) {
        if (objectPath.contains("/snapshot-checkpoints/")) {
            return DocKind.CHECKPOINT;
        }
        if (objectPath.contains("/db-indices/")) {
            return DocKind.TABLE_INDEX;
        }
        if (objectPath.contains("/table-snapshots/")) {
            return DocKind.TABLE_SNAPSHOT;
        }
        return DocKind.SNAPSHOT;
    }
}
