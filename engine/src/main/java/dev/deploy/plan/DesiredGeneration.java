package dev.deploy.plan;

import dev.deploy.module.EvaluatedHost;
import dev.deploy.module.HealthCheck;
import dev.deploy.module.ServiceSpec;
import dev.deploy.secret.Secret;
import dev.deploy.secret.SecretKey;
import dev.deploy.store.Artifact;
import java.util.ArrayList;
import dev.deploy.venv.VenvRealizer;
import dev.deploy.venv.VenvReport;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The generation a host should have: its manifest (unnumbered), the artifacts behind every store path in it, what
 * each venv in it contains (for plans), and its secrets by role. A generation with secrets names their versions in
 * its manifest only once {@link #keyed} with the host's naming key (before that the names are {@link #UNKEYED}).
 */
public record DesiredGeneration(GenerationManifest manifest, List<Artifact> artifacts, List<VenvReport> venvs,
                                SortedMap<String, Secret> secrets) {

    /** The version name of a secret before the generation is keyed. */
    public static final String UNKEYED = "unkeyed";

    public DesiredGeneration {
        artifacts = List.copyOf(artifacts);
        venvs = List.copyOf(venvs);
        secrets = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(secrets));
    }

    public DesiredGeneration(GenerationManifest manifest, List<Artifact> artifacts, List<VenvReport> venvs) {
        this(manifest, artifacts, venvs, new TreeMap<>());
    }

    public DesiredGeneration(GenerationManifest manifest, List<Artifact> artifacts) {
        this(manifest, artifacts, List.of());
    }

    /**
     * This generation with each secret's version named under {@code key} ({@link SecretKey#version}): in the
     * manifest's {@code secrets} and in the inputs of the services that use it, so that exactly those restart when
     * a value changes.
     */
    public DesiredGeneration keyed(SecretKey key) {
        if (secrets.isEmpty()) {
            return this;
        }
        SortedMap<String, String> versions = new TreeMap<>();
        secrets.forEach((role, secret) -> versions.put(role, key.version(secret)));
        SortedMap<String, GenerationManifest.ServiceEntry> services = new TreeMap<>();
        manifest.services().forEach((name, entry) -> {
            SortedMap<String, String> inputs = new TreeMap<>(entry.inputs());
            inputs.replaceAll((role, path) -> versions.getOrDefault(role, path));
            services.put(name, new GenerationManifest.ServiceEntry(entry.unit(), inputs, entry.health()));
        });
        GenerationManifest keyed = new GenerationManifest(manifest.format(), manifest.number(), manifest.createdAt(),
                manifest.host(), manifest.roots(), manifest.origins(), services, versions);
        return new DesiredGeneration(keyed, artifacts, venvs, secrets);
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
            service.inputs().forEach(role -> inputs.put(role, role.startsWith("secret/") ? UNKEYED
                    : roots.get(role)));
            services.put(service.name(), new GenerationManifest.ServiceEntry(service.unit().toString(), inputs,
                    service.healthCheck().map(DesiredGeneration::health).orElse(null)));
        }
        SortedMap<String, String> secretVersions = new TreeMap<>();
        evaluated.secrets().keySet().forEach(role -> secretVersions.put(role, UNKEYED));
        GenerationManifest manifest = new GenerationManifest(GenerationManifest.FORMAT, 0, null,
                evaluated.host().name(), roots, origins, services, secretVersions.isEmpty() ? null : secretVersions);
        return new DesiredGeneration(manifest, artifacts, reports, evaluated.secrets());
    }

    private static GenerationManifest.Health health(HealthCheck check) {
        return new GenerationManifest.Health(check.http().orElse(null), check.command().orElse(null),
                check.timeoutSeconds());
    }
}
