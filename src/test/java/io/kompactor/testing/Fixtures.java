package io.kompactor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared read-only fixtures ({@code ../shared/fixtures} seen from the Maven build's working directory, or
 * the directory named by the system property {@code kompactor.shared}). Tests never touch them in place: they copy.
 */
public final class Fixtures {
    public static final String SHARED_PROPERTY = "kompactor.shared";

    private Fixtures() {
    }

    /** The shared dir: {@code ../shared} when it holds fixtures, else {@code -Dkompactor.shared}. */
    public static Path sharedDir() {
        Path relative = Paths.get("..", "shared");
        if (Files.isDirectory(relative.resolve("fixtures"))) {
            return relative.toAbsolutePath().normalize();
        }
        String prop = System.getProperty(SHARED_PROPERTY);
        if (prop != null && Files.isDirectory(Paths.get(prop, "fixtures"))) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        throw new IllegalStateException("shared fixtures not found: neither " + relative.toAbsolutePath().normalize()
                + "/fixtures nor -D" + SHARED_PROPERTY + "=" + prop + " exists");
    }

    /** Source data dir of a fixture, e.g. {@code core-3.9}; read-only. */
    public static Path dataDir(String name) {
        Path p = sharedDir().resolve("fixtures").resolve("datadirs").resolve(name);
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("no fixture data dir " + p);
        }
        return p;
    }

    /** Verbatim snapshot JSON samples of every format era. */
    public static Path snapshotSamples() {
        return sharedDir().resolve("fixtures").resolve("influxdb3").resolve("snapshot-samples");
    }

    /** Copies fixture {@code name} into {@code target} (created), keeping file times; returns target as the data dir. */
    public static Path copy(String name, Path target) {
        return copyTree(dataDir(name), target);
    }

    /** A copy of any directory tree, file times kept: for tests that snapshot a state and start from it many times. */
    public static Path copyTree(Path source, Path target) {
        try (Stream<Path> walk = Files.walk(source)) {
            List<Path> all = walk.toList();
            for (Path p : all) {
                Path dst = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
        }
        return target;
    }
}
