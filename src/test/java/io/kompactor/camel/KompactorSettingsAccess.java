package io.kompactor.camel;

import java.util.List;
import java.util.Map;

/** Test access to the settings' package-private checks. */
public final class KompactorSettingsAccess {
    private KompactorSettingsAccess() {
    }

    public static List<String> unknownEnvironment(Map<String, String> env) {
        return KompactorSettings.warnUnknownEnvironment(env);
    }
}
