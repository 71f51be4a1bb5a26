package dev.deploy.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Directories and files the controller itself writes during a run: the state directory of each {@code local:} host,
 * the cache ({@code DEPLOY_CACHE}), the lock file. A {@code path:} source that contains one of them would otherwise
 * copy it into every new store path (the previous store into the next: 7, 21, 47, 99 files over four applies) or
 * change between plan and apply; {@link PathSourceReader} leaves them out and reports it. Matched by identity
 * (device and inode, taken when a source is read, so symlinked or relative spellings match too); one that does not
 * exist yet cannot be inside a tree being read.
 */
public final class ControllerPaths {

    /** One path the controller owns and what it is ({@code state directory of local host 'box'}). */
    public record Owned(Path path, String what) {
    }

    private record Key(long device, long inode) {
    }

    private final List<Owned> owned;

    public ControllerPaths(List<Owned> owned) {
        this.owned = List.copyOf(owned);
    }

    public static ControllerPaths none() {
        return new ControllerPaths(List.of());
    }

    /** The owned paths that exist now, by identity. */
    Matcher matcher() {
        Map<Key, Owned> keys = new HashMap<>();
        for (Owned o : owned) {
            try {
                if (Files.exists(o.path(), LinkOption.NOFOLLOW_LINKS)) {
                    FileStat stat = FileStat.of(o.path().toRealPath());
                    keys.putIfAbsent(new Key(stat.device(), stat.inode()), o);
                }
            } catch (IOException e) {
                // gone meanwhile: cannot be in the tree
            }
        }
        return new Matcher(keys);
    }

    /** Identity lookups of one read. */
    static final class Matcher {
        private final Map<Key, Owned> keys;

        private Matcher(Map<Key, Owned> keys) {
            this.keys = keys;
        }

        /** What the entry with {@code stat} is to the controller, if anything. */
        Optional<Owned> owner(FileStat stat) {
            return keys.isEmpty() ? Optional.empty() : Optional.ofNullable(keys.get(new Key(stat.device(), stat.inode())));
        }
    }
}
