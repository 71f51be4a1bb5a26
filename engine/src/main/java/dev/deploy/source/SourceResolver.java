package dev.deploy.source;

import dev.deploy.DeployException;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads each distinct source once per run, whichever hosts and modules use it, so that a fleet plan hashes a tree
 * one time; applies the run's {@link SourceOptions}: git sources come from their pin in {@code deploy.lock}
 * ({@link SourceLock}) when they have one, are resolved and pinned when they do not (unless {@code --frozen}), and
 * are moved by {@code deploy lock --update}. What it notices on the way ({@link SourceNotice}) is collected for the
 * front end.
 */
public final class SourceResolver implements Closeable {

    /** A pin {@code deploy lock --update} moved (or added), old commit empty for a new pin. */
    public record PinChange(String key, String written, Optional<String> before, String after,
                            GitResolution resolution) {
        public boolean moved() {
            return before.isEmpty() || !before.get().equals(after);
        }
    }

    private final Path cacheDir;
    private final SourceOptions options;
    private final SourceLock lock;
    private GitSourceReader git;
    private final HashCache hashes;
    private final Map<SourceSpec, SourceSnapshot> cache = new HashMap<>();
    private final Map<String, SourceSpec.GitSource> usedPins = new LinkedHashMap<>();
    private final Set<SourceNotice> notices = new LinkedHashSet<>();
    private final List<PinChange> changes = new ArrayList<>();

    /** No lock file: every git ref is resolved afresh. */
    public SourceResolver(Path cacheDir) {
        this(cacheDir, SourceOptions.unlocked());
    }

    /** {@code cacheDir}: git mirrors ({@code git/}) and the hashes of files ({@code hashes/}). */
    public SourceResolver(Path cacheDir, SourceOptions options) {
        this.cacheDir = cacheDir;
        this.options = options;
        this.hashes = new HashCache(cacheDir.resolve("hashes"));
        this.lock = options.lockFile().map(file -> SourceLock.load(file, cacheDir.resolve("lock-files")))
                .orElse(null);
    }

    /** {@code baseDir} resolves relative git paths of the legacy form (the file that declared the source). */
    public synchronized SourceSnapshot resolve(SourceSpec spec, Path baseDir) {
        SourceSpec key = withoutLocation(spec);
        SourceSnapshot hit = cache.get(key);
        if (hit == null) {
            hit = spec instanceof SourceSpec.PathSource path
                    ? PathSourceReader.read(path, hashes, options.controller())
                    : git((SourceSpec.GitSource) spec, baseDir);
            notices.addAll(hit.notices());
            cache.put(key, hit);
        }
        return hit;
    }

