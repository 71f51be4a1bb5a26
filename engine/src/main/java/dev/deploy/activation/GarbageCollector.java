package dev.deploy.activation;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.HostScript;
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
 * generation references (with their meta lists, kept for deltas), every secret version no remaining generation
 * uses, and leftovers of cut transfers and unfinished
 * generations ({@code gc.sh}). Runs under the host lock.
 */
public final class GarbageCollector {

    /** What a collection removed (or would remove): generations, store paths and secret versions. */
    public record Collection(List<Integer> generations, List<StorePath> storePaths, List<String> secretVersions) {

        public Collection(List<Integer> generations, List<StorePath> storePaths) {
            this(generations, storePaths, List.of());
        }
    }

    private GarbageCollector() {
    }

    /** Decides what to delete; pure, so that it can be shown before it is done. */
    public static Collection decide(List<GenerationInfo> generations, Set<StorePath> store, int keep) {
        return decide("host", generations, store, keep);
    }

    /**
     * Decides what to delete on {@code host}; pure.
     *
     * @throws DeployException of kind HOST when a generation that stays has no readable manifest: the store paths it
     *                         needs cannot be known, so none is deleted
     */
    public static Collection decide(String host, List<GenerationInfo> generations, Set<StorePath> store, int keep) {
        return decide(host, generations, store, Set.of(), keep);
    }

    /**
     * Decides what to delete on {@code host}, secret versions (in {@code STATE/secrets}) that no remaining generation
     * uses included; pure.
     */
    public static Collection decide(String host, List<GenerationInfo> generations, Set<StorePath> store,
                                    Set<String> secretVersions, int keep) {
        if (keep < 1) {
            throw DeployException.input("--keep must be at least 1, got " + keep);
        }
        List<GenerationInfo> newestFirst = new ArrayList<>(generations);
        newestFirst.sort(Comparator.comparingInt(GenerationInfo::number).reversed());
        List<Integer> remove = new ArrayList<>();
        SortedSet<StorePath> live = new TreeSet<>();
        Set<String> liveSecrets = new java.util.HashSet<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            GenerationInfo generation = newestFirst.get(i);
            if (i < keep || generation.current()) {
                if (generation.manifest() == null) {
                    throw DeployException.host(host, "gc", "generation " + generation.number()
                            + " stays but its manifest.json is unreadable, so the store paths it needs are unknown;"
                            + " nothing was deleted (fix or remove that generation first)");
                }
                live.addAll(generation.manifest().storePaths());
                liveSecrets.addAll(generation.manifest().secretVersions().values());
            } else {
                remove.add(generation.number());
            }
        }
        remove.sort(Comparator.naturalOrder());
        List<StorePath> dead = store.stream().filter(path -> !live.contains(path)).sorted().toList();
        List<String> deadSecrets = secretVersions.stream().filter(v -> !liveSecrets.contains(v)).sorted().toList();
        return new Collection(List.copyOf(remove), dead, deadSecrets);
    }

    public static void delete(HostConnection connection, HostLayout layout, Collection collection) {
        String script = HostScript.load(GarbageCollector.class, "gc")
                .with("generations", layout.generations())
                .with("store", layout.store())
                .with("meta", layout.meta())
                .with("numbers", String.join("\n", collection.generations().stream().map(String::valueOf).toList()))
                .with("paths", String.join("\n", collection.storePaths().stream().map(StorePath::toString).toList()))
                .with("incoming", layout.incomingPrefix())
                .with("staging", layout.stagingPrefix())
                .with("secrets_dir", layout.secrets())
                .with("secret_versions", String.join("\n", collection.secretVersions()))
                .text();
        try {
            CommandResult result = connection.run(script);
            if (!result.ok()) {
                throw DeployException.host(connection.hostName(), "gc", result.lastErrorLine());
            }
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "gc", e.getMessage(), e);
        }
    }
}
