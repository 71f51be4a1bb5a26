package dev.deploy.cli.json;

import java.util.List;

/** {@code deploy gc --json}: what was (or, with {@code dryRun}, would be) deleted on each selected host. */
public record GcDocument(int format, String command, int exitCode, List<Host> hosts) implements JsonDocument {

    public GcDocument(int exitCode, List<Host> hosts) {
        this(FORMAT, "gc", exitCode, hosts);
    }

    /**
     * A host: {@code outcome}, the generation numbers, store paths and secret versions (their keyed names) deleted
     * (null when it failed), errors.
     */
    public record Host(String host, String outcome, Boolean dryRun, List<Integer> generations,
                       List<String> storePaths, List<String> secretVersions, String error, Problem problem, Transport transport) {
    }
}
