package dev.deploy.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.deploy.BoundedFiles;
import dev.deploy.DeployException;
import dev.deploy.store.StorePath;
import dev.deploy.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A reviewed plan written by {@code deploy plan --out FILE} and applied by {@code deploy apply FILE}: versioned JSON
 * (format {@value #FORMAT}, version {@value #VERSION}; documented in {@code docs/SAVED-PLANS.md}). For each host:
 * where and how it is reached and activated ({@link PlanTarget}), the {@link PlanBase} it was made from, the generation to switch to (roots and services with their store paths,
 * unnumbered), every store path with its role and hash, and the actions (roots added, changed, removed; services
 * started, restarted, stopped and why). It holds store paths and names only, never file contents, so no secret
 * value can be in it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SavedPlan(String format, int version, String createdAt, String deployVersion, String inventory,
                        List<HostEntry> hosts) {

    public static final String FORMAT = "deploy-plan";
    public static final int VERSION = 2;

    /** Largest plan file read (bytes). */
    public static final long MAX_BYTES = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            // a key given twice would show a reviewer one value and apply the other
            .configure(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public SavedPlan {
        hosts = List.copyOf(hosts);
    }

    /** One host's plan. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HostEntry(String host, PlanTarget target, PlanBase base, GenerationManifest generation,
                            List<StorePathEntry> storePaths, Actions actions) {

        /**
         * How {@code now}, the plan made again under the host's lock just before apply acts, differs from this
         * reviewed one, in words; empty when applying would do exactly what was planned. Compared: the base (live
         * generation, its manifest, failed mark, store paths present, and the secret versions it pins:
         * {@link PlanBase}), and the actions (roots and units changed, services started, restarted or stopped and
         * why, store paths repaired): drift since the plan (a stopped service, a damaged store path) gives apply work
         * nobody reviewed.
         */
        public Optional<String> differenceFrom(HostPlan now) {
            Optional<String> base = base().differenceFrom(PlanBase.of(now.state(), now.desired()));
            if (base.isPresent()) {
                return base;
            }
            return actions.differenceFrom(actionsOf(now));
        }
    }

    /**
     * A store path of the generation: its role ({@code source/...}, {@code unit/SERVICE}, ...), its name
     * ({@code HASH-NAME}), the hash part alone, and whether the host lacked it when planned (apply sends it).
     */
    public record StorePathEntry(String role, String path, String hash, boolean send) {
    }

    /**
     * What applying does: roots (and units, as {@code unit/SERVICE}) changed, services with their reasons, and the
     * live store paths sent again whole because they failed their check ({@code repairs}; absent in a file: none).
     */
    public record Actions(List<HostPlan.RootChange> roots, List<ServiceReason> services, List<String> repairs) {

        public Actions {
            repairs = repairs == null ? List.of() : List.copyOf(repairs);
        }

        /** The first way in which {@code now} differs from these actions, in words. */
        Optional<String> differenceFrom(Actions now) {
            for (String path : now.repairs) {
                if (!repairs.contains(path)) {
                    return Optional.of("apply would now also repair " + path + ", which the plan does not show");
                }
            }
            for (String path : repairs) {
                if (!now.repairs.contains(path)) {
                    return Optional.of("apply would no longer repair " + path + " (it is no longer damaged)");
                }
            }
            List<ServiceReason> planned = services == null ? List.of() : services;
            for (ServiceReason service : now.services) {
                if (!planned.contains(service)) {
                    return Optional.of("apply would now also " + words(service) + ", which the plan does not show");
                }
            }
            for (ServiceReason service : planned) {
                if (!now.services.contains(service)) {
                    return Optional.of("apply would no longer " + words(service));
                }
            }
            if (!java.util.Objects.equals(roots, now.roots)) {
                return Optional.of("apply would change other roots than the plan shows");
            }
            return Optional.empty();
        }

        private static String words(ServiceReason service) {
            return service.action().name().toLowerCase(java.util.Locale.ROOT) + " " + service.service()
                    + (service.because().isEmpty() ? "" : " (" + String.join(", ", service.because()) + ")");
        }
    }

    /** The actions of {@code plan}, as a saved plan records them. */
    static Actions actionsOf(HostPlan plan) {
        List<HostPlan.RootChange> changes = new ArrayList<>(plan.rootChanges());
        changes.addAll(HostDiffs.unitChanges(plan));
        return new Actions(changes, HostDiffs.reasons(plan),
                plan.toRepair().stream().map(a -> a.storePath().toString()).sorted().toList());
    }

    /** The saved form of {@code plans} (each with its diff computed, for the reasons of its service actions). */
    public static SavedPlan of(List<HostPlan> plans, String createdAt, String deployVersion, String inventory) {
        List<HostEntry> hosts = new ArrayList<>();
        for (HostPlan plan : plans) {
            // A host without a naming key yet gets one at apply: versions keyed now would never match then.
            GenerationManifest generation = plan.state().secrets().key().isPresent() ? plan.desired().manifest()
                    : plan.desired().manifest().unkeyed();
            Set<String> sent = new java.util.HashSet<>(plan.toAdd().stream().map(a -> a.storePath().toString())
                    .toList());
            List<StorePathEntry> paths = new ArrayList<>();
            TreeMap<String, String> roles = new TreeMap<>(generation.roots());
            generation.services().forEach((name, service) -> roles.put("unit/" + name, service.unit()));
            roles.forEach((role, path) -> paths.add(new StorePathEntry(role, path, StorePath.parse(path).hash(),
                    sent.contains(path))));
            hosts.add(new HostEntry(plan.host().name(), PlanTarget.of(plan.host()),
                    PlanBase.of(plan.state(), plan.desired()), generation, paths, actionsOf(plan)));
        }
        return new SavedPlan(FORMAT, VERSION, createdAt, deployVersion, inventory, hosts);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a plan file.
     *
     * @throws DeployException of kind INPUT naming the file (and line and column) when it is missing, too large, not
     *                         a plan of this format and version, or incomplete
     */
    public static SavedPlan read(Path file) {
        try {
            return parse(file.toString(), new String(BoundedFiles.read(file, MAX_BYTES),
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (BoundedFiles.TooLarge e) {
            throw DeployException.input(new Location(file.toString(), 0, 0), null, "a plan file is at most "
                    + MAX_BYTES + " bytes");
        } catch (BoundedFiles.NotRegular e) {
            throw DeployException.input(new Location(file.toString(), 0, 0), null, "not a regular file (a plan "
                    + "file is one written by deploy plan --out)");
        } catch (NoSuchFileException e) {
            throw DeployException.input(new Location(file.toString(), 0, 0), null, "no such plan file");
        } catch (IOException e) {
            throw DeployException.input(new Location(file.toString(), 0, 0), null, "cannot read the plan file: "
                    + e.getMessage());
        }
    }

    /** Parses plan text from {@code file} (for messages). */
    public static SavedPlan parse(String file, String text) {
        SavedPlan plan;
        try {
            var tree = JSON.readTree(text);
            if (tree == null || !tree.isObject() || !FORMAT.equals(tree.path("format").asText(null))) {
                throw DeployException.input(new Location(file, 1, 1), "format", "not a deploy plan file (its "
                        + "\"format\" must be \"" + FORMAT + "\")");
            }
            if (tree.path("version").asInt(-1) != VERSION) {
                throw DeployException.input(new Location(file, 1, 1), "version", "plan file version "
                        + tree.path("version") + " is not supported; this deploy reads version " + VERSION
                        + " (make the plan again with this version)");
            }
            plan = JSON.readValue(text, SavedPlan.class);
        } catch (JsonMappingException e) {
            throw DeployException.input(location(file, e.getLocation()), field(e), e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw DeployException.input(location(file, e.getLocation()), null, e.getOriginalMessage());
        }
        plan.check(file);
        return plan;
    }

    private void check(String file) {
        if (hosts == null || hosts.isEmpty()) {
            throw DeployException.input(new Location(file, 1, 1), "hosts", "the plan names no host");
        }
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < hosts.size(); i++) {
            HostEntry host = hosts.get(i);
            String field = "hosts[" + i + "]";
            if (host == null || host.host() == null || host.target() == null || host.target().connection() == null
                    || host.target().stateDir() == null || host.target().takeOver() == null || host.base() == null
                    || host.generation() == null || host.storePaths() == null || host.actions() == null
                    || host.generation().roots() == null || host.generation().services() == null) {
                throw DeployException.input(new Location(file, 1, 1), field, "incomplete host entry (host, target "
                        + "with connection, stateDir and takeOver, base, generation, storePaths and actions are "
                        + "required)");
            }
            if (!seen.add(host.host())) {
                throw DeployException.input(new Location(file, 1, 1), field + ".host", "host " + host.host()
                        + " appears twice");
            }
            for (java.util.Map.Entry<String, String> role : roles(host.generation()).entrySet()) {
                if (role.getValue() == null || !StorePath.isValid(role.getValue())) {
                    throw DeployException.input(new Location(file, 1, 1), field + ".generation", "role "
                            + role.getKey() + " has no valid store path: " + role.getValue());
                }
            }
            // What a reviewer reads as the store paths must be what apply checks and installs: the generation's.
            TreeMap<String, String> listed = new TreeMap<>();
            for (StorePathEntry path : host.storePaths()) {
                if (path == null || path.role() == null || path.path() == null || !StorePath.isValid(path.path())
                        || !StorePath.parse(path.path()).hash().equals(path.hash())
                        || listed.put(path.role(), path.path()) != null) {
                    throw DeployException.input(new Location(file, 1, 1), field + ".storePaths", "entry "
                            + (path == null ? "null" : path.role() + " " + path.path() + " (hash " + path.hash() + ")")
                            + " does not match the plan's generation");
                }
            }
            TreeMap<String, String> roles = roles(host.generation());
            if (!listed.equals(roles)) {
                String role = new java.util.TreeSet<>(roles.keySet()).stream()
                        .filter(r -> !Objects.equals(roles.get(r), listed.get(r))).findFirst()
                        .orElse(listed.keySet().stream().filter(r -> !roles.containsKey(r)).findFirst().orElse("?"));
                throw DeployException.input(new Location(file, 1, 1), field + ".storePaths", "role " + role
                        + ": " + listed.get(role) + " does not match the plan's generation (" + roles.get(role) + ")");
            }
        }
    }

    public Optional<HostEntry> host(String name) {
        return hosts.stream().filter(h -> h.host().equals(name)).findFirst();
    }

    /**
     * Checks that {@code desired}, evaluated now from the local inputs, is the generation planned for its host.
     *
     * @throws DeployException of kind INPUT naming the host and the first role whose store path differs
     */
    public static void checkReproduced(HostEntry planned, DesiredGeneration desired, String file) {
        checkGeneration(planned, desired, file);
    }

    /**
     * Checks that {@code host}, as the inventory gives it now, is reached and activated as planned
     * ({@link PlanTarget}), and that {@code desired}, evaluated now from the local inputs, is the planned generation.
     *
     * @throws DeployException of kind INPUT naming the host and what differs
     */
    public static void checkReproduced(HostEntry planned, dev.deploy.inventory.Host host, DesiredGeneration desired,
                                       String file) {
        checkTarget(planned, host, file);
        checkGeneration(planned, desired, file);
    }

    /**
     * Checks that {@code host}, as the inventory gives it now, is reached and activated as planned.
     *
     * @throws DeployException of kind INPUT naming the host and what differs
     */
    public static void checkTarget(HostEntry planned, dev.deploy.inventory.Host host, String file) {
        Optional<String> moved = planned.target().differenceFrom(PlanTarget.of(host));
        if (moved.isPresent()) {
            throw DeployException.input(planned.host(), new Location(file, 0, 0), "target", "changed in the "
                    + "inventory since the plan was made: " + moved.get() + " (make and review a new plan)");
        }
    }

    private static void checkGeneration(HostEntry planned, DesiredGeneration desired, String file) {
        // Secret versions are compared on the host, under its key (PlanBase); here both sides are unkeyed.
        GenerationManifest now = desired.manifest().unkeyed();
        GenerationManifest was = planned.generation().unkeyed();
        TreeMap<String, String> before = roles(was);
        TreeMap<String, String> after = roles(now);
        java.util.TreeSet<String> all = new java.util.TreeSet<>(before.keySet());
        all.addAll(after.keySet());
        for (String role : all) {
            if (!Objects.equals(before.get(role), after.get(role))) {
                throw DeployException.input(planned.host(), new Location(file, 0, 0), role,
                        "the local inputs no longer produce the planned store paths: planned "
                                + Objects.requireNonNullElse(before.get(role), "nothing") + ", now "
                                + Objects.requireNonNullElse(after.get(role), "nothing")
                                + " (make and review a new plan)");
            }
        }
        if (!now.sameContentAs(was)) {
            throw DeployException.input(planned.host(), new Location(file, 0, 0), "services",
                    "the local inputs no longer produce the planned services (health checks or inputs changed; "
                            + "make and review a new plan)");
        }
    }

    private static TreeMap<String, String> roles(GenerationManifest manifest) {
        TreeMap<String, String> roles = new TreeMap<>(manifest.roots());
        manifest.services().forEach((name, service) -> roles.put("unit/" + name, service.unit()));
        return roles;
    }

    private static Location location(String file, JsonLocation location) {
        return location == null ? new Location(file, 0, 0)
                : new Location(file, location.getLineNr(), location.getColumnNr());
    }

    private static String field(JsonMappingException e) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                field.append(field.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.length() == 0 ? null : field.toString();
    }
}
