package io.kompactor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/kompactor finds the jar next to it, in ../lib or in ../target (also through a symlink), passes JAVA_OPTS and
 * every argument on to java -jar, and says what is missing when it cannot. A stand-in java prints what it was given.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    private Path javaHome;

    private record Result(int exitCode, String out, String err) {
    }

    private Path install(String layout) throws IOException {
        Path root = Files.createDirectories(tmp.resolve(layout));
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("bin", "kompactor"), bin.resolve("kompactor"));
        Path jarDir = switch (layout) {
            case "install" -> bin;
            case "lib" -> Files.createDirectories(root.resolve("lib"));
            default -> Files.createDirectories(root.resolve("target"));
        };
        Files.writeString(jarDir.resolve("kompactor.jar"), "not really a jar");
        return bin.resolve("kompactor");
    }

    private Result run(Path script, Map<String, String> env, String... args) throws Exception {
        if (javaHome == null) {
            javaHome = Files.createDirectories(tmp.resolve("jdk/bin")).getParent();
            Path java = javaHome.resolve("bin/java");
            Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("KOMPACTOR_JAR");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out, err);
    }

    @Test
    void findsTheJarPassesJavaOptsAndEveryArgument() throws Exception {
        for (String layout : List.of("install", "lib", "repo")) {
            Path script = install(layout);
            Result r = run(script, Map.of("JAVA_OPTS", "-Xmx1g -Dkompactor.debug=true"), "compact", "/data dir",
                    "--dry-run");
            assertEquals(0, r.exitCode(), r::toString);
            Path jar = switch (layout) {
                case "install" -> script.resolveSibling("kompactor.jar");
                case "lib" -> tmp.resolve("lib/lib/kompactor.jar");
                default -> tmp.resolve("repo/target/kompactor.jar");
            };
            List<String> args = r.out().lines().map(a -> a.endsWith(".jar") ? Path.of(a).normalize().toString() : a)
                    .toList();
            assertEquals(List.of("-Xmx1g", "-Dkompactor.debug=true", "-jar", jar.toString(), "compact", "/data dir",
                    "--dry-run"), args, layout);
        }
    }

    @Test
    void worksThroughASymlinkAndSaysWhatIsMissing() throws Exception {
        Path script = install("install");
        Path link = Files.createSymbolicLink(tmp.resolve("kompactor"), script);
        Result viaLink = run(link, Map.of(), "version");
        assertEquals(0, viaLink.exitCode(), viaLink::toString);
        assertEquals(List.of("-jar", script.resolveSibling("kompactor.jar").toString(), "version"),
                viaLink.out().lines().toList());

        Files.delete(script.resolveSibling("kompactor.jar"));
        Result noJar = run(script, Map.of(), "version");
        assertEquals(2, noJar.exitCode(), noJar::toString);
        assertTrue(noJar.err().contains("no kompactor.jar next to") && noJar.err().contains("mvn -B -q package"),
                noJar::toString);
        Result badJar = run(script, Map.of("KOMPACTOR_JAR", tmp.resolve("nope.jar").toString()), "version");
        assertEquals(2, badJar.exitCode(), badJar::toString);
        assertTrue(badJar.err().contains("KOMPACTOR_JAR=" + tmp.resolve("nope.jar") + ": no such file"), badJar::toString);
    }
}
