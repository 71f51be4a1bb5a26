package dev.deploy.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the benchmark's inventories: one module, {@code bench}, whose only artifact is the tree as a source
 * (no service, so apply measures transfer and the generation switch), on each given test host as root.
 */
final class Inventories {

    private final Path dir;

    Inventories(Path dir) {
        this.dir = dir;
    }

    /** An inventory whose hosts also get a venv of the uv project in {@code project} (module {@code benchvenv}). */
    Path writeWithVenv(String name, List<BenchHost> hosts, Path tree, Path project) {
        try {
            Files.createDirectories(dir.resolve("modules"));
            Files.writeString(dir.resolve("modules/benchvenv.yaml"), """
                    module: benchvenv
                    description: The benchmark tree and a venv of an LNbits-sized uv project.
                    options:
                      tree: {type: source}
                      project: {type: source}
                    venvs:
                      app:
                        project: ${project}
                    files:
                      uses:
                        text: "${venvs.app} ${tree}"
                    """);
            StringBuilder yaml = new StringBuilder("hosts:\n");
            for (BenchHost host : hosts) {
                yaml.append(host.host().inventoryEntry(host.name(), "modules: [benchvenv]",
                        "options: {benchvenv.tree: \"path:" + tree + "\", benchvenv.project: \"path:" + project
                                + "\"}"));
            }
            return Files.writeString(dir.resolve(name + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write inventory " + name, e);
        }
    }

    Path write(String name, List<BenchHost> hosts, Path tree) {
        return write(name, hosts, tree, "");
    }

    /** The same with {@code header} (e.g. a {@code cache:} line) before {@code hosts:}. */
    Path write(String name, List<BenchHost> hosts, Path tree, String header) {
        try {
            Files.createDirectories(dir.resolve("modules"));
            Files.writeString(dir.resolve("modules/bench.yaml"), """
                    module: bench
                    description: The benchmark tree as one source artifact.
                    options:
                      tree: {type: source}
                    """);
            StringBuilder yaml = new StringBuilder(header).append("hosts:\n");
            for (BenchHost host : hosts) {
                yaml.append(host.host().inventoryEntry(host.name(), "modules: [bench]",
                        "options: {bench.tree: \"path:" + tree + "\"}"));
            }
            return Files.writeString(dir.resolve(name + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write inventory " + name, e);
        }
    }
}
