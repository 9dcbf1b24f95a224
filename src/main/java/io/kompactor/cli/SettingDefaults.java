package io.kompactor.cli;

import io.kompactor.config.Settings;
import picocli.CommandLine;

/**
 * Defaults of command-line flags that stand for a setting come from the settings registry (config.Settings): one
 * definition for the properties file, the daemon and the flags; {@code ${DEFAULT-VALUE}} in help shows it.
 */
public final class SettingDefaults implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (arg instanceof CommandLine.Model.OptionSpec o) {
            for (String name : o.names()) {
                String d = Settings.byFlag(name).map(io.kompactor.config.Setting::defaultValue).orElse(null);
                if (d != null && !d.isEmpty()) {
                    return d;
                }
            }
        }
        return null;
    }
}
