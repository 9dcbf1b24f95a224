package io.kompactor;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every document the code cites is in this repository: a comment cites {@code docs/<page>.md}, optionally with a
 * heading of that page in quotes ({@code (docs/format.md, "Checkpoints")}), and both must exist. References to
 * material outside the repository (a "format doc §3.9", "duckdb-notes 5.7", "design.md", "issue 4") are refused:
 * a reader of the repository cannot follow them.
 */
class DocsCitationsTest {

    private static final Pattern CITE = Pattern.compile("docs/([A-Za-z0-9_-]+\\.md)((?:\\s*,\\s*\"[^\"]+\")*)");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
    private static final Pattern OUTSIDE = Pattern.compile(
            "§\\s*\\d|format doc|duckdb-notes|camel-notes|(?<!docs/)design\\.md|\\bnotes? \\d|\\bissue \\d|shared/docs");

    private static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void everyCitedDocumentAndHeadingExists() throws IOException {
        Map<String, Set<String>> headings = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int found = 0;
        for (Path f : sources()) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                // a citation may run onto the next comment line
                String text = lines.get(i) + (i + 1 < lines.size() ? " " + stripComment(lines.get(i + 1)) : "");
                Matcher m = CITE.matcher(lines.get(i));
                while (m.find()) {
                    found++;
                    String page = m.group(1);
                    Set<String> h = headings.computeIfAbsent(page, DocsCitationsTest::headingsOf);
                    if (h == null) {
                        broken.add(where(f, i) + ": docs/" + page + " does not exist");
                        continue;
                    }
                    Matcher full = CITE.matcher(text);
                    String quoted = full.find(m.start()) ? full.group(2) : m.group(2);
                    Matcher q = QUOTED.matcher(quoted);
                    while (q.find()) {
                        if (!h.contains(q.group(1))) {
                            broken.add(where(f, i) + ": docs/" + page + " has no heading \"" + q.group(1) + "\"");
                        }
                    }
                }
            }
        }
        assertTrue(found > 20, "found the code's citations (" + found + ")");
        assertEquals("", String.join("\n", broken));
    }

    @Test
    void nothingCitesMaterialOutsideTheRepository() throws IOException {
        List<String> outside = new ArrayList<>();
        for (Path f : sources()) {
            if (f.endsWith("DocsCitationsTest.java")) {
                continue;
            }
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = OUTSIDE.matcher(lines.get(i));
                if (m.find()) {
                    outside.add(where(f, i) + ": " + lines.get(i).trim());
                }
            }
        }
        assertEquals("", String.join("\n", outside));
    }

    private static List<Path> sources() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("src/main", "src/test", "routes", "config")) {
            Path d = ROOT.resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(d)) {
                s.filter(Files::isRegularFile)
                        .filter(p -> p.toString().matches(".*\\.(java|yaml|yml|properties)$"))
                        .forEach(out::add);
            }
        }
        assertTrue(out.size() > 50, "found the sources under " + ROOT);
        return out;
    }

    /** The page's headings, without the #s; null if there is no such page. */
    private static Set<String> headingsOf(String page) {
        Path p = ROOT.resolve("docs").resolve(page);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try (Stream<String> lines = Files.lines(p)) {
            return lines.filter(l -> l.startsWith("#")).map(l -> l.replaceFirst("^#+\\s*", "").trim())
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new IllegalStateException(p + ": " + e.getMessage(), e);
        }
    }

    private static String stripComment(String line) {
        return line.replaceFirst("^\\s*(\\*|//|#)\\s?", "");
    }

    private static String where(Path f, int line) {
        return ROOT.relativize(f) + ":" + (line + 1);
    }
}
