package dev.deploy.plan;

import dev.deploy.module.EvaluatedHost;
import dev.deploy.module.HealthCheck;
import dev.deploy.module.ServiceSpec;
import dev.deploy.store.Artifact;
import java.util.ArrayList;
import dev.deploy.venv.VenvRealizer;
import dev.deploy.venv.VenvReport;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The generation a host should have: its manifest (unnumbered), the artifacts behind every store path in it, and
 * what each venv in it contains (for plans).
 */
public record DesiredGeneration(GenerationManifest manifest, List<Artifact> artifacts, List<VenvReport> venvs) {

    public DesiredGeneration {
        artifacts = List.copyOf(artifacts);
        venvs = List.copyOf(venvs);
    }

    public DesiredGeneration(GenerationManifest manifest, List<Artifact> artifacts) {
        this(manifest, artifacts, List.of());
    }

    /** The generation of a host without venvs. */
    public static DesiredGeneration of(EvaluatedHost evaluated) {
        if (!evaluated.venvs().isEmpty()) {
            throw new IllegalStateException("host " + evaluated.host().name() + " has venvs to build first: "
                    + evaluated.venvs().keySet());
        }
        return of(evaluated, Map.of());
    }

    /** The generation of a host whose venvs (by role) have been built for its Python. */
    public static DesiredGeneration of(EvaluatedHost evaluated, Map<String, VenvRealizer.RealizedVenv> venvs) {
        if (!venvs.keySet().equals(evaluated.venvs().keySet())) {
            throw new IllegalArgumentException("venvs built " + venvs.keySet() + " differ from those declared "
                    + evaluated.venvs().keySet());
        }
        SortedMap<String, Artifact> all = new TreeMap<>(evaluated.roots());
        List<VenvReport> reports = new ArrayList<>();
        new TreeMap<>(venvs).forEach((role, venv) -> {
            all.put(role, venv.artifact());
            reports.add(venv.report());
        });
        SortedMap<String, String> roots = new TreeMap<>();
        SortedMap<String, String> origins = new TreeMap<>();
        List<Artifact> artifacts = new ArrayList<>();
        all.forEach((role, artifact) -> {
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
        return new DesiredGeneration(manifest, artifacts, reports);
    }

    private static GenerationManifest.Health health(HealthCheck check) {
        return new GenerationManifest.Health(check.http().orElse(null), check.command().orElse(null),
                check.timeoutSeconds());
    }
}
