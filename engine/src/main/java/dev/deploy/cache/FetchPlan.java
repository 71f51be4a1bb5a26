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
 * linked from a delta base becomes a hard link to an object the host fetches once, however many files (in however
 * many store paths) have that content. Objects also placed as executable files get a second, executable copy,
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

    /** Where a fetched file's hard link points, relative to the incoming directory. */
    static String placement(TreeEntry file) {
        return ".objects/" + file.sha256() + (file.executable() ? ".x" : "");
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
