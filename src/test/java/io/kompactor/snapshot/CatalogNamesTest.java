package io.kompactor.snapshot;

import io.kompactor.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Names from the server's 3.4–3.9 JSON catalog snapshot (the upstream serialisation sample, framed as on disk). */
class CatalogNamesTest {
    @TempDir
    Path tmp;

    @Test
    void readsDatabaseAndTableNamesFromTheV2CatalogSnapshot() throws Exception {
        byte[] json = Files.readAllBytes(Fixtures.snapshotSamples().resolve("related_main-1c21da32dd_catalog_v2_json_serialization.json"));
        Path f = tmp.resolve("node0/catalog/v2/snapshot");
        Files.createDirectories(f.getParent());
        Files.write(f, frame("idb3.002.s", json));
        assertEquals(Map.of(new TableKey(1, 0), "test_db/test_table_1", new TableKey(1, 1), "test_db/test_table_2"),
                CatalogNames.read(tmp, "node0"));
        Files.write(f, frame("idb3.001.s", json));
        assertEquals(Map.of(), CatalogNames.read(tmp, "node0"), "version 1 is bitcode: no names, no failure");
    }

    private static byte[] frame(String version, byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(version.getBytes(StandardCharsets.US_ASCII));
        long c = crc.getValue();
        out.writeBytes(new byte[]{(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
        out.writeBytes(payload);
        return out.toByteArray();
    }
}
