package dev.deploy.cache;

import dev.deploy.store.Artifact;
import dev.deploy.store.MemoryTree;
import java.util.Map;
import java.util.Optional;

/** Artifacts and caches for the cache's unit tests. */
final class CacheFixtures {

    static final CacheSettings SETTINGS = new CacheSettings("bucket", "pre/fix", Optional.empty(),
            Optional.of("us-east-1"), true);

    private CacheFixtures() {
    }

    /** A cache on {@code store} that every host uses. */
    static BinaryCache cache(InMemoryObjectStore store) {
        return BinaryCache.of(new CacheConfig(Optional.of(SETTINGS), Map.of()), settings -> store);
    }

    /** A site of 30 files in a few directories, one executable, with {@code index.html} set to {@code index}. */
    static Artifact site(String name, String index) {
        MemoryTree tree = new MemoryTree().file("index.html", index, false).file("bin/run", "#!/bin/sh\necho hi\n", true);
        for (int i = 0; i < 28; i++) {
            tree.file("assets/part" + (i % 3) + "/file-" + i + ".txt", ("content of file " + i + "\n").repeat(40), false);
        }
        return tree.toArtifact(name, "path:" + name);
    }
}
