package io.kompactor;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package list should read like the architecture (docs/architecture.md): each package depends on packages below
 * it, never back. Read from the compiled classes, so every kind of reference counts (imports, fully qualified names,
 * signatures, annotations), not only import lines.
 */
class PackageDependenciesTest {

    private static final Pattern REF = Pattern.compile("io/kompactor/((?:[a-z0-9_]+/)*[a-z0-9_]+)/[A-Za-z0-9_$]+");

    @Test
    void noCycleBetweenPackages() throws IOException {
        Map<String, Set<String>> deps = dependencies(mainClasses());
        assertTrue(deps.size() > 10, "found the compiled packages: " + deps.keySet());
        List<List<String>> cycles = cycles(deps);
        assertEquals(List.of(), cycles, "import cycles between packages (each list is one strongly connected set)");
    }

    /** The server stand-in is an independent model of the server: it may write parquet, and see nothing else. */
    @Test
    void simulatorSeesOnlyParquet() throws IOException {
        Set<String> uses = dependencies(mainClasses()).get("simulator");
        assertEquals(Set.of("parquet"), uses);
    }

    @Test
    void detectsACycle() {
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("a", Set.of("b"));
        g.put("b", Set.of("c"));
        g.put("c", Set.of("a"));
        g.put("d", Set.of("a"));
        assertEquals(List.of(List.of("a", "b", "c")), cycles(g));
        g.put("c", Set.of());
        assertEquals(List.of(), cycles(g));
    }

    private static Path mainClasses() {
        try {
            Path p = Path.of(io.kompactor.cli.KompactorCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertTrue(Files.isDirectory(p), "main classes compiled to a directory: " + p);
            return p;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** package (below io.kompactor, dotted) → the other io.kompactor packages its classes reference. */
    static Map<String, Set<String>> dependencies(Path classes) throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        Path root = classes.resolve("io/kompactor");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                Path rel = root.relativize(f.getParent() == null ? root : f.getParent());
                if (rel.toString().isEmpty()) {
                    continue; // classes directly in io.kompactor
                }
                String from = rel.toString().replace('/', '.');
                Set<String> to = deps.computeIfAbsent(from, k -> new TreeSet<>());
                try (InputStream in = Files.newInputStream(f)) {
                    for (String s : utf8Constants(in)) {
                        Matcher m = REF.matcher(s);
                        while (m.find()) {
                            String pkg = m.group(1).replace('/', '.');
                            if (!pkg.equals(from)) {
                                to.add(pkg);
                            }
                        }
                    }
                }
            }
        }
        return deps;
    }

    /** The UTF-8 entries of a class file's constant pool: class names, descriptors and signatures live there. */
    private static List<String> utf8Constants(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        List<String> out = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> out.add(in.readUTF());
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++; // eight-byte constants take two slots
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return out;
    }

    /** Strongly connected sets of more than one package (Tarjan), each sorted, in order of their first package. */
    static List<List<String>> cycles(Map<String, Set<String>> g) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] next = {0};
        for (String v : g.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, g, index, low, stack, onStack, out, next);
            }
        }
        out.sort((a, b) -> a.get(0).compareTo(b.get(0)));
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> g, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<List<String>> out, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : g.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, g, index, low, stack, onStack, out, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> scc = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                scc.add(w);
            } while (!w.equals(v));
            if (scc.size() > 1) {
                scc.sort(null);
                out.add(scc);
            }
        }
    }
}
