package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options every command shares: the inventory, host selection, output format and module library. */
public final class CommonOptions {

    /** The file name looked for when INVENTORY is a directory. */
    static final String INVENTORY_FILE = "inventory.yaml";

    @Parameters(index = "0", paramLabel = "INVENTORY",
            description = "The inventory file (YAML), or a directory holding " + INVENTORY_FILE + ".")
    Path inventory;

    // Not split by picocli: it turns "--on ," into no selector at all, which would mean every host.
    @Option(names = "--on", paramLabel = "HOSTS", order = HelpLayout.SHARED,
            description = "Hosts to act on: names and @tags (a group name is a tag), comma-separated. Default: all.")
    List<String> on = new ArrayList<>();

    @Option(names = "--json", order = HelpLayout.SHARED + 1,
            description = "Print one JSON document on stdout instead of text (see the README for its format).")
    boolean json;

    @Option(names = "--no-color", order = HelpLayout.SHARED + 2,
            description = "No ANSI colours (also when NO_COLOR is set or stdout is not a terminal).")
    boolean noColor;

    @Option(names = {"-v", "--verbose"}, order = HelpLayout.SHARED + 3,
            description = "Show stack traces of internal errors; plan: where each SSH setting came from.")
    boolean verbose;

    @Option(names = "--modules", paramLabel = "DIR", order = HelpLayout.SHARED + 4,
            description = "Extra module directory, searched after the inventory's own (repeatable). "
                    + "The bundled library (DEPLOY_MODULES) is searched last.")
    List<Path> modules = new ArrayList<>();

    @Option(names = "--accept-new-host-keys", order = HelpLayout.SHARED + 5,
            description = "Trust and record SSH host keys not yet in known_hosts (like "
                    + "StrictHostKeyChecking=accept-new). A changed key is always refused.")
    boolean acceptNewHostKeys;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", order = HelpLayout.SHARED + 6,
            description = "Limit for each SSH connect and handshake step, jump hosts included (default: 15).")
    Double connectTimeoutSeconds;

    /**
     * The inventory file: INVENTORY itself, or {@code INVENTORY/inventory.yaml} when INVENTORY is a directory. A
     * directory without that file is bad input naming the directory (not an I/O error about reading a directory).
     */
    Path inventoryFile() {
        return inventoryFile(inventory);
    }

    static Path inventoryFile(Path given) {
        if (!Files.isDirectory(given)) {
            return given;
        }
        Path file = given.resolve(INVENTORY_FILE);
        if (!Files.isRegularFile(file)) {
            throw DeployException.input(Location.of(given), null, "is a directory without an " + INVENTORY_FILE
                    + "; give the inventory file, or a directory holding " + INVENTORY_FILE);
        }
        return file;
    }

    /** {@code --connect-timeout} as a duration; empty when not given. */
    Optional<Duration> connectTimeout() {
        if (connectTimeoutSeconds == null) {
            return Optional.empty();
        }
        if (!(connectTimeoutSeconds > 0) || connectTimeoutSeconds > 86_400) {
            throw invalid("--connect-timeout", "must be between 0 and 86400 seconds, got " + connectTimeoutSeconds);
        }
        return Optional.of(Duration.ofMillis(Math.round(connectTimeoutSeconds * 1000)));
    }

    /**
     * Module directories after the inventory's own: --modules, then the bundled library. A --modules value that is
     * not a directory is bad input (a typo would otherwise only show as "module not found" later).
     */
    List<Path> libraryDirs() {
        for (Path dir : modules) {
            if (!Files.isDirectory(dir)) {
                throw invalid("--modules", dir + ": " + (Files.exists(dir) ? "not a directory" : "no such directory"));
            }
        }
        List<Path> dirs = new ArrayList<>(modules);
        String bundled = System.getenv("DEPLOY_MODULES");
        if (bundled != null && !bundled.isBlank()) {
            dirs.add(Path.of(bundled));
        }
        return dirs;
    }

    /** A command-line option's value is bad input; the option is the error's field ({@code --keep: must be ...}). */
    static DeployException invalid(String option, String detail) {
        return DeployException.input(null, option, detail);
    }

    /** {@code $DEPLOY_CACHE}, else {@code $XDG_CACHE_HOME/deploy}, else {@code ~/.cache/deploy}. */
    static Path cacheDir() {
        String override = System.getenv("DEPLOY_CACHE");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
        return base.resolve("deploy");
    }
}
