package io.kompactor.plan;

import io.kompactor.snapshot.TableKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which tables are compacted, and with which settings: patterns on names or ids, the most specific policy wins. */
class TablePoliciesTest {
    private static final TablePolicy DEFAULTS = new TablePolicy("default", true, 24, 2, Duration.ofHours(1), 1L << 30,
            new TablePolicy.LatePolicy(0.2, 1, Duration.ofHours(12)));
    private static final Map<TableKey, String> NAMES = Map.of(new TableKey(0, 0), "db0/cpu", new TableKey(0, 1),
            "db0/sensors", new TableKey(3, 7), "telemetry/engine");

    private static TablePolicy of(TablePolicies p, long db, long table) {
        TableKey k = new TableKey(db, table);
        return p.forTable(k, t -> Optional.ofNullable(NAMES.get(t)));
    }

    private static TablePolicies.Override window(int hours) {
        return new TablePolicies.Override(hours, null, null, null, null, null, null);
    }

    @Test
    void includeAndExcludeMatchNamesOrIds() {
        TablePolicies p = new TablePolicies(DEFAULTS, List.of("db0", "3/*"), List.of("db0/sens*"), List.of());
        assertTrue(of(p, 0, 0).included());
        assertFalse(of(p, 0, 1).included(), "excluded by name pattern");
        assertTrue(of(p, 3, 7).included(), "included by id pattern");
        assertFalse(of(p, 5, 1).included(), "not in the include list");
        assertEquals("not in kompactor.tables.include", of(p, 5, 1).name());
    }

    @Test
    void theMostSpecificPolicyWinsAndUnsetKeysStayDefaults() {
        TablePolicies p = new TablePolicies(DEFAULTS, List.of(), List.of(), List.of(
                new TablePolicies.Rule("a-database", List.of("db0"), window(6)),
                new TablePolicies.Rule("b-wildcard", List.of("db0/c*"), window(12)),
                new TablePolicies.Rule("c-exact", List.of("db0/cpu"), new TablePolicies.Override(null, 5, null, null,
                        null, null, null)),
                new TablePolicies.Rule("d-ids", List.of("3/7"), window(1))));
        TablePolicy cpu = of(p, 0, 0);
        assertEquals("c-exact", cpu.name());
        assertEquals(5, cpu.minInputs());
        assertEquals(24, cpu.windowHours(), "a key the winning policy does not set keeps the default");
        assertEquals("a-database", of(p, 0, 1).name());
        assertEquals(6, of(p, 0, 1).windowHours());
        assertEquals("d-ids", of(p, 3, 7).name());
        assertEquals(1, of(p, 3, 7).windowHours());
        assertEquals("default", of(p, 9, 9).name());
    }

    @Test
    void badSettingsAreRefusedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TablePolicies(DEFAULTS,
                List.of(), List.of(), List.of(new TablePolicies.Rule("odd", List.of("db0"), window(5)))));
        assertTrue(e.getMessage().contains("odd") && e.getMessage().contains("divide 24"), e.getMessage());
    }
}
