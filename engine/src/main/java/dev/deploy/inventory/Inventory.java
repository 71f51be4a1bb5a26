package dev.deploy.inventory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Hosts and where their modules are found, as read from one inventory file.
 *
 * @param groups  the names of the {@code groups} section, in the order declared (the rollout order follows it)
 * @param rollout the {@code rollout} section's defaults for {@code deploy apply}
 */
public record Inventory(Path file, List<Host> hosts, List<Path> moduleDirs, List<String> groups,
                        RolloutDefaults rollout) {

    /** An inventory without groups or rollout defaults. */
    public Inventory(Path file, List<Host> hosts, List<Path> moduleDirs) {
        this(file, hosts, moduleDirs, List.of(), RolloutDefaults.NONE);
    }

    public Optional<Host> host(String name) {
        return hosts.stream().filter(host -> host.name().equals(name)).findFirst();
    }

    /** Directory of the inventory file; relative paths in it resolve against this. */
    public Path baseDir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }
}
