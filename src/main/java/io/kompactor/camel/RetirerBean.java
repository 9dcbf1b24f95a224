package io.kompactor.camel;

import io.kompactor.commit.Retirement;
import io.kompactor.server.InfluxDbServer;
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Bean {@code retirer}, driven by the housekeeping timers. {@link #retireUnlisted()} retires what no reader can need
 * any more, by the retirement rules (docs/operations.md, "Retiring originals"): listed by no metadata file, and the
 * server restarted since its last listing went away ({@code /ping} shows another {@code process_id}) or no longer
 * lists it ({@code system.parquet_files}). Without {@code kompactor.influxdb.url} there is no such evidence and it does
 * nothing: ops run {@code kompactor gc --restarted-at ...}. {@link #purge()} deletes retired files and backups older
 * than {@code kompactor.retired-retention}.
 */
public final class RetirerBean {
    private static final Logger LOG = LoggerFactory.getLogger(RetirerBean.class);
    private final KompactorRuntime runtime;

    public RetirerBean(KompactorRuntime runtime) {
        this.runtime = runtime;
    }

    @Handler
    public List<String> retireUnlisted() {
        InfluxDbServer server = runtime.server();
        if (server == null) {
            return List.of();
        }
        List<String> hosts = serverHosts();
        if (hosts.isEmpty()) {
            LOG.warn("kompactor.influxdb.url is set but several hosts are watched: set kompactor.influxdb.host to the "
                    + "node id that server runs as; nothing retired");
            return List.of();
        }
        Optional<String> pid = server.processId();
        Set<String> listed = server.listedPathsOrNull();
        if (pid.isEmpty() && listed == null) {
            LOG.warn("{} did not answer; nothing retired this time", runtime.settings().influxDbUrl());
            return List.of();
        }
        Retirement.Report r = new Retirement(runtime.transactions())
                .retire(hosts, new Retirement.Evidence(pid, listed, null));
        r.retired().forEach(l -> LOG.info("retire: {}", l));
        r.kept().forEach(l -> LOG.debug("retire: {}", l));
        if (r.files() > 0) {
            runtime.metrics().retired(hosts.get(0), r.files());
        }
        return new ArrayList<>(r.retired());
    }

    @Handler
    public List<String> purge() {
        List<String> done = new Retirement(runtime.transactions()).purge(runtime.settings().retiredRetention());
        done.forEach(l -> LOG.info("purge: {}", l));
        return done;
    }

    private List<String> serverHosts() {
        KompactorSettings s = runtime.settings();
        if (!s.influxDbHost().isEmpty()) {
            return List.of(s.influxDbHost());
        }
        List<String> hosts = runtime.hosts();
        return hosts.size() == 1 ? hosts : List.of();
    }
}
