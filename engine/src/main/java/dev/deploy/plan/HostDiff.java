package dev.deploy.plan;

import java.util.List;
import java.util.Optional;

/**
 * What a plan changes inside each artifact of one host and why each service action happens: {@code unitChanges}
 * are the services' units added, changed or removed (as {@code unit/SERVICE}; the plan's root changes hold the
 * rest), {@code artifacts} the content diff of every added or changed root and unit, by role.
 */
public record HostDiff(List<HostPlan.RootChange> unitChanges, List<ArtifactDiff> artifacts,
                       List<ServiceReason> services) {

    public HostDiff {
        unitChanges = List.copyOf(unitChanges);
        artifacts = List.copyOf(artifacts);
        services = List.copyOf(services);
    }

    public Optional<ArtifactDiff> artifact(String role) {
        return artifacts.stream().filter(a -> a.role().equals(role)).findFirst();
    }

    public Optional<ServiceReason> reason(String service) {
        return services.stream().filter(s -> s.service().equals(service)).findFirst();
    }
}
