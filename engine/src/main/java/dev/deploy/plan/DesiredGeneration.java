package dev.deploy.plan;

import dev.deploy.module.EvaluatedHost;
import dev.deploy.module.HealthCheck;
import dev.deploy.module.ServiceSpec;
import dev.deploy.store.Artifact;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** The generation a host should have: its manifest (unnumbered) and the artifacts behind every store path in it. */
public record DesiredGeneration(GenerationManifest manifest, List<Artifact> artifacts) {

    public static DesiredGeneration of(EvaluatedHost evaluated) {
        SortedMap<String, String> roots = new TreeMap<>();
        SortedMap<String, String> origins = new TreeMap<>();
        List<Artifact> artifacts = new ArrayList<>();
        evaluated.roots().forEach((role, artifact) -> {
            if (!role.startsWith("unit/")) {
                roots.put(role, artifact.storePath().toString());
                origins.put(role, artifact.origin());
            }
            artifacts.add(artifact);
        });
        SortedMap<String, GenerationManifest.ServiceEntry> services = new TreeMap<>();
        for (ServiceSpec service : evaluated.services()) {
            SortedMap<String, String> inputs = new TreeMap<>();
            service.inputs().forEach(role -> inputs.put(role, roots.get(role)));
            services.put(service.name(), new GenerationManifest.ServiceEntry(service.unit().toString(), inputs,
                    service.healthCheck().map(DesiredGeneration::health).orElse(null)));
        }
        GenerationManifest manifest = new GenerationManifest(GenerationManifest.FORMAT, 0, null,
                evaluated.host().name(), roots, origins, services);
        return new DesiredGeneration(manifest, List.copyOf(artifacts));
    }

    private static GenerationManifest.Health health(HealthCheck check) {
        return new GenerationManifest.Health(check.http().orElse(null), check.command().orElse(null),
                check.timeoutSeconds());
    }
}
