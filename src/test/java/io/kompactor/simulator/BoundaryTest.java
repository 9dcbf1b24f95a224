package io.kompactor.simulator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The simulator is a model of the server, not of the product: it uses no Kompactor package but the parquet writer
 * (and the demo's helpers), and in production only the benchmark may use it.
 */
class BoundaryTest {
    private static final Path MAIN = Path.of("src", "main", "java", "io", "kompactor");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.kompactor\\.([a-z]+)\\.", Pattern.MULTILINE);

    @Test
    void theSimulatorImportsOnlyTheParquetAndDemoPackages() throws IOException {
        assertEquals(List.of(), imports(MAIN.resolve("simulator")).stream()
                .filter(i -> !i.endsWith(" parquet") && !i.endsWith(" demo") && !i.endsWith(" simulator")).toList());
    }

    @Test
    void nothingInProductionButTheBenchmarkUsesTheSimulator() throws IOException {
        assertEquals(List.of(), imports(MAIN).stream()
                .filter(i -> i.endsWith(" simulator"))
                .filter(i -> !i.startsWith("simulator/") && !i.startsWith("bench/")).toList());
    }

    /** {@code "<dir>/<File>.java <package>"} for every io.kompactor import under {@code root}. */
    private static List<String> imports(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                String text;
                try {
                    text = Files.readString(p);
                } catch (IOException e) {
                    throw new IllegalStateException(p.toString(), e);
                }
                Matcher m = IMPORT.matcher(text);
                String where = MAIN.relativize(p).toString().replace('\\', '/');
                return m.results().map(r -> where + " " + r.group(1));
            }).toList();
        }
    }
}
