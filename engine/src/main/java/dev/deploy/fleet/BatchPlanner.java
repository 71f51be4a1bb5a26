package dev.deploy.fleet;

import dev.deploy.DeployException;
import dev.deploy.inventory.BatchSize;
import dev.deploy.inventory.CanarySelector;
import dev.deploy.inventory.Host;
import dev.deploy.yaml.NearMiss;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Splits hosts, already in rollout order, into batches (pure): the canary hosts first as a batch of their own, then
 * the rest in batches of {@link BatchSize#hostsPerBatch} (a percentage is of all selected hosts, canary included).
 */
public final class BatchPlanner {

    private BatchPlanner() {
    }

    /**
     * @throws DeployException of kind INPUT when the canary is a tag no selected host has
     */
    public static List<Batch> plan(List<Host> ordered, BatchSize size, Optional<CanarySelector> canary) {
        List<Batch> batches = new ArrayList<>();
        List<Host> rest = new ArrayList<>(ordered);
        if (canary.isPresent() && !ordered.isEmpty()) {
            List<Host> canaries = canary.get().pick(ordered);
            if (canaries.isEmpty()) {
                throw DeployException.input("canary " + canary.get() + ": no selected host has that tag or group"
                        + (canary.get() instanceof CanarySelector.Tagged tagged ? NearMiss.suggestion(tagged.tag(),
                        ordered.stream().flatMap(h -> Stream.concat(h.tags().stream(), h.groups().stream()))
                                .distinct().toList()) : ""));
            }
            batches.add(new Batch(1, true, canaries));
            rest.removeAll(canaries);
        }
        int perBatch = size.hostsPerBatch(ordered.size());
        for (int from = 0; from < rest.size(); from += perBatch) {
            batches.add(new Batch(batches.size() + 1, false, rest.subList(from, Math.min(rest.size(), from + perBatch))));
        }
        return batches;
    }
}
