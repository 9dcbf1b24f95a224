package io.kompactor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/** File-level checks on a data dir: what is on disk, independent of what any metadata says. */
public final class DataDirAssertions {
    /** Value {@link #tree} records for a directory, so new empty directories count as a change too. */
    public static final String DIRECTORY = "dir";

    private DataDirAssertions() {
    }

    /** Parquet files under {@code <host>/dbs}, listed or not. */
    public static long parquetFileCount(Path dataDir, String host) {
        return parquetFiles(dataDir, host).size();
    }

    /** Parquet files under {@code <host>/dbs}, sorted. */
    public static List<Path> parquetFiles(Path dataDir, String host) {
        Path dbs = dataDir.resolve(host).resolve("dbs");
        if (!Files.isDirectory(dbs)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dbs)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".parquet"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every file and directory under {@code root} (absolute path, root included as a directory) mapped to
     * {@code "<sha256> <mtime>"} for files and {@link #DIRECTORY} for directories. Two equal trees mean nothing was
     * written, touched, added or removed anywhere.
     */
    public static Map<Path, String> tree(Path root) {
        Map<Path, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                Path key = p.toAbsolutePath();
                if (Files.isDirectory(p)) {
                    m.put(key, DIRECTORY);
                } else {
                    m.put(key, sha256(p) + " " + Files.getLastModifiedTime(p).toMillis());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + root, e);
        }
        return m;
    }

    /**
     * {@link #tree} of a data dir without Kompactor's own files: the state dir under it, and the lock file, whose
     * content names the last writer. What the server reads is all that remains (and the ownership marker).
     */
    public static Map<Path, String> serverTree(Path dataDir) {
        Map<Path, String> m = tree(dataDir);
        Path state = dataDir.resolve(".kompactor").toAbsolutePath();
        m.keySet().removeIf(p -> p.startsWith(state) || p.equals(dataDir.resolve(".kompactor.lock").toAbsolutePath()));
        return m;
    }

    /** Fails listing added, removed and changed paths (at most 20 of each) when the trees differ. */
    public static void assertSameTree(Map<Path, String> before, Map<Path, String> after, String message) {
        String d = diff(before, after, 20);
        if (!d.isEmpty()) {
            fail(message + ":\n" + d);
        }
    }

    /** Empty when equal, else one line per difference. */
    public static String diff(Map<Path, String> before, Map<Path, String> after, int limitPerKind) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        TreeSet<Path> all = new TreeSet<>(before.keySet());
        all.addAll(after.keySet());
        for (Path p : all) {
            String b = before.get(p);
            String a = after.get(p);
            if (b == null) {
                added.add(p.toString());
            } else if (a == null) {
                removed.add(p.toString());
            } else if (!a.equals(b)) {
                changed.add(p + " (" + b + " -> " + a + ")");
            }
        }
        StringBuilder sb = new StringBuilder();
        section(sb, "added", added, limitPerKind);
        section(sb, "removed", removed, limitPerKind);
        section(sb, "changed", changed, limitPerKind);
        return sb.toString();
    }

    private static void section(StringBuilder sb, String kind, List<String> lines, int limit) {
        if (lines.isEmpty()) {
            return;
        }
        sb.append(kind).append(" (").append(lines.size()).append("):\n");
        lines.stream().limit(limit).forEach(l -> sb.append("  ").append(l).append('\n'));
        if (lines.size() > limit) {
            sb.append("  ...\n");
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
