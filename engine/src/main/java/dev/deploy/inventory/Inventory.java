package dev.deploy.inventory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Hosts and where their modules are found, as read from one inventory file. */
public record Inventory(Path file, List<Host> hosts, List<Path> moduleDirs) {

    public Optional<Host> host(String name) {
        return hosts.stream().filter(host -> host.name().equals(name)).findFirst();
    }

    /** Directory of the inventory file; relative paths in it resolve against this. */
    public Path baseDir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }
}
