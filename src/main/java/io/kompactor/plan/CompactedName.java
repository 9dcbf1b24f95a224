package io.kompactor.plan;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of compacted files: {@code kompacted-<newest input write order>-<file id>.parquet} for a window's compacted
 * file, {@code kompacted-late-<order>-<id>.parquet} for the file its late data is gathered in until the window is
 * merged again (docs/operations.md, "Late data"). The server only writes all-digit names, so it can never overwrite
 * one, and the name carries the write order the reserved id lacks.
 */
public final class CompactedName {
    private static final Pattern NAME = Pattern.compile("kompacted-(late-)?(\\d+)-(\\d+)\\.parquet");

    private CompactedName() {
    }

    public static String format(long newestWriteOrder, long fileId) {
        return "kompacted-" + newestWriteOrder + "-" + fileId + ".parquet";
    }

    public static String formatLate(long newestWriteOrder, long fileId) {
        return "kompacted-late-" + newestWriteOrder + "-" + fileId + ".parquet";
    }

    /** The write order recorded in a compacted file's name, empty for the server's own files. */
    public static OptionalLong writeOrderOf(String path) {
        Matcher m = NAME.matcher(nameOf(path));
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(2))) : OptionalLong.empty();
    }

    /** True for the late-data file of a compacted window. */
    public static boolean isLate(String path) {
        Matcher m = NAME.matcher(nameOf(path));
        return m.matches() && m.group(1) != null;
    }

    private static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
