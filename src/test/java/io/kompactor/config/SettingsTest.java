package io.kompactor.config;

import io.kompactor.cli.KompactorCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One definition of every setting: config/application.properties documents exactly the registry's keys with its
 * defaults and words, every flag that stands for a setting has the registry's default, and typos are caught.
 */
class SettingsTest {

    @Test
    void thePropertiesFileDocumentsExactlyTheRegistry() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("config", "application.properties"));
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("kompactor.")) {
                String key = l.substring(0, l.indexOf('=')).trim();
                String value = l.substring(l.indexOf('=') + 1).trim();
                keys.put(key, value);
                Setting s = Settings.find(key).orElseThrow(() -> new AssertionError("not in the registry: " + key));
                assertEquals(s.defaultValue(), value, "default of " + key);
                assertEquals("# " + s.doc(), lines.get(i - 1), "the comment above " + key + " is its documentation");
            }
        }
        List<String> registry = new ArrayList<>();
        Settings.all().forEach(s -> registry.add(s.key()));
        assertEquals(new java.util.TreeSet<>(registry), new java.util.TreeSet<>(keys.keySet()),
                "every setting and nothing else");
    }

    @Test
    void flagsStandingForASettingHaveItsDefault() {
        CommandLine cli = new CommandLine(new KompactorCli());
        int checked = 0;
        for (CommandLine sub : all(cli)) {
            for (CommandLine.Model.OptionSpec o : sub.getCommandSpec().options()) {
                var s = Settings.byFlag(o.longestName());
                if (s.isEmpty()) {
                    continue;
                }
                String expected = s.get().defaultValue().isEmpty() ? null : s.get().defaultValue();
                String actual = sub.getCommandSpec().defaultValueProvider() == null ? o.defaultValue()
                        : defaultOf(sub, o);
                assertEquals(expected, actual, sub.getCommandName() + " " + o.longestName() + " stands for " + s.get().key());
                checked++;
            }
        }
        assertTrue(checked >= 10, "flags checked: " + checked);
    }

    @Test
    void unknownKeysAreRefusedNamingTheClosest() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> Configuration.of(Map.of("kompactor.window-hour", "6")));
        assertTrue(typo.getMessage().contains("did you mean kompactor.window-hours?"), typo.getMessage());
        IllegalArgumentException policy = assertThrows(IllegalArgumentException.class,
                () -> Configuration.of(Map.of("kompactor.policy.fast.tables", "db0/*", "kompactor.policy.fast.setle", "5m")));
        assertTrue(policy.getMessage().contains("kompactor.policy.fast.settle"), policy.getMessage());
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> Configuration.of(Map.of("kompactor.settle", "soon")));
        assertTrue(value.getMessage().startsWith("kompactor.settle: not a duration"), value.getMessage());
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> Configuration.of(Map.of("kompactor.window-hours", "5")));
        assertTrue(window.getMessage().contains("divide 24"), window.getMessage());
        assertNull(Settings.unknown("kompactor.policy.x.late.max-wait"));
        assertEquals(List.of("KOMPACTOR_DEBOUNCE_MSS"), io.kompactor.camel.KompactorSettingsAccess.unknownEnvironment(
                Map.of("KOMPACTOR_DEBOUNCE_MS", "1", "KOMPACTOR_DEBOUNCE_MSS", "2", "PATH", "/bin")));
    }

    private static String defaultOf(CommandLine sub, CommandLine.Model.OptionSpec o) {
        try {
            return sub.getCommandSpec().defaultValueProvider().defaultValue(o);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<CommandLine> all(CommandLine root) {
        List<CommandLine> out = new ArrayList<>(List.of(root));
        root.getSubcommands().values().forEach(c -> out.addAll(all(c)));
        return out;
    }
}
