package dev.deploy.python;

import dev.deploy.DeployException;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides what a venv for one host contains. Starting at the project, it follows the default dependency group
 * (and the extras each edge requests) through the lock, keeping only edges whose marker holds on the host, then
 * picks for each package reached the best wheel for the host.
 */
public final class VenvResolver {

    /** Stands for a package's default dependencies in the visited sets; extra names are never empty. */
    private static final String DEFAULT_GROUP = "";

    private final UvLock lock;
    private final TargetEnvironment target;
    private final WheelSelector selector;

    private VenvResolver(UvLock lock, TargetEnvironment target) {
        this.lock = lock;
        this.target = target;
        this.selector = new WheelSelector(WheelTags.forTarget(target));
    }

    /** The venv contents for {@code project} (a package name in the lock) on {@code target}, without extras. */
    public static VenvResolution resolve(UvLock lock, TargetEnvironment target, String project) {
        return resolve(lock, target, project, Set.of());
    }

    /** The venv contents for {@code project} on {@code target}, with the project's {@code extras} installed too. */
    public static VenvResolution resolve(UvLock lock, TargetEnvironment target, String project, Set<String> extras) {
        return new VenvResolver(lock, target).run(project, extras);
    }

    private VenvResolution run(String projectName, Set<String> extras) {
        lock.requiresPython().ifPresent(spec -> {
            if (!spec.contains(target.python())) {
                throw DeployException.input(lock.origin() + ": requires-python '" + spec + "' excludes the host's "
                        + "Python " + target.pythonVersion());
            }
        });
        LockedPackage project = lock.onlyPackageNamed(projectName);
        Map<LockedPackage, Set<String>> reached = walk(project, extras);
        List<ResolvedPackage> packages = reached.keySet().stream()
                .filter(p -> p != project || !p.source().isLocalTree())
                .filter(p -> !(p.source() instanceof PackageSource.Virtual))
                .sorted(Comparator.comparing(LockedPackage::name).thenComparing(VenvResolver::versionOrder))
                .map(p -> new ResolvedPackage(p, installation(p)))
                .toList();
        return new VenvResolution(project, target, packages);
    }

    /** Every package reached from the project, with the groups followed (identity keyed: entries are unique). */
    private Map<LockedPackage, Set<String>> walk(LockedPackage project, Set<String> projectExtras) {
        Map<LockedPackage, Set<String>> reached = new IdentityHashMap<>();
        Deque<Node> queue = new ArrayDeque<>();
        enqueue(reached, queue, project, null);
        for (String extra : new TreeSet<>(projectExtras)) {
            String normalized = PackageNames.normalize(extra);
            if (!project.optionalDependencies().containsKey(normalized)) {
                throw DeployException.input(lock.origin() + ":" + project.line() + ": package '" + project.name()
                        + "': has no extra '" + extra + "'; it has " + new TreeSet<>(project.optionalDependencies().keySet()));
            }
            enqueue(reached, queue, project, normalized);
        }
        while (!queue.isEmpty()) {
            Node node = queue.poll();
            List<LockDependency> edges = node.extra() == null ? node.lockedPackage().dependencies()
                    : node.lockedPackage().optionalDependencies().getOrDefault(node.extra(), List.of());
            MarkerEnvironment environment =
                    target.markerEnvironment(node.extra() == null ? Set.of() : Set.of(node.extra()));
            for (LockDependency edge : edges) {
                if (!applies(node.lockedPackage(), edge, environment)) {
                    continue;
                }
                LockedPackage dependency = lock.packageFor(edge);
                enqueue(reached, queue, dependency, null);
                for (String extra : edge.extras()) {
                    enqueue(reached, queue, dependency, extra);
                }
            }
        }
        return reached;
    }

    /** Queues the node unless it was visited; the default group is recorded as {@link #DEFAULT_GROUP}. */
    private static void enqueue(Map<LockedPackage, Set<String>> reached, Deque<Node> queue, LockedPackage p,
                                String extra) {
        if (reached.computeIfAbsent(p, key -> new TreeSet<>()).add(extra == null ? DEFAULT_GROUP : extra)) {
            queue.add(new Node(p, extra));
        }
    }

    private boolean applies(LockedPackage from, LockDependency edge, MarkerEnvironment environment) {
        try {
            return edge.marker().evaluate(environment);
        } catch (DeployException e) {
            throw DeployException.input(lock.origin() + ":" + edge.line() + ": package '" + from.name()
                    + "' dependency '" + edge.name() + "': " + e.getMessage());
        }
    }

    private Installation installation(LockedPackage p) {
        Optional<LockedWheel> wheel = selector.select(p.wheels());
        if (wheel.isPresent()) {
            return new Installation.Wheel(wheel.get());
        }
        if (p.sdist().isPresent()) {
            return new Installation.SdistOnly(p.sdist().get());
        }
        if (p.source().isLocalTree() || p.source() instanceof PackageSource.Git) {
            return new Installation.SourceTree(p.source());
        }
        return new Installation.Unavailable();
    }

    private static int versionOrder(LockedPackage a, LockedPackage b) {
        Optional<Pep440Version> va = a.version().flatMap(Pep440Version::tryParse);
        Optional<Pep440Version> vb = b.version().flatMap(Pep440Version::tryParse);
        if (va.isPresent() && vb.isPresent()) {
            return va.get().compareTo(vb.get());
        }
        return a.version().orElse("").compareTo(b.version().orElse(""));
    }

    /** A package, with {@code extra} null for its default dependencies or the extra whose dependencies to follow. */
    private record Node(LockedPackage lockedPackage, String extra) {
    }
}
