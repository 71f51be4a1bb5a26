package dev.deploy.transfer;

import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import dev.deploy.store.Artifact;
import dev.deploy.store.StorePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which store paths already on a host may serve as the base of a delta for each store path it lacks (pure). The
 * preferred base is the path the host's current generation has in the same role (a root, or a service's unit);
 * otherwise the newest path with the same name, which only the host can tell (by the age of its meta list). The
 * host uses a candidate only if it kept a meta list for it.
 */
public final class DeltaBases {

    /** Candidates for one missing store path; {@code sameName} holds every other host path with its name. */
    public record Request(StorePath target, Optional<StorePath> preferred, List<StorePath> sameName) {

        /** Whether the host has anything that could serve as a base. */
        public boolean hasCandidates() {
            return preferred.isPresent() || !sameName.isEmpty();
        }
    }

    private DeltaBases() {
    }

    /**
     * The requests for {@code plan}: its store paths to add that the host lacks (a path being repaired is received
     * whole), with candidates among the host's store paths that passed their check (a damaged path is never a base).
     */
    public static List<Request> requests(HostPlan plan) {
        Set<StorePath> damaged = Set.copyOf(plan.state().drift().damaged());
        Set<StorePath> healthy = new java.util.HashSet<>(plan.state().store());
        healthy.removeAll(damaged);
        List<Artifact> fresh = plan.toAdd().stream().filter(a -> !plan.state().store().contains(a.storePath()))
                .toList();
        return requests(fresh, plan.desired().manifest(), plan.current(), healthy);
    }

    /** One request per store path to add that has at least one candidate on the host. */
    public static List<Request> requests(List<Artifact> toAdd, GenerationManifest desired,
                                         Optional<GenerationManifest> current, Set<StorePath> store) {
        Map<String, String> desiredRoles = roles(desired);
        Map<String, String> currentRoles = current.map(DeltaBases::roles).orElse(Map.of());
        List<Request> requests = new ArrayList<>();
        for (Artifact artifact : toAdd) {
            StorePath target = artifact.storePath();
            Optional<StorePath> preferred = Optional.empty();
            for (Map.Entry<String, String> role : desiredRoles.entrySet()) {
                String was = currentRoles.get(role.getKey());
                if (role.getValue().equals(target.toString()) && was != null && StorePath.isValid(was)
                        && store.contains(StorePath.parse(was)) && !was.equals(target.toString())) {
                    preferred = Optional.of(StorePath.parse(was));
                    break;
                }
            }
            Optional<StorePath> chosen = preferred;
            List<StorePath> sameName = store.stream()
                    .filter(path -> path.name().equals(target.name()) && !path.equals(target))
                    .filter(path -> chosen.map(p -> !p.equals(path)).orElse(true))
                    .sorted()
                    .toList();
            Request request = new Request(target, preferred, sameName);
            if (request.hasCandidates()) {
                requests.add(request);
            }
        }
        return requests;
    }

    /** Role to store path: every root, and {@code unit/<service>} for each service's unit. */
    static Map<String, String> roles(GenerationManifest manifest) {
        Map<String, String> roles = new TreeMap<>(manifest.roots());
        manifest.services().forEach((name, service) -> roles.put("unit/" + name, service.unit()));
        return roles;
    }
}
