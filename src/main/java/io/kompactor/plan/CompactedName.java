package io.kompactor.plan;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of compacted files: {@code kompacted-<newest input write order>-<file id>.parquet}. The server only writes
 * all-digit names, so it can never overwrite one, and the name carries the write order the reserved id lacks.
 */
public final class CompactedName {
    private static final Pattern NAME = Pattern.compile("kompacted-(\\d+)-(\\d+)\\.parquet");

    private CompactedName() {
    }

    public static String format(long newestWriteOrder, long fileId) {
        return "kompacted-" + newestWriteOrder + "-" + fileId + ".parquet";
    }

    /** The write order recorded in a compacted file's name, empty for the server's own files. */
    public static OptionalLong writeOrderOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        Matcher m = NAME.matcher(name);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }
}
