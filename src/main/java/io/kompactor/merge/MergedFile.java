package io.kompactor.merge;

import java.nio.file.Path;

/** One verified, fsynced output of a merge, still in the state dir's tmp folder. Times are ns since the epoch. */
public record MergedFile(Path tmpFile, long rowCount, long sizeBytes, long minTime, long maxTime) {
}
