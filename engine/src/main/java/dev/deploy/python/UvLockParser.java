package dev.deploy.python;

import dev.deploy.yaml.FileErrors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deploy.DeployException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a uv.lock (format version 1, any revision; the format is uv's, documented at docs.astral.sh/uv/concepts/
 * projects/layout/#the-lockfile and defined by {@code crates/uv-resolver/src/lock}). Keeps what installing needs:
 * packages, their sources, sdists, wheels, default dependencies, extras, dependency groups, {@code conflicts} and
 * {@code supported-markers}; ignores keys it does not know, so newer revisions still read. Parsing is
 * {@link TomlReader} (bounded input); every error names {@code file:line} and the package and field, the line found
 * by {@link LockLines} only when there is an error.
 */
public final class UvLockParser {

    /** The lock format version this parser understands. */
    public static final int SUPPORTED_VERSION = 1;

    private static final List<String> SOURCE_KINDS =
            List.of("registry", "editable", "virtual", "directory", "git", "url", "path");

    private final String origin;
    private final LockLines lines;

    private UvLockParser(String origin, String text) {
        this.origin = origin;
        this.lines = new LockLines(text);
    }

    /** Reads and parses the lock file at {@code file}. */
    public static UvLock parse(Path file) {
        String text;
        try {
            text = new String(dev.deploy.BoundedFiles.read(file, TomlReader.MAX_CHARS * 4L), StandardCharsets.UTF_8);
        } catch (dev.deploy.BoundedFiles.TooLarge e) {
            throw DeployException.input(file + ": more than " + TomlReader.MAX_CHARS * 4L / (1024 * 1024)
                    + " MiB, more than deploy reads");
        } catch (IOException e) {
            throw DeployException.input(file + ": cannot read: " + FileErrors.describe(e));
        }
        return parse(file.toString(), text);
    }

    /** Parses lock text; {@code origin} names it in messages (usually its path). */
    public static UvLock parse(String origin, String text) {
        UvLockParser parser = new UvLockParser(origin, text);
        return parser.parseDocument(TomlReader.parse(origin, text));
    }

    /** A table of the document and where it is, for messages. */
    private record Table(ObjectNode node, List<Object> path) {

        Table child(ObjectNode child, String key) {
            return new Table(child, append(path, key));
        }
    }

    private static List<Object> append(List<Object> path, Object segment) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(segment);
        return longer;
    }

    private UvLock parseDocument(ObjectNode root) {
        Table top = new Table(root, List.of());
        JsonNode version = root.get("version");
        if (version == null) {
            throw DeployException.input(origin + ":1: field 'version': missing; is this a uv.lock?");
        }
        if (!version.isIntegralNumber() || !version.canConvertToLong() || version.asLong() != SUPPORTED_VERSION) {
            throw fail(top, "version", null, "lock format version " + textOf(version) + " is not supported (deploy "
                    + "reads version " + SUPPORTED_VERSION + "); relock with a uv that writes version "
                    + SUPPORTED_VERSION);
        }
        long revision = optionalLong(top, "revision", null).orElse(0);
        Optional<VersionSpecifiers> requiresPython = optionalString(top, "requires-python", null)
                .map(spec -> specifiers(top, "requires-python", spec));
        List<Marker> resolutionMarkers = markerList(top, "resolution-markers", null);
        List<Marker> supportedMarkers = markerList(top, "supported-markers", null);
        List<List<ConflictItem>> conflicts = conflicts(top);
        List<LockedPackage> packages = new ArrayList<>();
        String packagesKey = !root.has("package") && root.has("distribution") ? "distribution" : "package";
        ArrayNode entries = optionalArray(top, packagesKey, null);
        List<Object> entriesPath = List.of(packagesKey);
        for (int i = 0; entries != null && i < entries.size(); i++) {
            if (!(entries.get(i) instanceof ObjectNode entry)) {
                throw DeployException.input(origin + ":" + elementLine(entriesPath, i)
                        + ": field 'package': expected [[package]] tables");
            }
            packages.add(parsePackage(new Table(entry, append(entriesPath, i))));
        }
        UvLock lock = new UvLock(origin, SUPPORTED_VERSION, (int) Math.min(revision, Integer.MAX_VALUE),
                requiresPython, resolutionMarkers, supportedMarkers, conflicts, packages);
        checkUnique(lock);
        checkEdges(lock);
        return lock;
    }

    private VersionSpecifiers specifiers(Table table, String key, String spec) {
        try {
            return VersionSpecifiers.parse(spec);
        } catch (IllegalArgumentException e) {
            throw fail(table, key, null, e.getMessage());
        }
    }

    /** {@code conflicts = [[{ package = "app", extra = "cpu" }, { package = "app", extra = "cuda" }], ...]}. */
    private List<List<ConflictItem>> conflicts(Table top) {
        ArrayNode sets = optionalArray(top, "conflicts", null);
        List<List<ConflictItem>> conflicts = new ArrayList<>();
        for (int s = 0; sets != null && s < sets.size(); s++) {
            List<Object> setPath = List.of("conflicts", s);
            if (!(sets.get(s) instanceof ArrayNode set)) {
                throw DeployException.input(origin + ":" + elementLine(List.of("conflicts"), s)
                        + ": field 'conflicts': expected arrays of { package, extra | group } tables");
            }
            List<ConflictItem> items = new ArrayList<>();
            for (int i = 0; i < set.size(); i++) {
                if (!(set.get(i) instanceof ObjectNode itemNode)) {
                    throw DeployException.input(origin + ":" + elementLine(setPath, i)
                            + ": field 'conflicts': expected { package, extra | group } tables");
                }
                Table item = new Table(itemNode, append(setPath, i));
                String pkg = requiredString(item, "package", "conflict item");
                Optional<String> extra = optionalString(item, "extra", "conflict item");
                Optional<String> group = optionalString(item, "group", "conflict item");
                if (extra.isPresent() && group.isPresent()) {
                    throw fail(item, "group", "conflict item", "an item names an extra or a group, not both");
                }
                items.add(extra.map(e -> ConflictItem.extra(pkg, e))
                        .or(() -> group.map(g -> ConflictItem.group(pkg, g)))
                        .orElseGet(() -> ConflictItem.project(pkg)));
            }
            conflicts.add(items);
        }
        return conflicts;
    }

    private LockedPackage parsePackage(Table entry) {
        JsonNode nameNode = entry.node().get("name");
        if (nameNode == null || !nameNode.isTextual()) {
            List<Object> path = entry.path();
            String entryAt = "package at line " + elementLine(path.subList(0, path.size() - 1),
                    (Integer) path.get(path.size() - 1));
            throw fail(entry, "name", entryAt, nameNode == null ? "missing" : "expected a string");
        }
        String name = nameNode.textValue();
        String where = "package '" + name + "'";
        LockLine at = new LockLine(lines, entry.path(), "name");
        Optional<String> version = optionalString(entry, "version", where);
        Table sourceTable = optionalTable(entry, "source", where);
        if (sourceTable == null) {
            throw DeployException.input(origin + ":" + at.line() + ": " + where + ": field 'source': missing");
        }
        PackageSource source = parseSource(sourceTable, where, "source");
        List<Marker> resolutionMarkers = markerList(entry, "resolution-markers", where);
        List<LockDependency> dependencies = dependencyList(entry, "dependencies", where);
        Map<String, List<LockDependency>> extras = dependencyTable(entry, "optional-dependencies", where, "extra");
        Map<String, List<LockDependency>> groups = dependencyTable(entry,
                entry.node().has("dev-dependencies") ? "dev-dependencies" : "dependency-groups", where, "group");
        Set<String> declaredExtras = new TreeSet<>();
        Set<String> declaredGroups = new TreeSet<>();
        Table metadata = optionalTable(entry, "metadata", where);
        if (metadata != null) {
            declaredExtras.addAll(stringList(metadata, "provides-extras", where + " metadata").stream()
                    .map(PackageNames::normalize).toList());
            Table requiresDev = optionalTable(metadata,
                    metadata.node().has("requires-dev") ? "requires-dev" : "dependency-groups", where + " metadata");
            if (requiresDev != null) {
                requiresDev.node().fieldNames().forEachRemaining(g -> declaredGroups.add(PackageNames.normalize(g)));
            }
        }
        Optional<LockedFile> sdist = Optional.ofNullable(optionalTable(entry, "sdist", where))
                .map(table -> parseFile(table, where + " field 'sdist'", source,
                        new LockLine(lines, entry.path(), "sdist")));
        List<LockedWheel> wheels = new ArrayList<>();
        ArrayNode wheelArray = optionalArray(entry, "wheels", where);
        List<Object> wheelsPath = append(entry.path(), "wheels");
        for (int i = 0; wheelArray != null && i < wheelArray.size(); i++) {
            String wheelWhere = where + " field 'wheels'";
            if (!(wheelArray.get(i) instanceof ObjectNode wheelTable)) {
                throw DeployException.input(origin + ":" + elementLine(wheelsPath, i) + ": " + wheelWhere
                        + ": expected inline tables");
            }
            int index = i;
            LockedFile file = parseFile(new Table(wheelTable, append(wheelsPath, i)), wheelWhere, source,
                    new LockLine(lines, wheelsPath, index));
            try {
                wheels.add(new LockedWheel(file, WheelFilename.parse(file.fileName())));
            } catch (IllegalArgumentException e) {
                throw DeployException.input(origin + ":" + elementLine(wheelsPath, i) + ": " + wheelWhere + ": "
                        + e.getMessage());
            }
        }
        return new LockedPackage(PackageNames.normalize(name), version, source, resolutionMarkers, dependencies,
                extras, groups, declaredExtras, declaredGroups, sdist, wheels, at);
    }

    /** {@code [package.optional-dependencies]} or {@code [package.dev-dependencies]}: name to edges. */
    private Map<String, List<LockDependency>> dependencyTable(Table entry, String key, String where, String what) {
        Table table = optionalTable(entry, key, where);
        Map<String, List<LockDependency>> byName = new LinkedHashMap<>();
        if (table != null) {
            for (String name : fieldNames(table.node())) {
                byName.put(PackageNames.normalize(name), dependencyList(table, name, where + " " + what + " '" + name
                        + "'"));
            }
        }
        return byName;
    }

    private static Set<String> fieldNames(ObjectNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private PackageSource parseSource(Table table, String where, String field) {
        List<String> kinds = SOURCE_KINDS.stream().filter(kind -> table.node().has(kind)).toList();
        if (kinds.size() != 1) {
            throw DeployException.input(origin + ":" + lineOf(table, null) + ": " + where + ": field '" + field
                    + "': expected exactly one of " + SOURCE_KINDS + ", found "
                    + (kinds.isEmpty() ? fieldNames(table.node()) : kinds));
        }
        String kind = kinds.get(0);
        String value = requiredString(table, kind, where + " field '" + field + "'");
        return switch (kind) {
            case "registry" -> new PackageSource.Registry(value);
            case "editable" -> new PackageSource.Editable(value);
            case "virtual" -> new PackageSource.Virtual(value);
            case "directory" -> new PackageSource.Directory(value);
            case "git" -> new PackageSource.Git(value);
            case "url" -> new PackageSource.Url(value);
            default -> new PackageSource.Path(value);
        };
    }

    /** An sdist or wheel entry: {@code { url | path | filename, hash, size }}, falling back to the source's URL. */
    private LockedFile parseFile(Table table, String where, PackageSource source, LockLine line) {
        Optional<String> location = optionalString(table, "url", where)
                .or(() -> optionalString(table, "path", where));
        if (location.isEmpty()) {
            Optional<String> fromSource = source instanceof PackageSource.Url url ? Optional.of(url.url())
                    : source instanceof PackageSource.Path path ? Optional.of(path.path()) : Optional.empty();
            location = fromSource.or(() -> optionalString(table, "filename", where));
        }
        if (location.isEmpty()) {
            throw DeployException.input(origin + ":" + line.line() + ": " + where + ": needs 'url', 'path' or "
                    + "'filename'");
        }
        Optional<FileHash> hash = optionalString(table, "hash", where).map(text -> {
            try {
                return FileHash.parse(text);
            } catch (IllegalArgumentException e) {
                throw DeployException.input(origin + ":" + line.line() + ": " + where + " hash: " + e.getMessage());
            }
        });
        OptionalLong size = optionalLong(table, "size", where);
        return new LockedFile(location.get(), hash, size);
    }

    private List<LockDependency> dependencyList(Table owner, String key, String where) {
        ArrayNode array = optionalArray(owner, key, where);
        List<LockDependency> dependencies = new ArrayList<>();
        List<Object> arrayPath = append(owner.path(), key);
        for (int i = 0; array != null && i < array.size(); i++) {
            LockLine at = new LockLine(lines, arrayPath, i);
            if (!(array.get(i) instanceof ObjectNode node)) {
                throw DeployException.input(origin + ":" + at.line() + ": " + field(where, key)
                        + ": expected inline tables like { name = \"...\" }");
            }
            Table table = new Table(node, append(arrayPath, i));
            String name = requiredString(table, "name", field(where, key));
            String edge = where + " dependency '" + name + "'";
            Optional<String> version = optionalString(table, "version", edge);
            Table sourceTable = optionalTable(table, "source", edge);
            Optional<PackageSource> source = Optional.ofNullable(sourceTable)
                    .map(s -> parseSource(s, edge, "source"));
            Set<String> extras = new TreeSet<>();
            ArrayNode extraArray = optionalArray(table, "extra", edge);
            for (int e = 0; extraArray != null && e < extraArray.size(); e++) {
                if (!extraArray.get(e).isTextual()) {
                    throw DeployException.input(origin + ":" + at.line() + ": " + edge + " field 'extra': expected "
                            + "strings");
                }
                extras.add(PackageNames.normalize(extraArray.get(e).textValue()));
            }
            Marker marker = optionalString(table, "marker", edge)
                    .map(text -> parseMarker(text, at, edge + " field 'marker'"))
                    .orElse(Marker.ALWAYS);
            dependencies.add(new LockDependency(PackageNames.normalize(name), version, source, extras, marker, at));
        }
        return dependencies;
    }

    private List<Marker> markerList(Table owner, String key, String where) {
        ArrayNode array = optionalArray(owner, key, where);
        List<Marker> markers = new ArrayList<>();
        List<Object> arrayPath = append(owner.path(), key);
        for (int i = 0; array != null && i < array.size(); i++) {
            LockLine at = new LockLine(lines, arrayPath, i);
            if (!array.get(i).isTextual()) {
                throw DeployException.input(origin + ":" + at.line() + ": " + field(where, key) + ": expected strings");
            }
            markers.add(parseMarker(array.get(i).textValue(), at, field(where, key)));
        }
        return markers;
    }

    private List<String> stringList(Table owner, String key, String where) {
        ArrayNode array = optionalArray(owner, key, where);
        List<String> strings = new ArrayList<>();
        for (int i = 0; array != null && i < array.size(); i++) {
            if (!array.get(i).isTextual()) {
                throw DeployException.input(origin + ":" + elementLine(append(owner.path(), key), i) + ": "
                        + field(where, key) + ": expected strings");
            }
            strings.add(array.get(i).textValue());
        }
        return strings;
    }

    private Marker parseMarker(String text, LockLine at, String where) {
        try {
            return Marker.parse(text);
        } catch (DeployException e) {
            throw DeployException.input(origin + ":" + at.line() + ": " + where + ": " + e.getMessage());
        }
    }

    /** Two entries with the same name, version and source would make edges ambiguous. */
    private void checkUnique(UvLock lock) {
        Set<List<Object>> seen = new HashSet<>();
        for (LockedPackage p : lock.packages()) {
            if (!seen.add(List.of(p.name(), p.version(), p.source()))) {
                throw DeployException.input(origin + ":" + p.line() + ": package '" + p.describe()
                        + "': listed twice with the same source");
            }
        }
    }

    /** Every default, optional and group edge must point at exactly one entry. */
    private void checkEdges(UvLock lock) {
        Map<String, List<LockedPackage>> byName = lock.packages().stream()
                .collect(Collectors.groupingBy(LockedPackage::name));
        for (LockedPackage p : lock.packages()) {
            for (LockDependency edge : p.allEdges()) {
                List<LockedPackage> named = byName.getOrDefault(edge.name(), List.of());
                if (named.size() == 1 && edge.version().isEmpty() && edge.source().isEmpty()) {
                    continue;
                }
                List<LockedPackage> candidates = lock.candidatesFor(edge);
                if (candidates.size() == 1) {
                    continue;
                }
                String target = edge.name() + edge.version().map(v -> " " + v).orElse("");
                String problem = candidates.isEmpty()
                        ? "no [[package]] entry for " + target
                        : "ambiguous, the lock holds " + candidates.stream().map(LockedPackage::describe)
                        .collect(Collectors.joining(", ")) + " and the entry names no single one of them";
                throw DeployException.input(origin + ":" + edge.line() + ": package '" + p.describe()
                        + "' dependency '" + edge.name() + "': " + problem);
            }
        }
    }

    private String requiredString(Table table, String key, String where) {
        return optionalString(table, key, where).orElseThrow(() -> fail(table, key, where, "missing"));
    }

    private Optional<String> optionalString(Table table, String key, String where) {
        JsonNode value = table.node().get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw fail(table, key, where, "expected a string");
        }
        return Optional.of(value.textValue());
    }

    private OptionalLong optionalLong(Table table, String key, String where) {
        JsonNode value = table.node().get(key);
        if (value == null) {
            return OptionalLong.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw fail(table, key, where, "expected an integer");
        }
        return OptionalLong.of(value.longValue());
    }

    private Table optionalTable(Table table, String key, String where) {
        JsonNode value = table.node().get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof ObjectNode object)) {
            throw fail(table, key, where, "expected a table");
        }
        return table.child(object, key);
    }

    private ArrayNode optionalArray(Table table, String key, String where) {
        JsonNode value = table.node().get(key);
        if (value != null && !(value instanceof ArrayNode)) {
            throw fail(table, key, where, "expected an array");
        }
        return (ArrayNode) value;
    }

    private static String field(String where, String key) {
        return (where == null ? "" : where + " ") + "field '" + key + "'";
    }

    private static String textOf(JsonNode value) {
        return value.isTextual() ? value.textValue() : value.toString();
    }

    /** {@code origin:line: where: field 'key': problem}, where {@code where} may be null at the top level. */
    private DeployException fail(Table table, String key, String where, String problem) {
        return DeployException.input(origin + ":" + lineOf(table, key) + ": " + (where == null ? "" : where + ": ")
                + "field '" + key + "': " + problem);
    }

    /** The line of {@code key} in {@code table}; for {@code null}, the line of the table's first key. */
    private int lineOf(Table table, String key) {
        return lines.line(table.path(), key);
    }

    private int elementLine(List<Object> arrayPath, int index) {
        return lines.line(arrayPath, index);
    }
}
