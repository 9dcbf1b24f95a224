package io.kompactor.cli;

import io.kompactor.config.Configuration;
import io.kompactor.config.Setting;
import io.kompactor.config.Settings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The settings of a one-shot command: the registry's defaults, then a properties file ({@code --config}), then the
 * flags the user gave (flags that stand for a setting, {@code --policy} entries), checked by {@link Configuration}.
 */
final class CommandSettings {
    private CommandSettings() {
    }

    static Configuration of(CommandSpec spec, Path config, List<String> policies) {
        Map<String, String> file = new LinkedHashMap<>();
        if (config != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(config)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("--config: " + io.kompactor.fs.FileOps.describe(e));
            }
            p.stringPropertyNames().forEach(k -> file.put(k, p.getProperty(k)));
        }
        Map<String, String> flags = new LinkedHashMap<>();
        Map<String, String> givenAs = new LinkedHashMap<>(); // key -> what the user typed, to name it in errors
        for (OptionSpec o : spec.options()) {
            Setting s = Settings.byFlag(o.longestName()).orElse(null);
            if (s != null && spec.commandLine().getParseResult().hasMatchedOption(o)) {
                Object v = o.getValue();
                flags.put(s.key(), v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                        : String.valueOf(v));
                givenAs.put(s.key(), o.longestName());
            }
        }
        int n = 0;
        for (String p : policies == null ? List.<String>of() : policies) {
            int colon = p.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--policy: '" + p + "' is not <tables>:<key>=<value>,...");
            }
            String name = "cli-" + (++n);
            flags.put(Settings.POLICY_PREFIX + name + ".tables", p.substring(0, colon));
            for (String kv : p.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--policy: '" + kv + "' is not <key>=<value>");
                }
                String key = Settings.POLICY_PREFIX + name + "." + kv.substring(0, eq).trim();
                flags.put(key, kv.substring(eq + 1).trim());
                givenAs.put(key, "--policy '" + p + "': " + kv.substring(0, eq).trim());
            }
        }
        try {
            return Configuration.of(file, flags);
        } catch (IllegalArgumentException e) {
            // name what the user typed (--window), not the setting behind it (kompactor.window-hours)
            String m = String.valueOf(e.getMessage());
            for (Map.Entry<String, String> g : givenAs.entrySet()) {
                if (m.startsWith(g.getKey() + ": ")) {
                    throw new IllegalArgumentException(g.getValue() + m.substring(g.getKey().length()), e);
                }
            }
            throw config == null ? e : new IllegalArgumentException(config + ": " + m, e);
        }
    }
}
