package dev.deploy.module;

import dev.deploy.DeployException;
import dev.deploy.Location;
import dev.deploy.yaml.NearMiss;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds modules by name: {@code NAME.yaml} in the search directories, first match wins (the inventory's
 * {@code modulePath}, then the inventory's own directory and its {@code modules/}, then the bundled library).
 * Each module file is parsed once.
 */
public final class ModuleLibrary {

    private final List<Path> searchPath;
    private final Map<String, ModuleDef> loaded = new HashMap<>();

    public ModuleLibrary(List<Path> searchPath) {
        this.searchPath = List.copyOf(searchPath);
    }

    public List<Path> searchPath() {
        return searchPath;
    }

    /** The module names the search path offers ({@code NAME.yaml} files), for suggestions; unreadable dirs skipped. */
    private List<String> available() {
        List<String> names = new ArrayList<>();
        for (Path dir : searchPath) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                        .map(f -> f.substring(0, f.length() - ".yaml".length())).forEach(names::add);
            } catch (IOException | UncheckedIOException e) {
                // a directory that is missing or unreadable offers nothing to suggest
            }
        }
        return names;
    }

    public synchronized ModuleDef get(String name, Location namedAt) {
        ModuleDef cached = loaded.get(name);
        if (cached != null) {
            return cached;
        }
        if (!ModuleLoader.NAME.matcher(name).matches() || ModuleLoader.RESERVED.contains(name)) {
            throw DeployException.input(namedAt, null, "invalid module name '" + name
                    + "' (lower-case letters, digits and '-', at most " + ModuleLoader.MAX_NAME
                    + "; not sources, files, venvs, host or deploy)");
        }
        for (Path dir : searchPath) {
            Path file = dir.resolve(name + ".yaml");
            if (Files.isRegularFile(file)) {
                ModuleDef module = ModuleLoader.load(file, name);
                loaded.put(name, module);
                return module;
            }
        }
        throw DeployException.input(namedAt, null, "unknown module '" + name + "'" + NearMiss.suggestion(name, available())
                + " (looked for " + name + ".yaml in "
                + String.join(", ", searchPath.stream().map(Path::toString).toList()) + ")");
    }
}
