package dev.deploy.plan;

import dev.deploy.inventory.Host;
import dev.deploy.store.Artifact;
import java.util.List;
import java.util.Optional;

/**
 * The difference between what a host has and what it should have, and the actions that close it: store paths to add,
 * roots and secrets that change, services to start, restart or stop, and the secret versions (keyed names) the host
 * lacks and apply writes; {@code diff}, when computed, says what changes inside each artifact and why each service
 * action happens.
 */
public record HostPlan(Host host, DesiredGeneration desired, HostState state, List<Artifact> toAdd,
                       List<RootChange> rootChanges, List<ServiceChange> serviceChanges,
                       List<SecretChange> secretChanges, java.util.SortedSet<String> secretsToWrite,
                       Optional<HostDiff> diff) {

    /** A plan without secrets and without a diff. */
    public HostPlan(Host host, DesiredGeneration desired, HostState state, List<Artifact> toAdd,
                    List<RootChange> rootChanges, List<ServiceChange> serviceChanges) {
        this(host, desired, state, toAdd, rootChanges, serviceChanges, List.of(), new java.util.TreeSet<>());
    }

    /** A plan without a diff. */
    public HostPlan(Host host, DesiredGeneration desired, HostState state, List<Artifact> toAdd,
                    List<RootChange> rootChanges, List<ServiceChange> serviceChanges,
                    List<SecretChange> secretChanges, java.util.SortedSet<String> secretsToWrite) {
        this(host, desired, state, toAdd, rootChanges, serviceChanges, secretChanges, secretsToWrite,
                Optional.empty());
    }

    /** This plan with what changes inside its artifacts ({@link HostDiffs}). */
    public HostPlan withDiff(HostDiff hostDiff) {
        return new HostPlan(host, desired, state, toAdd, rootChanges, serviceChanges, secretChanges, secretsToWrite,
                Optional.of(hostDiff));
    }

    /**
     * How one secret ({@code MODULE.NAME}) changes between the live generation and this one: added, changed (its
     * keyed version differs) or removed. Never carries a value.
     */
    public record SecretChange(String name, Change change, String was) {

        /** A secret added, changed or removed (not a repair). */
        public SecretChange(String name, Change change) {
            this(name, change, null);
        }
    }

    /** How one root (a source tree, file or unit by role) changes. */
    public record RootChange(String role, Change change, String from, String to) {
    }

    /**
     * What happens to a service when the generation switches; {@code was} is the state systemd reported when the
     * action repairs drift (a service that should run but is {@code inactive} or {@code failed} is started).
     */
    public record ServiceChange(String service, ServiceAction action, Optional<String> was) {

        public ServiceChange(String service, ServiceAction action) {
            this(service, action, Optional.empty());
        }
    }

    /** Kinds of change, printed as + ~ -. */
    public enum Change { ADD, CHANGE, REMOVE }

    /** What the activator does with a service. */
    public enum ServiceAction { START, RESTART, STOP }

    /**
     * Whether the switch starts, restarts and stops the {@link #serviceChanges} (systemd on a host that deploy
     * manages services on); otherwise they are only recorded in the generation, nothing is started.
     */
    public boolean startsServices() {
        return startsServices(host, state);
    }

    /**
     * The one rule for whether a switch on {@code host} in {@code state} acts on services: the target manages
     * services (every SSH host; a local one only with {@code services: systemd}) and systemd runs there.
     */
    public static boolean startsServices(Host host, HostState state) {
        return host.target().managesServices() && state.systemd();
    }

    /** Whether apply has work: something to push, switch or restart, or a live generation that failed. */
    public boolean hasChanges() {
        return !toAdd.isEmpty() || !rootChanges.isEmpty() || !serviceChanges.isEmpty()
                || !secretChanges.isEmpty() || !secretsToWrite.isEmpty() || state.currentFailure().isPresent();
    }

    /** Bytes of the store paths to add whose files are known; see {@link #toBuild()} for the others. */
    public long bytesToAdd() {
        return toAdd.stream().filter(Artifact::isBuilt).mapToLong(artifact -> artifact.tree().totalBytes()).sum();
    }

    /** Files of the store paths to add whose files are known. */
    public int filesToAdd() {
        return toAdd.stream().filter(Artifact::isBuilt).mapToInt(artifact -> artifact.tree().fileCount()).sum();
    }

    /**
     * The store paths to add that apply builds first (venvs: named by their inputs, their files made from wheels
     * fetched at apply), whose file counts and bytes are not known yet.
     */
    public List<Artifact> toBuild() {
        return toAdd.stream().filter(artifact -> !artifact.isBuilt()).toList();
    }

    /**
     * The store paths to add that the host has but that failed their check (drift): received whole and swapped in
     * for the damaged copies.
     */
    public List<Artifact> toRepair() {
        return toAdd.stream().filter(artifact -> state.store().contains(artifact.storePath())).toList();
    }

    /**
     * Whether a unit of the new generation is among the store paths being repaired: systemd must re-read unit files
     * (daemon-reload) although no unit's store path changes.
     */
    public boolean unitsRepaired() {
        if (serviceChanges.stream().anyMatch(c -> c.was().filter(Planner.UNLINKED::equals).isPresent())) {
            return true; // linked again: systemd must re-read it
        }
        java.util.Set<String> repaired = new java.util.HashSet<>();
        toRepair().forEach(artifact -> repaired.add(artifact.storePath().toString()));
        return desired.manifest().services().values().stream().anyMatch(s -> repaired.contains(s.unit()));
    }

    /**
     * Bytes the host's state directory needs for this plan: the store paths to add whole (a store path never
     * shares an inode with another; one being repaired exists twice until the swap), each file and directory
     * rounded up to 4 KiB blocks. Store paths built at apply count once built.
     */
    public long bytesNeeded() {
        long bytes = 0;
        for (Artifact artifact : toAdd) {
            if (!artifact.isBuilt()) {
                continue;
            }
            for (dev.deploy.store.TreeEntry entry : artifact.tree().entries()) {
                bytes += entry.kind() == dev.deploy.store.TreeEntry.Kind.FILE ? (entry.size() + 4095) / 4096 * 4096
                        : entry.kind() == dev.deploy.store.TreeEntry.Kind.DIRECTORY ? 4096 : 0;
            }
            bytes += 4096;
        }
        return bytes;
    }

    public Optional<GenerationManifest> current() {
        return state.current();
    }
}
