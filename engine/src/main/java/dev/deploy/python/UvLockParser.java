package dev.deploy.python;

import dev.deploy.DeployException;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a uv.lock (format version 1, any revision). Keeps what installing needs: packages, their sources, sdists,
 * wheels, default dependencies and extras. Drops development groups and {@code [package.metadata]}; ignores keys it
 * does not know, so newer revisions still read. Every error names {@code file:line} and the package and field.
 */
public final class UvLockParser {

    /** The lock format version this parser understands. */
    public static final int SUPPORTED_VERSION = 1;

    private static final List<String> SOURCE_KINDS =
            List.of("registry", "editable", "virtual", "directory", "git", "url", "path");

    private final String origin;
    private final String text;
    private int[] lineStarts;

    private UvLockParser(String origin, String text) {
        this.origin = origin;
        this.text = text;
    }

    /** Reads and parses the lock file at {@code file}. */
    public static UvLock parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw DeployException.input(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /** Parses lock text; {@code origin} names it in messages (usually its path). */
    public static UvLock parse(String origin, String text) {
        return new UvLockParser(origin, text).parseDocument();
    }

    private UvLock parseDocument() {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError error = toml.errors().get(0);
            throw DeployException.input(origin + ":" + lineOf(error.position()) + ": invalid TOML: "
                    + firstLine(error.getMessage()));
        }
        Object version = toml.get(List.of("version"));
        if (version == null) {
            throw DeployException.input(origin + ":1: field 'version': missing; is this a uv.lock?");
        }
        if (!(version instanceof Long number) || number != SUPPORTED_VERSION) {
            throw fail(toml, "version", null, "lock format version " + version + " is not supported (deploy reads "
                    + "version " + SUPPORTED_VERSION + "); relock with a uv that writes version " + SUPPORTED_VERSION);
        }
        int revision = (int) optionalLong(toml, "revision", null).orElse(0);
        Optional<VersionSpecifiers> requiresPython = optionalString(toml, "requires-python", null)
                .map(spec -> specifiers(toml, "requires-python", spec));
        List<Marker> resolutionMarkers = markerList(toml, "resolution-markers", null);
        List<LockedPackage> packages = new ArrayList<>();
        TomlArray entries = optionalArray(toml, "package", null);
        for (int i = 0; entries != null && i < entries.size(); i++) {
            if (!(entries.get(i) instanceof TomlTable entry)) {
                throw DeployException.input(origin + ":" + lineOf(entries, i)
                        + ": field 'package': expected [[package]] tables");
            }
            packages.add(parsePackage(entry, lineOf(entries, i)));
        }
        UvLock lock = new UvLock(origin, SUPPORTED_VERSION, revision, requiresPython, resolutionMarkers, packages);
        checkUnique(lock);
        checkEdges(lock);
        return lock;
    }

    private VersionSpecifiers specifiers(TomlTable table, String key, String spec) {
        try {
            return VersionSpecifiers.parse(spec);
        } catch (IllegalArgumentException e) {
            throw fail(table, key, null, e.getMessage());
        }
    }

    private LockedPackage parsePackage(TomlTable entry, int entryLine) {
        String name = requiredString(entry, "name", "package at line " + entryLine);
        String where = "package '" + name + "'";
        int line = lineOf(entry, "name");
        Optional<String> version = optionalString(entry, "version", where);
        TomlTable sourceTable = optionalTable(entry, "source", where);
        if (sourceTable == null) {
            throw DeployException.input(origin + ":" + line + ": " + where + ": field 'source': missing");
        }
        PackageSource source = parseSource(sourceTable, where, "source");
        List<Marker> resolutionMarkers = markerList(entry, "resolution-markers", where);
        List<LockDependency> dependencies = dependencyList(entry, "dependencies", where);
        Map<String, List<LockDependency>> extras = new LinkedHashMap<>();
        TomlTable optional = optionalTable(entry, "optional-dependencies", where);
        if (optional != null) {
            for (String extra : new TreeSet<>(optional.keySet())) {
                extras.put(PackageNames.normalize(extra),
                        dependencyList(optional, extra, where + " extra '" + extra + "'"));
            }
        }
        Optional<LockedFile> sdist = Optional.ofNullable(optionalTable(entry, "sdist", where))
                .map(table -> parseFile(table, where + " field 'sdist'", source, lineOf(entry, "sdist")));
        List<LockedWheel> wheels = new ArrayList<>();
        TomlArray wheelArray = optionalArray(entry, "wheels", where);
        for (int i = 0; wheelArray != null && i < wheelArray.size(); i++) {
            int wheelLine = lineOf(wheelArray, i);
            String wheelWhere = where + " field 'wheels'";
            if (!(wheelArray.get(i) instanceof TomlTable wheelTable)) {
                throw DeployException.input(origin + ":" + wheelLine + ": " + wheelWhere + ": expected inline tables");
            }
            LockedFile file = parseFile(wheelTable, wheelWhere, source, wheelLine);
            try {
                wheels.add(new LockedWheel(file, WheelFilename.parse(file.fileName())));
            } catch (IllegalArgumentException e) {
                throw DeployException.input(origin + ":" + wheelLine + ": " + wheelWhere + ": " + e.getMessage());
            }
        }
        return new LockedPackage(PackageNames.normalize(name), version, source, resolutionMarkers, dependencies,
                extras, sdist, wheels, line);
    }

