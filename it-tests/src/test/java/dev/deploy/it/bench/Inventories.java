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
