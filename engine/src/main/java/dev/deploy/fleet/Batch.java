package dev.deploy.fleet;

import dev.deploy.inventory.Host;
import java.util.List;

/**
 * One step of a rolling rollout: {@code hosts} deployed together (at most {@code --parallel} at a time) and checked
 * before the next batch starts. {@code number} counts from 1; the canary batch, if any, is batch 1.
 */
public record Batch(int number, boolean canary, List<Host> hosts) {

    public Batch {
        hosts = List.copyOf(hosts);
    }

    public List<String> hostNames() {
        return hosts.stream().map(Host::name).toList();
    }
}
