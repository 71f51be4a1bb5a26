package dev.deploy.module;

import dev.deploy.DeployException;
import dev.deploy.yaml.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    public synchronized ModuleDef get(String name, Location namedAt) {
        ModuleDef cached = loaded.get(name);
        if (cached != null) {
            return cached;
        }
        if (!ModuleLoader.NAME.matcher(name).matches() || ModuleLoader.RESERVED.contains(name)) {
            throw DeployException.input(namedAt, null, "invalid module name '" + name
                    + "' (lower-case letters, digits and '-'; not sources, files, venvs, host or deploy)");
        }
        for (Path dir : searchPath) {
            Path file = dir.resolve(name + ".yaml");
            if (Files.isRegularFile(file)) {
                ModuleDef module = ModuleLoader.load(file, name);
                loaded.put(name, module);
                return module;
            }
        }
        throw DeployException.input(namedAt, null, "unknown module '" + name + "' (looked for " + name + ".yaml in "
                + String.join(", ", searchPath.stream().map(Path::toString).toList()) + ")");
    }
}
