package io.kompactor.commit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.cli.CliRun;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journals of the earlier Kompactor (one table per entry, the data dir as an absolute path, no marker) are read, and
 * rewritten with relative paths by the first command that writes; a rollback then works from them.
 */
class LegacyJournalTest {
    @TempDir
    Path tmp;

    @Test
    void earlierJournalIsMigratedAndStillRollsBack() throws Exception {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("data"));
        Map<Path, String> pristine = DataDirAssertions.serverTree(data);
        assertEquals(0, CliRun.of("compact", data.toString(), "--hosts", "node0", "--keep-originals").exitCode());
        rewriteAsEarlierVersion(data);
        Files.delete(data.resolve(Workspace.MARKER));
        Files.delete(data.resolve(".kompactor/data-dir.json"));

        CliRun list = CliRun.of("rollback", data.toString());
        assertEquals(0, list.exitCode(), list::toString);
        assertEquals(4, list.out().lines().filter(l -> l.contains("KEPT")).count(), list::toString);

        CliRun gc = CliRun.of("gc", data.toString(), "--no-retire"); // a writer: migrates
        assertEquals(0, gc.exitCode(), gc::toString);
        try (Stream<Path> s = Files.list(data.resolve(".kompactor/journal"))) {
            for (Path p : s.toList()) {
                String json = Files.readString(p);
                assertTrue(json.contains("\"version\" : 2"), p + ": " + json);
                assertFalse(json.contains(data.toString()), "no absolute data-dir path left in " + p);
            }
        }
        var results = new ServerOracle().load(data, "node0");
        String first = list.out().lines().skip(1).findFirst().orElseThrow().split(" ")[0];
        CliRun undo = CliRun.of("rollback", data.toString(), first, "--and-later");
        assertEquals(0, undo.exitCode(), undo::toString);
        assertEquals(results, new ServerOracle().load(data, "node0"));
        Map<Path, String> now = DataDirAssertions.serverTree(data);
        now.remove(data.resolve(Workspace.MARKER).toAbsolutePath());
        DataDirAssertions.assertSameTree(pristine, now, "the rollback from migrated entries restores the data dir");
    }

    /** The entry format before version 2, as the earlier Committer wrote it. */
    private static void rewriteAsEarlierVersion(Path data) throws Exception {
        ObjectMapper m = new ObjectMapper();
        StateDir state = StateDir.defaultFor(data);
        try (Stream<Path> s = Files.list(state.journal())) {
            for (Path p : s.toList()) {
                JournalEntry e = m.readValue(p.toFile(), JournalEntry.class);
                Group g = e.groups().get(0);
                ObjectNode n = m.createObjectNode();
                n.put("tx", e.tx());
                n.put("state", e.state().name());
                n.put("dataDir", data.toAbsolutePath().toString());
                n.put("host", e.host());
                n.put("table", g.table().toString());
                n.put("windowStart", g.windowStart());
                n.put("policy", e.policy().name());
                n.set("inputs", m.valueToTree(g.inputs()));
                ArrayNode outs = n.putArray("outputs");
                for (ParquetFileEntry o : g.outputs()) {
                    ObjectNode x = outs.addObject();
                    x.put("tmpFile", state.tmp().resolve("merge-x.parquet").toString());
                    x.set("entry", m.valueToTree(o));
                }
                ArrayNode docs = n.putArray("docs");
                for (DocChange d : e.docs()) {
                    ObjectNode x = docs.addObject();
                    x.put("path", d.path());
                    x.put("backup", d.backup());
                    x.put("sha256Before", d.shaBefore());
                    x.put("sha256After", d.shaAfter());
                }
                n.put("created", e.created());
                n.put("updated", e.updated());
                Files.write(p, m.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
            }
        }
    }
}
