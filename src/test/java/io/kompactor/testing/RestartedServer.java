package io.kompactor.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Judges a data dir by what a restarted server would return: the files it would list (the referee's restart load)
 * must all exist with their exact size (a missing one fails every query of its table), and the rows of every table
 * come from the oracle. The sweeps of the fault tests visit few distinct file lists many times, so rows are computed
 * once per distinct list.
 */
public final class RestartedServer {
    private final ServerOracle oracle = new ServerOracle();
    private final Map<Map<String, List<String>>, Map<String, TableRows>> rowsByListing = new HashMap<>();

    /** What a restarted server sees: its file list per "db/table" ("path size" lines) and the files missing on disk. */
    public record View(Map<String, List<String>> listing, List<String> missing) {
    }

    public View look(Path dataDir, String host) {
        Map<String, List<String>> listing = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        oracle.visibleFiles(dataDir, host).forEach((t, files) -> {
            List<String> l = new ArrayList<>();
            for (OracleFile f : files) {
                l.add(f.path() + " " + f.sizeBytes());
                Path p = dataDir.resolve(f.path());
                try {
                    if (!Files.isRegularFile(p) || Files.size(p) != f.sizeBytes()) {
                        missing.add(f.path() + (Files.exists(p) ? " (size " + Files.size(p) + ", listed "
                                + f.sizeBytes() + ")" : " (missing)"));
                    }
                } catch (IOException e) {
                    missing.add(f.path() + " (" + e + ")");
                }
            }
            l.sort(null);
            listing.put(t, l);
        });
        return new View(listing, missing);
    }

    /** The files a restarted server lists, per "db/table", as "path size" lines: equal lists mean equal states. */
    public Map<String, List<String>> listing(Path dataDir, String host) {
        return look(dataDir, host).listing();
    }

    /** The listed files that are missing on disk (or have another size than listed). */
    public List<OracleFile> missingFiles(Path dataDir, String host) {
        List<OracleFile> out = new ArrayList<>();
        oracle.visibleFiles(dataDir, host).values().forEach(files -> files.forEach(f -> {
            Path p = dataDir.resolve(f.path());
            try {
                if (!Files.isRegularFile(p) || Files.size(p) != f.sizeBytes()) {
                    out.add(f);
                }
            } catch (IOException e) {
                out.add(f);
            }
        }));
        return out;
    }

    /** Fails when a file the restarted server would list is missing or has another size than listed. */
    public void assertNoMissingFile(Path dataDir, String host, String when) {
        View v = look(dataDir, host);
        if (!v.missing().isEmpty()) {
            fail(when + ": listed files missing: " + v.missing());
        }
    }

    /** The rows every table returns after a restart (computed once per distinct file list). */
    public Map<String, TableRows> rows(Path dataDir, String host) {
        return rows(dataDir, host, look(dataDir, host));
    }

    /** As {@link #rows(Path, String)} for a view already taken. */
    public Map<String, TableRows> rows(Path dataDir, String host, View view) {
        return rowsByListing.computeIfAbsent(view.listing(), k -> oracle.load(dataDir, host));
    }
}
