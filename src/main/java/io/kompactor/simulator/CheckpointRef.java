package io.kompactor.simulator;

import java.nio.file.Path;
import java.time.YearMonth;

/** A checkpoint file known by its name alone: month directory and the sequence its file name stands for. */
public record CheckpointRef(YearMonth month, long lastSnapshotSeq, Path file) {
}
