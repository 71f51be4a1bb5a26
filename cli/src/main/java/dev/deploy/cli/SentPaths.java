package dev.deploy.cli;

import dev.deploy.plan.HostPlan;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Notes on plan lines that keep the listing and the count of store paths to add in agreement: a line whose store
 * path the host already has says so, and a second role with the same store path names the first; every other
 * {@code +}/{@code ~} line is one store path to add.
 */
final class SentPaths {

    private final Set<String> toAdd;
    private final Map<String, String> firstRole = new HashMap<>();

    SentPaths(HostPlan plan) {
        this.toAdd = plan.toAdd().stream().map(a -> a.storePath().toString()).collect(Collectors.toSet());
    }

    /** The note for {@code change} (an add or change), empty when its store path is one of those to add. */
    String note(HostPlan.RootChange change) {
        if (!toAdd.contains(change.to())) {
            return "  (already on the host)";
        }
        String first = firstRole.putIfAbsent(change.to(), change.role());
        return first == null ? "" : "  (same store path as " + first + ")";
    }
}
