package io.kompactor.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command line of a JVM of the benchmark's own (a phase, the daemon): the same java, JVM options and class path as
 * this one, so that its CPU seconds and peak RSS are its own and measured with the settings a user gets. Debugger and
 * agent options are left out (a child would fight over the port); class path entries are made absolute, since a child
 * may run in another working directory and {@code java -jar target/kompactor.jar} gives a relative one.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    static List<String> command(Class<?> main, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Xrunjdwp")
                    && !a.startsWith("-Xdebug")) {
                cmd.add(a);
            }
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator)));
        cmd.add(main.getName());
        return cmd;
    }
}
