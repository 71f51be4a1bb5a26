package dev.deploy.plan;

import dev.deploy.inventory.Host;
import dev.deploy.store.Artifact;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Diffs a desired generation against a host's state: store paths to add (only those the host lacks), roots added,
 * changed or removed, secrets added, changed or removed (by keyed version; the versions the host lacks are written),
 * and services to start (new), restart (unit or an input, a secret version included, changed) or stop (gone). When
 * the live generation is marked failed, applying is never a no-op: every service is restarted. Drift is repaired: a
 * live store path that failed its check is added again (received whole, swapped in), a service that should run but
 * systemd reports stopped is started, and one whose unit link is missing is linked again (a new generation's
 * activation links every unit) and started. Pure: no I/O.
 */
public final class Planner {

    /** What a service "was" when its unit link is missing ({@link HostDrift.ServiceState#unlinked}). */
    public static final String UNLINKED = "not linked";

    private Planner() {
    }

    public static HostPlan plan(Host host, DesiredGeneration desired, HostState state) {
        Map<String, Artifact> missing = new LinkedHashMap<>();
        java.util.Set<dev.deploy.store.StorePath> damaged = java.util.Set.copyOf(state.drift().damaged());
        for (Artifact artifact : desired.artifacts()) {
            if (!state.store().contains(artifact.storePath()) || damaged.contains(artifact.storePath())) {
                missing.putIfAbsent(artifact.storePath().toString(), artifact);
            }
        }
        SortedMap<String, String> before = new TreeMap<>();
        Map<String, GenerationManifest.ServiceEntry> beforeServices = new TreeMap<>();
        state.current().ifPresent(current -> {
            before.putAll(current.roots());
            beforeServices.putAll(current.services());
        });
        List<HostPlan.RootChange> roots = rootChanges(before, desired.manifest().roots());
        List<HostPlan.ServiceChange> services = state.currentFailure().isPresent()
                ? reactivation(beforeServices, desired.manifest().services())
                : serviceChanges(beforeServices, desired.manifest().services());
        if (host.target().managesServices() && state.systemd()) {
            services = withRepairs(services, beforeServices, desired.manifest().services(), state.drift());
            services = withRepairedInputs(services, beforeServices, desired.manifest().services(), damaged);
        }
        if (desired.manifest().secretVersions().containsValue(DesiredGeneration.UNKEYED)) {
            throw new IllegalArgumentException("plan a generation with secrets only once keyed with the host's key");
        }
        SortedMap<String, String> secretsBefore = state.current().map(GenerationManifest::secretVersions)
                .orElse(new TreeMap<>());
        List<HostPlan.SecretChange> secrets = new ArrayList<>();
        for (HostPlan.RootChange change : rootChanges(secretsBefore, desired.manifest().secretVersions())) {
            secrets.add(new HostPlan.SecretChange(change.role().substring("secret/".length()), change.change()));
        }
        java.util.SortedSet<String> toWrite = new java.util.TreeSet<>(desired.manifest().secretVersions().values());
        toWrite.removeAll(state.secrets().versions());
        // drift: a live secret file whose owner, group or mode is not the declared one, or that is gone, is written
        // again (the same version: its name covers owner, group and mode); nothing restarts for it
        desired.secrets().forEach((role, secret) -> {
            String version = desired.manifest().secretVersions().get(role);
            String live = state.drift().secrets().get(secret.name());
            boolean same = secretsBefore.containsKey(role) && secretsBefore.get(role).equals(version);
            if (same && live != null && !matches(live, secret)) {
                toWrite.add(version);
                String[] f = live.split(" ");
                secrets.add(new HostPlan.SecretChange(secret.name(), HostPlan.Change.CHANGE,
                        f.length == 5 ? f[0] + ":" + f[1] + " " + f[4] : live));
            }
        });
        secrets.sort(java.util.Comparator.comparing(HostPlan.SecretChange::name));
        return new HostPlan(host, desired, state, List.copyOf(missing.values()), List.copyOf(roots),
                List.copyOf(services), List.copyOf(secrets), toWrite);
    }

    /** Whether a secret file's {@code OWNER GROUP UID GID MODE} (drift.sh) is as {@code secret} declares it. */
    private static boolean matches(String live, dev.deploy.secret.Secret secret) {
        String[] f = live.split(" ");
        return f.length == 5 && (f[0].equals(secret.owner()) || f[2].equals(secret.owner()))
                && (f[1].equals(secret.group()) || f[3].equals(secret.group()))
                && f[4].equals(String.format("%04o", secret.mode()));
    }