    private SourceSnapshot git(SourceSpec.GitSource given, Path baseDir) {
        if (lock == null) {
            return git().read(given, baseDir);
        }
        SourceSpec.GitSource spec = absolute(given, baseDir);
        String key = lock.keyFor(spec);
        usedPins.put(key, spec);
        Optional<SourceLock.Entry> entry = lock.get(key);
        boolean updating = options.update().map(u -> u.equals(SourceOptions.ALL) || u.contains(key)
                || u.contains(spec.written())
                || u.stream().map(GitUrls::redact).anyMatch(spec.written()::equals)).orElse(false);
        if (entry.isPresent() && !agrees(entry.get(), spec)) {
            if (options.frozen()) {
                throw DeployException.input(spec.declaredAt(), null, spec.written() + ": the pin in "
                        + lock.file().getFileName() + " was made for another reference (" + describe(entry.get())
                        + "); run 'deploy lock' and commit the lock file (--frozen)");
            }
            entry = Optional.empty();
        }
        GitResolution resolution;
        String how;
        if (spec.rev().isPresent()) {
            resolution = new GitResolution(spec.rev().get(), GitResolution.Kind.COMMIT, spec.rev().get());
            how = "pinned by rev";
        } else if (entry.isPresent() && !updating) {
            SourceLock.Entry pinned = entry.get();
            resolution = new GitResolution(pinned.commit(), kind(pinned.kind()), pinned.resolvedRef());
            how = "locked " + pinned.lockedAt();
        } else {
            if (options.frozen()) {
                throw DeployException.input(spec.declaredAt(), null, spec.written() + ": not pinned in "
                        + lock.file().getFileName() + " (--frozen); run 'deploy lock' and commit the lock file");
            }
            try {
                resolution = git().resolve(spec, options.offline());
            } catch (DeployException e) {
                if (entry.isEmpty() || e.kind() != DeployException.Kind.INPUT) {
                    throw e;
                }
                throw DeployException.input(spec.declaredAt(), null, e.detail() + "; " + lock.file().getFileName()
                        + " still pins " + entry.get().commit() + " (" + entry.get().resolvedRef()
                        + "): was it deleted upstream? Point the source at another ref");
            }
            how = entry.isEmpty() ? "newly locked" : "lock updated";
        }
        SourceSnapshot read;
        try {
            read = git().read(spec, resolution.commit(), options.offline());
        } catch (DeployException e) {
            if (!how.startsWith("locked") || e.kind() != DeployException.Kind.INPUT || options.offline()
                    || git().has(spec, resolution.commit())) {
                throw e;
            }
            // the pin's commit is gone (history rewritten upstream and collected): say it is the pin, and the way out
            throw DeployException.input(spec.declaredAt(), null, e.detail() + "; " + lock.file().getFileName()
                    + " pins it for " + entry.get().resolvedRef() + ": if upstream rewrote its history, 'deploy lock "
                    + "--update " + spec.written() + "' pins what the ref holds now");
        }
        String treeHash = read.tree().hash();
        List<SourceNotice> found = new ArrayList<>();
        if (entry.isPresent() && entry.get().commit().equals(resolution.commit())
                && !entry.get().treeHash().equals(treeHash)) {
            if (options.frozen() || !updating) {
                // Like a NAR hash mismatch in flake.lock: a commit's tree never changes, so the lock was edited or
                // the repository serves other content under the same id; never corrected behind the user's back.
                throw DeployException.input(spec.declaredAt(), null, spec.written() + ": commit "
                        + resolution.commit() + " gives tree " + treeHash + " but " + lock.file().getFileName()
                        + " records " + entry.get().treeHash() + (options.frozen() ? " (--frozen)"
                        : "; check how the lock changed, then 'deploy lock --update " + spec.written()
                        + "' records the tree this commit gives"));
            }
            found.add(new SourceNotice.TreeHashCorrected(spec.declaredAt(), spec.written(), resolution.commit(),
                    entry.get().treeHash(), treeHash));
        }
        boolean unchanged = entry.isPresent() && entry.get().commit().equals(resolution.commit())
                && entry.get().treeHash().equals(treeHash);
        if (!options.frozen() && !unchanged) {
            lock.put(key, new SourceLock.Entry(lock.portableUrl(spec), spec.ref().orElse(null),
                    spec.rev().orElse(null), spec.dir().orElse(null), resolution.refName(),
                    resolution.kind().name().toLowerCase(java.util.Locale.ROOT), resolution.commit(), treeHash,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
            lock.write();
            if (entry.isEmpty()) {
                found.add(new SourceNotice.PinAdded(spec.declaredAt(), spec.written(), resolution.describe(),
                        resolution.commit()));
            }
        }
        if (updating || entry.isEmpty()) {
            changes.add(new PinChange(key, spec.written(), entry.map(SourceLock.Entry::commit), resolution.commit(),
                    resolution));
        }
        String origin = spec.written() + " = " + lock.portableUrl(spec) + spec.dir().map(d -> " dir " + d).orElse("")
                + ", " + resolution.describe() + " @ " + resolution.commit() + " (" + how + ")";
        return new SourceSnapshot(read.tree(), read.contents(), origin, found);
    }

    /** Whether a lock entry was made for this reference (same repository, ref, rev and directory). */
    private boolean agrees(SourceLock.Entry entry, SourceSpec.GitSource spec) {
        return entry.url().equals(lock.portableUrl(spec)) && Objects.equals(entry.ref(), spec.ref().orElse(null))
                && Objects.equals(entry.rev(), spec.rev().orElse(null))
                && Objects.equals(entry.dir(), spec.dir().orElse(null))
                && (spec.rev().isEmpty() || entry.commit().equals(spec.rev().get()));
    }

    private static String describe(SourceLock.Entry entry) {
        return entry.url() + (entry.ref() == null ? "" : " ref " + entry.ref())
                + (entry.rev() == null ? "" : " rev " + entry.rev()) + (entry.dir() == null ? "" : " dir " + entry.dir());
    }

    /** A lock entry's kind ({@link SourceLock#load} refuses unknown ones); absent: a commit. */
    private static GitResolution.Kind kind(String name) {
        return name == null ? GitResolution.Kind.COMMIT
                : GitResolution.Kind.valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Whether upstream moved past the pins this run used: one ls-remote per repository (skipped with
     * {@code offline}); the notices are added to {@link #notices()}.
     */
    public synchronized void checkUpstream() {
        if (lock == null || options.offline()) {
            return;
        }
        Map<String, List<String>> byUrl = new LinkedHashMap<>();
        usedPins.forEach((key, spec) -> {
            Optional<SourceLock.Entry> entry = lock.get(key);
            if (entry.isPresent() && spec.rev().isEmpty() && entry.get().resolvedRef() != null
                    && !"commit".equals(entry.get().kind()) && !"abbreviated_commit".equals(entry.get().kind())) {
                byUrl.computeIfAbsent(spec.url(), u -> new ArrayList<>()).add(key);
            }
        });
        for (Map.Entry<String, List<String>> repository : byUrl.entrySet()) {
            SourceSpec.GitSource first = usedPins.get(repository.getValue().get(0));
            Map<String, String> upstream;
            try {
                upstream = git().upstreamRefs(first);
            } catch (DeployException e) {
                notices.add(new SourceNotice.UpstreamUnchecked(first.declaredAt(), first.written(), e.detail()));
                continue;
            }
            for (String key : repository.getValue()) {
                SourceSpec.GitSource spec = usedPins.get(key);
                SourceLock.Entry entry = lock.get(key).orElseThrow();
                String now = upstream.get(entry.resolvedRef());
                if (now == null) {
                    notices.add(new SourceNotice.UpstreamRefGone(spec.declaredAt(), spec.written(),
                            entry.resolvedRef(), entry.commit()));
                } else if (!now.equals(entry.commit())) {
                    notices.add(new SourceNotice.UpstreamMoved(spec.declaredAt(), spec.written(),
                            entry.resolvedRef(), entry.commit(), now));
                }
            }
        }
    }

    /** What the run noticed about its sources, in order, without repeats. */
    public synchronized List<SourceNotice> notices() {
        return List.copyOf(notices);
    }

    /** Pins added or (with {@code update}) re-resolved in this run, in order. */
    public synchronized List<PinChange> pinChanges() {
        return List.copyOf(changes);
    }

    /** Lock keys and written references of the git sources this run used. */
    public synchronized Set<String> usedReferences() {
        Set<String> names = new TreeSet<>(usedPins.keySet());
        usedPins.values().forEach(spec -> names.add(spec.written()));
        return names;
    }

    /** Drops lock entries no source of this run used (after evaluating every host); returns their keys. */
    public synchronized List<String> pruneUnused() {
        if (lock == null || options.frozen()) {
            return List.of();
        }
        List<String> unused = new ArrayList<>();
        for (String key : lock.entries().keySet()) {
            if (!usedPins.containsKey(key)) {
                unused.add(key);
            }
        }
        unused.forEach(lock::remove);
        if (!unused.isEmpty()) {
            lock.write();
        }
        return unused;
    }

    /** The lock file of this run, if any. */
    public Optional<Path> lockFile() {
        return lock == null ? Optional.empty() : Optional.of(lock.file());
    }

    /** Created on first use: loading jgit (a signed jar, verified as it loads) costs path-only runs 0.1 s. */
    private GitSourceReader git() {
        if (git == null) {
            git = new GitSourceReader(cacheDir, hashes);
        }
        return git;
    }

    /** {@code spec} with a relative local repository path made absolute against {@code baseDir}. */
    private static SourceSpec.GitSource absolute(SourceSpec.GitSource spec, Path baseDir) {
        String url = spec.url();
        if (url.startsWith("file://")) {
            url = url.substring("file://".length());
        } else if (!url.startsWith("/") && !url.contains("://") && !url.matches("[^/]+@[^/]+:.*")) {
            url = baseDir.resolve(url).toAbsolutePath().normalize().toString();
        }
        return url.equals(spec.url()) ? spec
                : new SourceSpec.GitSource(url, spec.ref(), spec.rev(), spec.dir(), spec.written(), spec.declaredAt());
    }

    private static SourceSpec withoutLocation(SourceSpec spec) {
        if (spec instanceof SourceSpec.PathSource p) {
            return new SourceSpec.PathSource(p.dir(), p.excludes(), p.ignoreFiles(), p.written(), null);
        }
        SourceSpec.GitSource g = (SourceSpec.GitSource) spec;
        return new SourceSpec.GitSource(g.url(), g.ref(), g.rev(), g.dir(), g.written(), null);
    }

    @Override
    public synchronized void close() {
        if (git != null) {
            git.close();
        }
    }
}
