package dev.deploy.module;

import dev.deploy.DeployException;
import dev.deploy.inventory.ModuleUse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The modules a host runs: those it names and everything they import, each once, imports before importers
 * (deterministic: depth first in declaration order). An import cycle is an error that shows the cycle.
 */
public final class ModuleGraph {

    /** How deep imports may nest (the graph is walked recursively). */
    static final int MAX_DEPTH = 100;

    private final Map<String, ModuleDef> ordered = new LinkedHashMap<>();
    private final Map<String, Set<String>> transitiveImports = new LinkedHashMap<>();

    private ModuleGraph() {
    }

    public static ModuleGraph of(ModuleLibrary library, List<ModuleUse> uses) {
        ModuleGraph graph = new ModuleGraph();
        for (ModuleUse use : uses) {
            graph.visit(library, new ModuleRef(use.name(), use.location()), new ArrayList<>());
        }
        return graph;
    }

    private Set<String> visit(ModuleLibrary library, ModuleRef ref, List<String> path) {
        if (path.contains(ref.name())) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(ref.name()), path.size()));
            cycle.add(ref.name());
            throw DeployException.input(ref.location(), null, "import cycle: " + String.join(" -> ", cycle));
        }
        if (path.size() >= MAX_DEPTH) {
            throw DeployException.input(ref.location(), null, "imports nested more than " + MAX_DEPTH + " deep ("
                    + path.get(0) + " -> " + path.get(1) + " -> ... -> " + ref.name() + ")");
        }
        Set<String> known = transitiveImports.get(ref.name());
        if (known != null) {
            return known;
        }
        ModuleDef module = library.get(ref.name(), ref.location());
        path.add(ref.name());
        Set<String> imports = new HashSet<>();
        for (ModuleRef imported : module.imports()) {
            imports.add(imported.name());
            imports.addAll(visit(library, imported, path));
        }
        path.remove(path.size() - 1);
        transitiveImports.put(ref.name(), imports);
        ordered.put(ref.name(), module);
        return imports;
    }

    /** Modules in dependency order. */
    public List<ModuleDef> modules() {
        return List.copyOf(ordered.values());
    }

    public ModuleDef module(String name) {
        return ordered.get(name);
    }

    public boolean contains(String name) {
        return ordered.containsKey(name);
    }

    /** Whether {@code importer} imports {@code imported}, directly or through others. */
    public boolean imports(String importer, String imported) {
        return transitiveImports.getOrDefault(importer, Set.of()).contains(imported);
    }
}