    private PackageSource parseSource(TomlTable table, String where, String field) {
        List<String> kinds = SOURCE_KINDS.stream().filter(kind -> table.get(List.of(kind)) != null).toList();
        if (kinds.size() != 1) {
            throw DeployException.input(origin + ":" + lineOf(table, null) + ": " + where + ": field '" + field
                    + "': expected exactly one of " + SOURCE_KINDS + ", found " + (kinds.isEmpty() ? table.keySet() : kinds));
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
    private LockedFile parseFile(TomlTable table, String where, PackageSource source, int line) {
        Optional<String> location = optionalString(table, "url", where)
                .or(() -> optionalString(table, "path", where));
        if (location.isEmpty()) {
            Optional<String> fromSource = source instanceof PackageSource.Url url ? Optional.of(url.url())
                    : source instanceof PackageSource.Path path ? Optional.of(path.path()) : Optional.empty();
            location = fromSource.or(() -> optionalString(table, "filename", where));
        }
        if (location.isEmpty()) {
            throw DeployException.input(origin + ":" + line + ": " + where + ": needs 'url', 'path' or 'filename'");
        }
        Optional<FileHash> hash = optionalString(table, "hash", where).map(text -> {
            try {
                return FileHash.parse(text);
            } catch (IllegalArgumentException e) {
                throw DeployException.input(origin + ":" + line + ": " + where + " hash: " + e.getMessage());
            }
        });
        OptionalLong size = optionalLong(table, "size", where);
        return new LockedFile(location.get(), hash, size);
    }

    private List<LockDependency> dependencyList(TomlTable owner, String key, String where) {
        TomlArray array = optionalArray(owner, key, where);
        List<LockDependency> dependencies = new ArrayList<>();
        for (int i = 0; array != null && i < array.size(); i++) {
            int line = lineOf(array, i);
            if (!(array.get(i) instanceof TomlTable table)) {
                throw DeployException.input(origin + ":" + line + ": " + field(where, key)
                        + ": expected inline tables like { name = \"...\" }");
            }
            String name = requiredString(table, "name", field(where, key));
            String edge = where + " dependency '" + name + "'";
            Optional<String> version = optionalString(table, "version", edge);
            TomlTable sourceTable = optionalTable(table, "source", edge);
            Optional<PackageSource> source = Optional.ofNullable(sourceTable)
                    .map(s -> parseSource(s, edge, "source"));
            Set<String> extras = new TreeSet<>();
            TomlArray extraArray = optionalArray(table, "extra", edge);
            for (int e = 0; extraArray != null && e < extraArray.size(); e++) {
                if (!(extraArray.get(e) instanceof String extra)) {
                    throw DeployException.input(origin + ":" + line + ": " + edge + " field 'extra': expected strings");
                }
                extras.add(PackageNames.normalize(extra));
            }
            Marker marker = optionalString(table, "marker", edge)
                    .map(text -> parseMarker(text, line, edge + " field 'marker'"))
                    .orElse(Marker.ALWAYS);
            dependencies.add(new LockDependency(PackageNames.normalize(name), version, source, extras, marker, line));
        }
        return dependencies;
    }

    private List<Marker> markerList(TomlTable owner, String key, String where) {
        TomlArray array = optionalArray(owner, key, where);
        List<Marker> markers = new ArrayList<>();
        for (int i = 0; array != null && i < array.size(); i++) {
            int line = lineOf(array, i);
            if (!(array.get(i) instanceof String text)) {
                throw DeployException.input(origin + ":" + line + ": " + field(where, key) + ": expected strings");
            }
            markers.add(parseMarker(text, line, field(where, key)));
        }
        return markers;
    }

    private Marker parseMarker(String text, int line, String where) {
        try {
            return Marker.parse(text);
        } catch (DeployException e) {
            throw DeployException.input(origin + ":" + line + ": " + where + ": " + e.getMessage());
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

    /** Every default and optional edge must point at exactly one entry. */
    private void checkEdges(UvLock lock) {
        for (LockedPackage p : lock.packages()) {
            List<LockDependency> edges = new ArrayList<>(p.dependencies());
            p.optionalDependencies().values().forEach(edges::addAll);
            for (LockDependency edge : edges) {
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

    private String requiredString(TomlTable table, String key, String where) {
        return optionalString(table, key, where).orElseThrow(() -> fail(table, key, where, "missing"));
    }

    private Optional<String> optionalString(TomlTable table, String key, String where) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw fail(table, key, where, "expected a string");
        }
        return Optional.of(text);
    }

    private OptionalLong optionalLong(TomlTable table, String key, String where) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return OptionalLong.empty();
        }
        if (!(value instanceof Long number)) {
            throw fail(table, key, where, "expected an integer");
        }
        return OptionalLong.of(number);
    }

    private TomlTable optionalTable(TomlTable table, String key, String where) {
        Object value = table.get(List.of(key));
        if (value != null && !(value instanceof TomlTable)) {
            throw fail(table, key, where, "expected a table");
        }
        return (TomlTable) value;
    }

    private TomlArray optionalArray(TomlTable table, String key, String where) {
        Object value = table.get(List.of(key));
        if (value != null && !(value instanceof TomlArray)) {
            throw fail(table, key, where, "expected an array");
        }
        return (TomlArray) value;
    }

    private static String field(String where, String key) {
        return (where == null ? "" : where + " ") + "field '" + key + "'";
    }

    /** {@code origin:line: where: field 'key': problem}, where {@code where} may be null at the top level. */
    private DeployException fail(TomlTable table, String key, String where, String problem) {
        return DeployException.input(origin + ":" + lineOf(table, key) + ": " + (where == null ? "" : where + ": ")
                + "field '" + key + "': " + problem);
    }

    /** The line of {@code key} in {@code table}; for {@code null}, the line of the table's first key. */
    private static int lineOf(TomlTable table, String key) {
        if (key != null) {
            TomlPosition position = table.inputPositionOf(List.of(key));
            if (position != null) {
                return position.line();
            }
        }
        return table.keySet().stream()
                .map(k -> table.inputPositionOf(List.of(k)))
                .filter(p -> p != null)
                .mapToInt(TomlPosition::line)
                .min()
                .orElse(1);
    }

    private static int lineOf(TomlPosition position) {
        return position == null ? 1 : position.line();
    }

    /**
     * The line where element {@code index} of {@code array} starts. tomlj reports the position just after the
     * previous separator, so skip the blanks, commas and comments that follow it.
     */
    private int lineOf(TomlArray array, int index) {
        TomlPosition position = array.inputPositionOf(index);
        if (position == null) {
            return 1;
        }
        int line = position.line();
        int offset = offsetOf(line, position.column());
        while (offset < text.length()) {
            char c = text.charAt(offset);
            if (c == '#') {
                while (offset < text.length() && text.charAt(offset) != '\n') {
                    offset++;
                }
            } else if (c == '\n') {
                line++;
                offset++;
            } else if (Character.isWhitespace(c) || c == ',') {
                offset++;
            } else {
                break;
            }
        }
        return line;
    }

    /** The offset in the text of a 1-based line and column. */
    private int offsetOf(int line, int column) {
        if (lineStarts == null) {
            List<Integer> starts = new ArrayList<>(List.of(0));
            for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
                starts.add(i + 1);
            }
            lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        }
        if (line < 1 || line > lineStarts.length) {
            return text.length();
        }
        return Math.min(text.length(), lineStarts[line - 1] + column - 1);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
