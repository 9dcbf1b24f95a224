package io.kompactor.camel;

import io.kompactor.snapshot.DocKind;

import java.nio.file.Path;

/**
 * A metadata file of a host that the server wrote or changed: a new snapshot, a checkpoint it wrote from memory, a
 * table index or table snapshot it rewrote. {@code kind} null means "something may have been missed": plan the host.
 */
public record MetadataEvent(String host, DocKind kind, Path path) {
}
