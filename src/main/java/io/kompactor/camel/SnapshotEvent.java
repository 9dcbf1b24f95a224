package io.kompactor.camel;

/** A snapshot file the watcher saw: its host (node id), its sequence number and its path. */
public record SnapshotEvent(String host, long snapshotSequence, String path) {
}
