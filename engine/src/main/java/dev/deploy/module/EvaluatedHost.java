package dev.deploy.module;

import dev.deploy.inventory.Host;
import dev.deploy.store.Artifact;
import java.util.List;
import java.util.SortedMap;

/**
 * What a host should run, fully evaluated: every artifact by role ({@code source/MODULE.NAME},
 * {@code file/MODULE.NAME}, {@code unit/SERVICE}) and the services. The same inputs give the same value.
 */
public record EvaluatedHost(Host host, SortedMap<String, Artifact> roots, List<ServiceSpec> services) {
}
