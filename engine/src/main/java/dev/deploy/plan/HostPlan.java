package dev.deploy.plan;

import dev.deploy.inventory.Host;
import dev.deploy.store.Artifact;
import java.util.List;
import java.util.Optional;

/** The difference between what a host has and what it should have, and the actions that close it. */
public record HostPlan(Host host, DesiredGeneration desired, HostState state, List<Artifact> toAdd,
                       List<RootChange> rootChanges, List<ServiceChange> serviceChanges) {

    /** How one root (a source tree, file or unit by role) changes. */
    public record RootChange(String role, Change change, String from, String to) {
    }

    /** What happens to a service when the generation switches. */
    public record ServiceChange(String service, ServiceAction action) {
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

    public boolean hasChanges() {
        return !toAdd.isEmpty() || !rootChanges.isEmpty() || !serviceChanges.isEmpty();
    }

    public long bytesToAdd() {
        return toAdd.stream().mapToLong(artifact -> artifact.tree().totalBytes()).sum();
    }

    public Optional<GenerationManifest> current() {
        return state.current();
    }
}
