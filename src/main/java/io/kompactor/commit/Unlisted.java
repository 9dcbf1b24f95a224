package io.kompactor.commit;

/**
 * When the last on-disk listing of the files a transaction still has to retire went away, and which server process
 * ({@code /ping} {@code process_id}, null when unknown) was running then. A file may be retired once a server process
 * started after that moment (docs/operations.md, "Retiring originals").
 */
public record Unlisted(String at, String serverProcessId) {
}
