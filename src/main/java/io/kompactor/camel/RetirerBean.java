package io.kompactor.camel;

import io.kompactor.commit.JournalEntry;
import io.kompactor.commit.TxState;
import io.kompactor.snapshot.ParquetFileEntry;
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Bean {@code retirer}, driven by the housekeeping timers. {@link #retireUnlisted()} retires originals only when
 * {@code kompactor.influxdb.url} is set and the server, asked through its SQL API, no longer lists any of a
 * transaction's inputs but does list its compacted output (or a later one of the same table), i.e. it has reloaded
 * its metadata since the commit. Without the URL it does nothing: ops run {@code kompactor gc} after a restart.
 * {@link #purge()} deletes retired originals and backups older than {@code kompactor.retired-retention}.
 */
public final class RetirerBean {
    private static final Logger LOG = LoggerFactory.getLogger(RetirerBean.class);
    private final KompactorRuntime runtime;
    private final Retirement retirement;

    public RetirerBean(KompactorRuntime runtime) {
        this.runtime = runtime;
        this.retirement = new Retirement(runtime.committer(), runtime.clock());
    }

    @Handler
    public List<String> retireUnlisted() {
        KompactorSettings s = runtime.settings();
        if (s.influxDbUrl() == null) {
            return List.of();
        }
        runtime.ensureStarted();
        String host = serverHost(s);
        if (host == null) {
            LOG.warn("kompactor.influxdb.url is set but several hosts are watched: set kompactor.influxdb.host to the "
                    + "node id that server runs as; nothing retired");
            return List.of();
        }
        if (retirement.kept(List.of(host)).isEmpty()) {
            return List.of();
        }
        Set<String> listed;
        try {
            listed = new InfluxDbFiles(s.influxDbUrl(), s.influxDbToken(), s.influxDbDatabases()).listedPaths();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot ask {} which files it reads ({}); nothing retired", s.influxDbUrl(), e.getMessage());
            return List.of();
        }
        List<JournalEntry> all = runtime.committer().journal().list();
        List<String> done = retirement.retireKept(List.of(host), e -> mayRetire(e, all, listed));
        done.forEach(l -> LOG.info("retire: {}", l));
        return done;
    }

    @Handler
    public List<String> purge() {
        runtime.ensureStarted();
        List<String> done = retirement.purge(runtime.settings().retiredRetention());
        done.forEach(l -> LOG.info("purge: {}", l));
        return done;
    }

    /** No input listed any more, and an output of this or a later transaction of the table is: the server reloaded. */
    static boolean mayRetire(JournalEntry e, List<JournalEntry> all, Set<String> listed) {
        for (ParquetFileEntry in : e.inputs()) {
            if (listed.contains(InfluxDbFiles.normalise(in.path()))) {
                return false;
            }
        }
        Set<String> outputs = new HashSet<>();
        boolean later = false;
        for (JournalEntry x : all) {
            later |= x.tx().equals(e.tx());
            if (later && x.host().equals(e.host()) && x.table().equals(e.table()) && x.state() != TxState.ROLLED_BACK
                    && x.state() != TxState.PREPARED) {
                x.outputs().forEach(o -> outputs.add(InfluxDbFiles.normalise(o.entry().path())));
            }
        }
        return outputs.stream().anyMatch(listed::contains);
    }

    private static String serverHost(KompactorSettings s) {
        if (!s.influxDbHost().isEmpty()) {
            return s.influxDbHost();
        }
        List<String> hosts = s.resolveHosts();
        return hosts.size() == 1 ? hosts.get(0) : null;
    }
}
