package dev.deploy.cache;

import dev.deploy.store.TreeEntry;
import dev.deploy.transfer.PathDelta;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a host fetches from the cache for a set of store paths (pure): every file of a {@link PathDelta} that is not
 * copied from a delta base is placed from an object the host fetches once, however many files (in however many
 * store paths) have that content. Each file gets its own inode, as with the push (store paths never share an inode:
 * an edit in one must not reach another): the first file placed from an object takes the object's inode, every
 * further one a copy of it ({@link #placements}). Objects also placed as executable files get an executable copy,
 * since a mode belongs to an inode. Directories and symlinks come with the lists, as in the push.
 *
 * @param objects     SHA-256 to content size, each object once, in the order of the first file that needs it
 * @param executable  objects placed as an executable file somewhere
 */
public record FetchPlan(List<PathDelta> deltas, Map<String, Long> objects, Set<String> executable) {

    public static FetchPlan of(List<PathDelta> deltas) {
        Map<String, Long> objects = new LinkedHashMap<>();
        Set<String> executable = new LinkedHashSet<>();
        for (PathDelta delta : deltas) {
            for (TreeEntry entry : delta.send()) {
                if (entry.kind() == TreeEntry.Kind.FILE) {
                    objects.putIfAbsent(entry.sha256(), entry.size());
                    if (entry.executable()) {
                        executable.add(entry.sha256());
                    }
                }
            }
        }
        return new FetchPlan(List.copyOf(deltas), Collections.unmodifiableMap(objects),
                Collections.unmodifiableSet(executable));
    }

    /**
     * Where each file of the deltas is placed from, in order: {@code SHA256} (or {@code SHA256.x} for an executable
     * file) for the first file with that content and mode, {@code SHA256[.x].N} (N = 2, 3, ...) for the N-th, which
     * the host copies from the first before placing; names relative to the objects directory.
     */
    public List<String> placements() {
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<String> placements = new java.util.ArrayList<>();
        for (PathDelta delta : deltas) {
            for (TreeEntry entry : delta.send()) {
                if (entry.kind() == TreeEntry.Kind.FILE) {
                    String object = entry.sha256() + (entry.executable() ? ".x" : "");
                    int n = seen.merge(object, 1, Integer::sum);
                    placements.add(n == 1 ? object : object + "." + n);
                }
            }
        }
        return List.copyOf(placements);
    }

    /** Content bytes of the objects, each counted once. */
    public long contentBytes() {
        return objects.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Files the host links from earlier versions of the paths instead of fetching them. */
    public int filesLinked() {
        return deltas.stream().mapToInt(d -> d.links().size()).sum();
    }

    public long bytesLinked() {
        return deltas.stream().mapToLong(PathDelta::bytesReused).sum();
    }
}
