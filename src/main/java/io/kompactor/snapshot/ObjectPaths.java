package io.kompactor.snapshot;

import java.nio.file.Path;

/**
 * Object paths as the server's object store writes them (docs/format.md, "Object paths"): relative, {@code /}-separated,
 * no empty, {@code .} or {@code ..} segments, no backslashes or control characters. The check is lexical, like the
 * object store's, so a symlinked subdirectory (say {@code dbs/} on another disk) keeps working, while a crafted or
 * corrupt snapshot can never make Kompactor read, move or delete a file outside the node's tree.
 */
public final class ObjectPaths {
    private ObjectPaths() {
    }

    /** Null when {@code path} is a valid object path under {@code <host>/}; otherwise what is wrong with it. */
    public static String problem(String path, String host) {
        if (path == null || path.isEmpty()) {
            return "empty path";
        }
        if (path.startsWith("/")) {
            return "absolute path '" + shorten(path) + "'";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "control character in path '" + shorten(path) + "'";
            }
            if (c == '\\') {
                return "backslash in path '" + shorten(path) + "'";
            }
        }
        String[] seg = path.split("/", -1);
        for (String s : seg) {
            if (s.isEmpty()) {
                return "empty segment in path '" + shorten(path) + "'";
            }
            if (s.equals(".") || s.equals("..")) {
                return "'" + s + "' segment in path '" + shorten(path) + "'";
            }
        }
        if (host != null && !seg[0].equals(host)) {
            return "path '" + shorten(path) + "' is not under node '" + host + "/'";
        }
        return null;
    }

    /** The file of an object path under {@code dataDir}; refuses any path that could leave it. */
    public static Path resolve(Path dataDir, String objectPath) {
        String p = problem(objectPath, null);
        if (p != null) {
            throw new MetadataException("refusing to touch a file outside the data dir: " + p);
        }
        Path r = dataDir.resolve(objectPath).normalize();
        if (!r.startsWith(dataDir.normalize())) {
            throw new MetadataException("refusing to touch a file outside the data dir: " + objectPath);
        }
        return r;
    }

    private static String shorten(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 120 ? t.substring(0, 117) + "..." : t;
    }
}
