package io.kompactor.merge;

import io.kompactor.parquet.ParquetColumn;
import io.kompactor.parquet.ParquetFacts;
import io.kompactor.parquet.ParquetInspector;
import io.kompactor.snapshot.ParquetFileEntry;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates the files of one table against their snapshot entries and against each other, collecting every
 * problem so that one error tells the operator everything that is wrong. DuckDB would otherwise widen
 * conflicting types and fold names that differ only in case without a word
 * (docs/architecture.md, "DuckDB facts the merge relies on").
 */
final class InputChecks {

    static final Set<String> FIELD_TYPES = Set.of("VARCHAR", "DOUBLE", "BIGINT", "UBIGINT", "BOOLEAN");
    static final String TIME = "time";
    static final String TIME_TYPE = "TIMESTAMP_NS";
    /** DuckDB's virtual column we use as the write-order key; a real column of that name would shadow it. */
    static final String FILE_INDEX = "file_index";

    private InputChecks() {
    }

    /**
     * @param cache inspections made earlier, used where the file is unchanged; fresh ones are added to it
     * @return the footer facts of each file, in the given order, if nothing is wrong
     */
    static List<ParquetFacts> check(Connection c, ParquetInspector inspector, InspectionCache cache, Path dataDir,
                                    List<ParquetFileEntry> entries) {
        List<String> problems = new ArrayList<>();
        List<ParquetFacts> facts = new ArrayList<>();
        List<ParquetInspector.Inspection> inspections =
                inspect(c, inspector, cache, entries.stream().map(e -> dataDir.resolve(e.path())).toList());
        for (int i = 0; i < entries.size(); i++) {
            ParquetInspector.Inspection in = inspections.get(i);
            if (in.problem() != null) {
                problems.add(in.problem().getMessage());
                continue;
            }
            facts.add(in.facts());
            checkFile(entries.get(i), in, problems);
        }
        checkAcrossFiles(facts, problems);
        if (!problems.isEmpty()) {
            throw new MergeException("problems with the input files (" + problems.size() + "):\n  "
                    + String.join("\n  ", problems));
        }
        return facts;
    }

    /** Cached inspections where the file is unchanged, one batch of footer queries for the others. */
    private static List<ParquetInspector.Inspection> inspect(Connection c, ParquetInspector inspector,
                                                             InspectionCache cache, List<Path> files) {
        List<ParquetInspector.Inspection> out = new ArrayList<>(files.size());
        List<Path> missing = new ArrayList<>();
        List<InspectionCache.Stamp> stamps = new ArrayList<>();
        for (Path f : files) {
            ParquetInspector.Inspection known = cache.get(f);
            out.add(known);
            if (known == null) {
                missing.add(f);
                stamps.add(InspectionCache.Stamp.of(f));
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        List<ParquetInspector.Inspection> fresh = inspector.inspectAll(c, missing);
        for (int i = 0, j = 0; i < out.size(); i++) {
            if (out.get(i) == null) {
                cache.put(fresh.get(j), stamps.get(j));
                out.set(i, fresh.get(j++));
            }
        }
        return out;
    }

    private static void checkFile(ParquetFileEntry e, ParquetInspector.Inspection in, List<String> problems) {
        ParquetFacts f = in.facts();
        Path file = f.file();
        if (f.sizeBytes() != e.sizeBytes()) {
            problems.add(file + ": size is " + f.sizeBytes() + " bytes but the snapshot says " + e.sizeBytes());
        }
        if (f.rowCount() != e.rowCount()) {
            problems.add(file + ": footer has " + f.rowCount() + " rows but the snapshot says " + e.rowCount());
        }
        boolean hasTime = false;
        Map<String, String> lowerNames = new LinkedHashMap<>();
        for (ParquetColumn col : f.columns()) {
            String name = col.name();
            if (name.equals(TIME)) {
                hasTime = true;
                if (!col.duckdbType().equals(TIME_TYPE)) {
                    problems.add(file + ": column time has type " + col.duckdbType() + ", expected " + TIME_TYPE
                            + " (Timestamp(ns) without time zone)");
                }
            } else if (!FIELD_TYPES.contains(col.duckdbType())) {
                problems.add(file + ": column " + name + " has unsupported type " + col.duckdbType());
            }
            if (name.equalsIgnoreCase(FILE_INDEX)) {
                problems.add(file + ": column " + name + " collides with DuckDB's file_index virtual column");
            }
            String other = lowerNames.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (other != null) {
                problems.add(file + ": columns " + other + " and " + name + " differ only in case");
            }
        }
        if (!hasTime) {
            problems.add(file + ": no time column");
        } else {
            ParquetInspector.TimeColumnFacts t = in.time();
            if (t != null && t.nullCount() > 0) {
                problems.add(file + ": column time has NULL values (" + t.nullCount() + ")");
            }
        }
    }

    private static void checkAcrossFiles(List<ParquetFacts> facts, List<String> problems) {
        record Seen(String name, String type, Path file) {
        }
        Map<String, Seen> byName = new LinkedHashMap<>();
        Map<String, Seen> byLowerName = new LinkedHashMap<>();
        Set<String> reported = new java.util.HashSet<>();
        for (ParquetFacts f : facts) {
            for (ParquetColumn col : f.columns()) {
                Seen first = byName.putIfAbsent(col.name(), new Seen(col.name(), col.duckdbType(), f.file()));
                if (first != null && !first.type().equals(col.duckdbType()) && reported.add("type:" + col.name())) {
                    problems.add("column " + col.name() + " has conflicting types: " + first.type() + " in "
                            + first.file() + " but " + col.duckdbType() + " in " + f.file());
                }
                String lower = col.name().toLowerCase(Locale.ROOT);
                Seen firstLower = byLowerName.putIfAbsent(lower, new Seen(col.name(), col.duckdbType(), f.file()));
                if (firstLower != null && !firstLower.name().equals(col.name())
                        && !firstLower.file().equals(f.file()) && reported.add("case:" + lower)) {
                    problems.add("columns " + firstLower.name() + " (in " + firstLower.file() + ") and "
                            + col.name() + " (in " + f.file() + ") differ only in case");
                }
            }
        }
    }
}
