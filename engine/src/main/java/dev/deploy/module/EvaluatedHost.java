package dev.deploy.module;

import dev.deploy.inventory.Host;
import dev.deploy.secret.Secret;
import dev.deploy.store.Artifact;
import dev.deploy.venv.VenvRequest;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a host should run, fully evaluated: every artifact by role ({@code source/MODULE.NAME},
 * {@code file/MODULE.NAME}, {@code unit/SERVICE}), the services, and the venvs ({@code venv/MODULE.NAME}) still to
 * be built once the host's Python is known, and the secrets it gets ({@code secret/MODULE.NAME}, values read on the
 * controller; never in a store path). The same inputs give the same value.
 */
public record EvaluatedHost(Host host, SortedMap<String, Artifact> roots, List<ServiceSpec> services,
                            SortedMap<String, VenvRequest> venvs, SortedMap<String, Secret> secrets) {

    public EvaluatedHost(Host host, SortedMap<String, Artifact> roots, List<ServiceSpec> services) {
        this(host, roots, services, new TreeMap<>());
    }

    public EvaluatedHost(Host host, SortedMap<String, Artifact> roots, List<ServiceSpec> services,
                         SortedMap<String, VenvRequest> venvs) {
        this(host, roots, services, venvs, new TreeMap<>());
    }
}
