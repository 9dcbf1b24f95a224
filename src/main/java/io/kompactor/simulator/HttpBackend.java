package io.kompactor.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;
import java.util.Optional;

/** What the HTTP front door asks the simulated server; each answer is a consistent copy. */
interface HttpBackend {
    /** Null while the server is stopped: the front door then answers 503. */
    String processId();

    List<String> databases();

    /** The rows of {@code query} over the running process's {@code PersistedFiles}; empty if no such database. */
    Optional<ArrayNode> parquetFiles(String db, SystemFilesQuery query);
}