    /** Services to start, restart (unit or inputs changed) or stop when going from {@code before} to {@code after}. */
    public static List<HostPlan.ServiceChange> serviceChanges(Map<String, GenerationManifest.ServiceEntry> before,
                                                              Map<String, GenerationManifest.ServiceEntry> after) {
        List<HostPlan.ServiceChange> changes = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            GenerationManifest.ServiceEntry was = before.get(name);
            GenerationManifest.ServiceEntry will = after.get(name);
            if (was == null) {
                changes.add(new HostPlan.ServiceChange(name, HostPlan.ServiceAction.START));
            } else if (will == null) {
                changes.add(new HostPlan.ServiceChange(name, HostPlan.ServiceAction.STOP));
            } else if (was.needsRestartFor(will)) {
                changes.add(new HostPlan.ServiceChange(name, HostPlan.ServiceAction.RESTART));
            }
        }
        return changes;
    }

    /**
     * {@code changes} plus a start for every service that stays, has no action yet, and that systemd reports
     * stopped ({@code inactive} or {@code failed}): drift an apply repairs.
     */
    static List<HostPlan.ServiceChange> withRepairs(List<HostPlan.ServiceChange> changes,
                                                   Map<String, GenerationManifest.ServiceEntry> before,
                                                   Map<String, GenerationManifest.ServiceEntry> after,
                                                   HostDrift drift) {
        List<HostPlan.ServiceChange> result = new ArrayList<>(changes);
        for (String name : new TreeSet<>(after.keySet())) {
            HostDrift.ServiceState live = drift.services().get(name + ".service");
            boolean acted = changes.stream().anyMatch(c -> c.service().equals(name));
            if (before.containsKey(name) && !acted && live != null && live.stopped()) {
                result.add(new HostPlan.ServiceChange(name, HostPlan.ServiceAction.START,
                        java.util.Optional.of(live.label())));
            } else if (before.containsKey(name) && !acted && live != null && !live.unlinked().isEmpty()) {
                // the new generation's activation links it again (and reloads systemd); start is a no-op if it runs
                result.add(new HostPlan.ServiceChange(name, HostPlan.ServiceAction.START,
                        java.util.Optional.of(UNLINKED)));
            }
        }
        result.sort(java.util.Comparator.comparing(HostPlan.ServiceChange::service));
        return result;
    }

    /**
     * {@code changes} plus a restart for every service that stays, has no action yet, and whose unit or an input is a
     * damaged store path being repaired: the running process (and systemd, for a unit) may hold what it read from
     * the damaged copy, so swapping the files back is not enough.
     */
    static List<HostPlan.ServiceChange> withRepairedInputs(List<HostPlan.ServiceChange> changes,
                                                          Map<String, GenerationManifest.ServiceEntry> before,
                                                          Map<String, GenerationManifest.ServiceEntry> after,
                                                          java.util.Set<dev.deploy.store.StorePath> damaged) {
        if (damaged.isEmpty()) {
            return changes;
        }
        List<HostPlan.ServiceChange> result = new ArrayList<>(changes);
        for (Map.Entry<String, GenerationManifest.ServiceEntry> service : after.entrySet()) {
            String name = service.getKey();
            boolean acted = changes.stream().anyMatch(c -> c.service().equals(name));
            if (before.containsKey(name) && !acted && !repairedInputs(service.getValue(), damaged).isEmpty()) {
                result.add(new HostPlan.ServiceChange(name, HostPlan.ServiceAction.RESTART));
            }
        }
        result.sort(java.util.Comparator.comparing(HostPlan.ServiceChange::service));
        return result;
    }

    /**
     * What of {@code service} is in {@code damaged}: {@code unit} and the roles of its inputs (sorted), as a reason
     * says them.
     */
    static List<String> repairedInputs(GenerationManifest.ServiceEntry service,
                                       java.util.Set<dev.deploy.store.StorePath> damaged) {
        List<String> repaired = new ArrayList<>();
        if (isDamaged(service.unit(), damaged)) {
            repaired.add("unit");
        }
        if (service.inputs() != null) {
            service.inputs().forEach((role, path) -> {
                if (isDamaged(path, damaged)) {
                    repaired.add(role);
                }
            });
        }
        return repaired;
    }

    private static boolean isDamaged(String path, java.util.Set<dev.deploy.store.StorePath> damaged) {
        return path != null && dev.deploy.store.StorePath.isValid(path)
                && damaged.contains(dev.deploy.store.StorePath.parse(path));
    }

    /**
     * Service actions when the live generation is marked failed (a failure that could not be undone): every service
     * that stays is restarted, so the next apply brings the host to a known state even without other changes.
     */
    public static List<HostPlan.ServiceChange> reactivation(Map<String, GenerationManifest.ServiceEntry> before,
                                                     Map<String, GenerationManifest.ServiceEntry> after) {
        List<HostPlan.ServiceChange> changes = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            HostPlan.ServiceAction action = !before.containsKey(name) ? HostPlan.ServiceAction.START
                    : !after.containsKey(name) ? HostPlan.ServiceAction.STOP : HostPlan.ServiceAction.RESTART;
            changes.add(new HostPlan.ServiceChange(name, action));
        }
        return changes;
    }

    /** Roots (role to store path) added, changed or removed going from {@code before} to {@code after}. */
    public static List<HostPlan.RootChange> rootChanges(Map<String, String> before, Map<String, String> after) {
        List<HostPlan.RootChange> changes = new ArrayList<>();
        TreeSet<String> roles = new TreeSet<>(before.keySet());
        roles.addAll(after.keySet());
        for (String role : roles) {
            String was = before.get(role);
            String will = after.get(role);
            if (was == null) {
                changes.add(new HostPlan.RootChange(role, HostPlan.Change.ADD, null, will));
            } else if (will == null) {
                changes.add(new HostPlan.RootChange(role, HostPlan.Change.REMOVE, was, null));
            } else if (!was.equals(will)) {
                changes.add(new HostPlan.RootChange(role, HostPlan.Change.CHANGE, was, will));
            }
        }
        return changes;
    }

}
