package io.kompactor.cli;

import io.kompactor.camel.KompactorApp;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Continuous mode beside a live InfluxDB 3 Core: watch snapshots, compact settled windows, keep "
                + "originals until `gc` (or the server, via kompactor.influxdb.url) says no reader needs them.",
                "Reads config/application.properties and routes/*.yaml from the working directory; environment "
                        + "variables override single settings (KOMPACTOR_DATA_DIR, KOMPACTOR_HOSTS, KOMPACTOR_DEBOUNCE_MS, ...). "
                        + "Stops gracefully on SIGTERM."})
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<data-dir>",
            description = "InfluxDB 3 data dir. Default: kompactor.data-dir / KOMPACTOR_DATA_DIR")
    Path dataDir;

    @Option(names = "--hosts", split = ",", paramLabel = "a,b", description = "Node ids to compact. Default: kompactor.hosts, else every node dir")
    List<String> hosts;

    @Option(names = "--state-dir", paramLabel = "<dir>", description = "Default: kompactor.state-dir, else <data-dir>/.kompactor")
    Path stateDir;

    @Option(names = "--config", paramLabel = "<file>", description = "Properties file. Default: config/application.properties")
    Path config;

    @Option(names = "--routes", paramLabel = "<dir|pattern>", description = "Route files: a directory of *.yaml, a file, or a Camel pattern. Default: routes/*.yaml")
    String routes;

    @Option(names = {"-D", "--set"}, paramLabel = "key=value", description = "Override one setting, e.g. -D kompactor.debounce-ms=5000")
    Map<String, String> settings;

    @Option(names = "--demo", description = "Write a demo data dir (as `demo` does, into <data-dir> or a new temp dir) and run on it.")
    boolean demo;

    @Override
    public Integer call() throws Exception {
        if (demo) {
            dataDir = dataDir != null ? dataDir.toAbsolutePath() : java.nio.file.Files.createTempDirectory("kompactor-demo-");
            java.nio.file.Files.createDirectories(dataDir);
        }
        KompactorApp app = new KompactorApp().config(config).routes(routes);
        if (dataDir != null) {
            app.override("kompactor.data-dir", dataDir.toAbsolutePath().normalize().toString());
        }
        if (hosts != null) {
            app.override("kompactor.hosts", String.join(",", hosts));
        }
        if (stateDir != null) {
            app.override("kompactor.state-dir", stateDir.toAbsolutePath().normalize().toString());
        }
        if (settings != null) {
            settings.forEach(app::override);
        }
        try {
            app.preflight(System.getenv()); // port, routes, config and settings: usable, or exit 2 before anything starts
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (demo) {
            writeDemo(dataDir);
        }
        if (System.getProperty("kompactor.log.level") == null) {
            System.setProperty("kompactor.log.level", "info");
            Configurator.setRootLevel(Level.INFO);
        }
        Main main = app.build();
        if (demo) {
            System.err.println("demo data dir: " + dataDir + " (Ctrl-C to stop)");
        }
        stopCleanlyOn(main, "TERM");
        stopCleanlyOn(main, "INT");
        main.run();
        return main.getExitCode();
    }

    /**
     * SIGTERM (systemd, Docker) and Ctrl-C stop the daemon gracefully and it exits 0: a commit in progress finishes, one
     * that cannot is undone by recovery at the next start. Without this the JVM's own handler exits 143.
     */
    private static void stopCleanlyOn(Main main, String signal) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> {
                System.err.println("kompactor run: SIG" + signal + ": stopping; a commit in progress finishes, an "
                        + "unfinished one is undone at the next start");
                main.completed();
            });
        } catch (IllegalArgumentException e) {
            // a platform without this signal: the JVM's default handling stays
        }
    }

    private static void writeDemo(Path d) {
        long start = java.time.Instant.now().minus(java.time.Duration.ofDays(2))
                .truncatedTo(java.time.temporal.ChronoUnit.DAYS).toEpochMilli() * 1_000_000L;
        io.kompactor.demo.DemoDataDir.write(d, io.kompactor.demo.DemoSpec.defaults("node0", start));
    }
}
