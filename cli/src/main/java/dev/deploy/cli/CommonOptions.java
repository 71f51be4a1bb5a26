package dev.deploy.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options every command shares: the inventory, host selection, output format and module library. */
public final class CommonOptions {

    @Parameters(index = "0", paramLabel = "INVENTORY", description = "Inventory file (YAML).")
    Path inventory;

    // Not split by picocli: it turns "--on ," into no selector at all, which would mean every host.
    @Option(names = "--on", paramLabel = "HOSTS",
            description = "Hosts to act on: names and @tags (a group name is a tag), comma-separated. Default: all.")
    List<String> on = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON document on stdout instead of text.")
    boolean json;

    @Option(names = "--no-color", description = "No ANSI colours (also when NO_COLOR is set or stdout is not a terminal).")
    boolean noColor;

    @Option(names = "--modules", paramLabel = "DIR",
            description = "Extra module directory, searched after the inventory's own (repeatable). "
                    + "The bundled library (DEPLOY_MODULES) is searched last.")
    List<Path> modules = new ArrayList<>();

    @Option(names = "--accept-new-host-keys",
            description = "Trust and record SSH host keys not yet in known_hosts (like StrictHostKeyChecking=accept-new)."
                    + " A changed key is always refused.")
    boolean acceptNewHostKeys;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of internal errors; plan: where each SSH setting came from.")
    boolean verbose;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS",
            description = "Limit for each SSH connect and handshake step, jump hosts included (default: 15).")
    Double connectTimeoutSeconds;

    /** {@code --connect-timeout} as a duration; empty when not given. */
    java.util.Optional<java.time.Duration> connectTimeout() {
        if (connectTimeoutSeconds == null) {
            return java.util.Optional.empty();
        }
        if (!(connectTimeoutSeconds > 0) || connectTimeoutSeconds > 86_400) {
            throw dev.deploy.DeployException.input("--connect-timeout must be between 0 and 86400 seconds, got "
                    + connectTimeoutSeconds);
        }
        return java.util.Optional.of(java.time.Duration.ofMillis(Math.round(connectTimeoutSeconds * 1000)));
    }

    /** Module directories after the inventory's own: --modules, then the bundled library. */
    List<Path> libraryDirs() {
        List<Path> dirs = new ArrayList<>(modules);
        String bundled = System.getenv("DEPLOY_MODULES");
        if (bundled != null && !bundled.isBlank()) {
            dirs.add(Path.of(bundled));
        }
        return dirs;
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
