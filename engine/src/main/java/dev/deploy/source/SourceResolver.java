package dev.deploy.source;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads each distinct source once per run, whichever hosts and modules use it, so that a fleet plan hashes a tree
 * one time.
 */
public final class SourceResolver implements Closeable {

    private final Path cacheDir;
    private GitSourceReader git;
    private final HashCache hashes;
    private final Map<SourceSpec, SourceSnapshot> cache = new HashMap<>();

    /** {@code cacheDir}: git mirrors ({@code git/}) and the hashes of path sources' files ({@code hashes/}). */
    public SourceResolver(Path cacheDir) {
        this.cacheDir = cacheDir;
        this.hashes = new HashCache(cacheDir.resolve("hashes"));
    }

    /** {@code baseDir} resolves relative git paths (the file that declared the source). */
    public synchronized SourceSnapshot resolve(SourceSpec spec, Path baseDir) {
        SourceSpec key = withoutLocation(spec);
        SourceSnapshot hit = cache.get(key);
        if (hit == null) {
            hit = spec instanceof SourceSpec.PathSource path
                    ? PathSourceReader.read(path, hashes)
                    : git().read((SourceSpec.GitSource) spec, baseDir);
            cache.put(key, hit);
        }
        return hit;
    }

    /** Created on first use: loading jgit (a signed jar, verified as it loads) costs path-only runs 0.1 s. */
    private GitSourceReader git() {
        if (git == null) {
            git = new GitSourceReader(cacheDir, hashes);
        }
        return git;
    }

    private static SourceSpec withoutLocation(SourceSpec spec) {
        if (spec instanceof SourceSpec.PathSource p) {
            return new SourceSpec.PathSource(p.dir(), p.excludes(), null);
        }
        SourceSpec.GitSource g = (SourceSpec.GitSource) spec;
        return new SourceSpec.GitSource(g.url(), g.ref(), null);
    }

    @Override
    public synchronized void close() {
        if (git != null) {
            git.close();
        }
    }
}
