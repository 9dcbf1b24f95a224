package io.kompactor.commit;

/**
 * A file a transaction moves before it edits metadata (a merged output from {@code staged/} into the data dir, an
 * original back from {@code retired/}), or after (a file retired). Paths are relative to their root, so a journal
 * survives a moved or re-mounted data dir. {@code created} marks a file of ours that appears in the server's tree.
 */
public record FileMove(Root fromRoot, String from, Root toRoot, String to, boolean created) {
    /** Which directory a journaled path is relative to. */
    public enum Root { DATA, STATE }
}
