package dev.deploy.activation;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.ShellScript;
import dev.deploy.store.HostLayout;
import dev.deploy.store.StorePath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Deletes generations beyond the newest {@code keep} (never the current one), then every store path no remaining
 * generation references (with their meta lists, kept for deltas), and leftovers of cut transfers. Runs under the
 * host lock.
 */
public final class GarbageCollector {

    /** What a collection removed (or would remove). */
    public record Collection(List<Integer> generations, List<StorePath> storePaths) {
    }

    private GarbageCollector() {
    }

    /** Decides what to delete; pure, so that it can be shown before it is done. */
    public static Collection decide(List<GenerationInfo> generations, Set<StorePath> store, int keep) {
        if (keep < 1) {
            throw DeployException.input("--keep must be at least 1, got " + keep);
        }
        List<GenerationInfo> newestFirst = new ArrayList<>(generations);
        newestFirst.sort(Comparator.comparingInt(GenerationInfo::number).reversed());
        List<Integer> remove = new ArrayList<>();
        SortedSet<StorePath> live = new TreeSet<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            GenerationInfo generation = newestFirst.get(i);
            if (i < keep || generation.current()) {
                if (generation.manifest() != null) {
                    live.addAll(generation.manifest().storePaths());
                }
            } else {
                remove.add(generation.number());
            }
        }
        remove.sort(Comparator.naturalOrder());
        List<StorePath> dead = store.stream().filter(path -> !live.contains(path)).sorted().toList();
        return new Collection(List.copyOf(remove), dead);
    }

    public static void delete(HostConnection connection, HostLayout layout, Collection collection) {
        ShellScript script = ShellScript.strict();
        for (int number : collection.generations()) {
            script.cmd("rm", "-rf", layout.generation(number));
        }
        // Only directories are made writable: files may be hard links shared with live store paths (deltas), and
        // unlinking a file needs no write permission on it.
        for (StorePath path : collection.storePaths()) {
            script.let("d", layout.storePath(path))
                    .raw("if [ -e \"$d\" ]; then find \"$d\" -type d -exec chmod u+w {} +; fi")
                    .cmd("rm", "-rf", layout.storePath(path))
                    .cmd("rm", "-f", layout.store() + "/.meta/" + path);
        }
        script.let("store", layout.store())
                .let("gens", layout.generations())
                .raw("for d in \"$store\"/.incoming-* \"$gens\"/.new-*; do"
                        + " if [ -e \"$d\" ]; then find \"$d\" -type d -exec chmod u+w {} +; rm -rf \"$d\"; fi; done");
        try {
            CommandResult result = connection.run(script.text());
            if (!result.ok()) {
                throw DeployException.host(connection.hostName(), "gc", result.lastErrorLine());
            }
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "gc", e.getMessage(), e);
        }
    }
}
