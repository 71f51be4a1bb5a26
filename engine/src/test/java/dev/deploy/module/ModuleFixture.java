package dev.deploy.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.DeployException;
import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.InventoryLoader;
import dev.deploy.source.SourceResolver;
import dev.deploy.store.Artifact;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Module files and an inventory in a directory, evaluated for the inventory's first host. */
final class ModuleFixture {

    private final Path dir;

    ModuleFixture(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    ModuleFixture module(String name, String yaml) throws Exception {
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/" + name + ".yaml"), yaml);
        return this;
    }

    Path inventory(String yaml) throws Exception {
        return Files.writeString(dir.resolve("inventory.yaml"), yaml);
    }

    EvaluatedHost evaluate(String inventoryYaml) throws Exception {
        Inventory inventory = InventoryLoader.load(inventory(inventoryYaml));
        try (SourceResolver sources = new SourceResolver(dir.resolve("cache"))) {
            return new HostEvaluator(new ModuleLibrary(List.of(dir.resolve("modules"))), sources)
                    .evaluate(inventory, inventory.hosts().get(0));
        }
    }

    /** The input error evaluating gives: one line, paths relative to the directory. */
    String errorOf(String inventoryYaml) throws Exception {
        try {
            evaluate(inventoryYaml);
        } catch (DeployException e) {
            assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT);
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r").doesNotContain("\0");
            return e.getMessage().replace(dir.toString() + "/", "");
        }
        throw new AssertionError("expected an input error");
    }

    static String unit(EvaluatedHost host, String service) throws Exception {
        return text(host.roots().get("unit/" + service), service + ".service");
    }

    static String text(Artifact artifact, String path) throws Exception {
        var entry = artifact.tree().entries().stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
        try (InputStream in = artifact.contents().open(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** An inventory with one local host using {@code module} and the given option lines (already indented). */
    static String host(String module, String... options) {
        StringBuilder yaml = new StringBuilder("hosts:\n  h1:\n    local: {root: state}\n    modules: [" + module
                + "]\n");
        if (options.length > 0) {
            yaml.append("    options:\n");
            for (String option : options) {
                yaml.append("      ").append(option).append('\n');
            }
        }
        return yaml.toString();
    }
}
