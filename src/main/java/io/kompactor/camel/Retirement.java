package io.kompactor.camel;

import io.kompactor.commit.Committer;
import io.kompactor.commit.JournalEntry;
import io.kompactor.commit.StateDir;
import io.kompactor.commit.TxState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Garbage collection of a live-server data dir (used by {@code kompactor gc} and the daemon's housekeeping routes):
 * retire the originals of KEPT transactions once no reader needs them ({@link Committer#retireOriginals}), and purge
 * {@code retired/<tx>} and {@code backup/<tx>} of finished transactions older than the retention.
 */
public final class Retirement {
    private final Committer committer;
    private final StateDir state;
    private final Clock clock;

    public Retirement(Committer committer, Clock clock) {
        this.committer = committer;
        this.state = committer.stateDir();
        this.clock = clock;
    }

    /** KEPT transactions of these hosts (all hosts when empty). */
    public List<JournalEntry> kept(Collection<String> hosts) {
        return committer.journal().list().stream()
                .filter(e -> e.state() == TxState.KEPT)
                .filter(e -> hosts.isEmpty() || hosts.contains(e.host()))
                .toList();
    }

    /**
     * Retires the originals of every KEPT transaction of {@code hosts} for which {@code mayRetire} holds. Returns one
     * line per transaction; a failure of one transaction is reported and the others go on.
     */
    public List<String> retireKept(Collection<String> hosts, Predicate<JournalEntry> mayRetire) {
        List<String> out = new ArrayList<>();
        for (JournalEntry e : kept(hosts)) {
            if (!mayRetire.test(e)) {
                continue;
            }
            try {
                committer.retireOriginals(e);
                out.add(e.tx() + ": retired " + e.inputs().size() + " original(s) of " + e.host() + " " + e.table()
                        + " under " + state.retired(e.tx()));
            } catch (IOException | RuntimeException ex) {
                out.add(e.tx() + ": could not retire originals: " + ex.getMessage());
            }
        }
        return out;
    }

    /**
     * Deletes {@code retired/<tx>/} and {@code backup/<tx>/} of RETIRED and ROLLED_BACK transactions last changed
     * more than {@code retention} ago. KEPT transactions keep their backups (rollback still works). The journal
     * entries stay: they are small and tell what happened.
     */
    public List<String> purge(Duration retention) {
        Instant cutoff = clock.instant().minus(retention);
        List<String> out = new ArrayList<>();
        for (JournalEntry e : committer.journal().list()) {
            if (e.state() != TxState.RETIRED && e.state() != TxState.ROLLED_BACK) {
                continue;
            }
            if (Instant.parse(e.updated()).isAfter(cutoff)) {
                continue;
            }
            boolean any = false;
            try {
                any |= deleteTree(state.retired(e.tx()));
                any |= deleteTree(state.backup(e.tx()));
            } catch (IOException ex) {
                out.add(e.tx() + ": could not purge: " + ex.getMessage());
                continue;
            }
            if (any) {
                out.add(e.tx() + ": purged retired originals and backups (" + e.state() + " since " + e.updated() + ")");
            }
        }
        return out;
    }

    static boolean deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        return true;
    }
}
