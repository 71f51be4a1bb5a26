package dev.deploy.plan;

import java.util.List;
import java.util.Optional;

/**
 * What a plan changes inside each artifact of one host and why each service action happens: {@code unitChanges}
 * are the services' units added, changed or removed (as {@code unit/SERVICE}; the plan's root changes hold the
 * rest), {@code artifacts} the content diff of every added or changed root and unit, by role, and, once the delta
 * bases are known, what the transfer will send.
 */
public record HostDiff(List<HostPlan.RootChange> unitChanges, List<ArtifactDiff> artifacts,
                       List<ServiceReason> services, Optional<Sending> sending) {

    public HostDiff {
        unitChanges = List.copyOf(unitChanges);
        artifacts = List.copyOf(artifacts);
        services = List.copyOf(services);
    }

    public HostDiff(List<HostPlan.RootChange> unitChanges, List<ArtifactDiff> artifacts,
                    List<ServiceReason> services) {
        this(unitChanges, artifacts, services, Optional.empty());
    }

    /**
     * What the delta transfer will send of the store paths to add whose files are known: files and content bytes
     * that cross the wire, and files the host hard-links from an earlier version instead.
     */
    public record Sending(int files, long bytes, int linked) {
    }

    public HostDiff withSending(Sending estimate) {
        return new HostDiff(unitChanges, artifacts, services, Optional.of(estimate));
    }

    public Optional<ArtifactDiff> artifact(String role) {
        return artifacts.stream().filter(a -> a.role().equals(role)).findFirst();
    }

    public Optional<ServiceReason> reason(String service) {
        return services.stream().filter(s -> s.service().equals(service)).findFirst();
    }
}
