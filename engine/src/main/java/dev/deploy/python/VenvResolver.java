package dev.deploy.python;

import dev.deploy.DeployException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides what a venv for one host contains, the way {@code uv sync --frozen --no-editable} reads the same lock
 * (uv's {@code Installable::to_resolution}): starting at the project, it follows the default dependencies, the
 * requested extras and dependency groups, and the extras each edge requests, keeping only edges whose marker holds
 * on the host, then picks for each package reached the best wheel for the host.
 *
 * <p>In a lock with {@code conflicts}, markers also name conflict items ({@link ConflictItem}); they are evaluated
 * against the items active for this install: the project itself, its requested extras and groups, and every extra
 * some reached edge requests. As in uv, a first walk collects those extras (following each package only under the
 * conditions that reach it), refuses two extras the lock declares conflicting, and a second walk, with the
 * active set fixed, decides the packages. Requesting two items of one conflict set is refused before that.
 */
public final class VenvResolver {

    /**
     * At most this many conflict items may be switched on by the walk itself (items the project's selection turns on
     * are fixed and do not count); the first walk keeps a truth table over them per package.
     */
    static final int MAX_WALK_ACTIVATED_ITEMS = 16;

    private final UvLock lock;
    private final TargetEnvironment target;
    private final WheelSelector selector;
    private final MarkerEnvironment plain;
    private final Map<String, List<LockedPackage>> byName;

    private VenvResolver(UvLock lock, TargetEnvironment target) {
        this.lock = lock;
        this.target = target;
        this.selector = new WheelSelector(WheelTags.forTarget(target));
        this.plain = target.markerEnvironment();
        this.byName = lock.packages().stream().collect(Collectors.groupingBy(LockedPackage::name));
    }

    /** What of the project to install besides its default dependencies. */
    public enum Field {
        EXTRAS, GROUPS
    }

    /**
     * Why a selection of extras and groups cannot be installed: which field and name, and what is wrong, e.g.
     * {@code package 'app': has no extra 'mysql'; it has [postgres]}; {@code unknown} tells a name the project lacks
     * from a combination the lock declares conflicting.
     */
    public record SelectionProblem(Field field, String name, boolean unknown, String detail) {
    }

    /** The venv contents for {@code project} (a package name in the lock) on {@code target}, without extras. */
    public static VenvResolution resolve(UvLock lock, TargetEnvironment target, String project) {
        return resolve(lock, target, project, Set.of(), Set.of());
    }

    /** The venv contents for {@code project} on {@code target}, with the project's {@code extras} installed too. */
    public static VenvResolution resolve(UvLock lock, TargetEnvironment target, String project, Set<String> extras) {
        return resolve(lock, target, project, extras, Set.of());
    }

    /**
     * The venv contents for {@code project} on {@code target}, with the project's {@code extras} and dependency
     * {@code groups} installed too. An unknown or conflicting selection is an input error (see
     * {@link #checkSelection} to get it as a value first).
     */
    public static VenvResolution resolve(UvLock lock, TargetEnvironment target, String project, Set<String> extras,
                                         Set<String> groups) {
        return new VenvResolver(lock, target).run(project, normalized(extras), normalized(groups));
    }

    /**
     * Checks, for any host, that {@code project} has these extras and groups and that the lock does not declare two of
     * them conflicting (what {@code uv sync} checks before installing). Cheap: it names no lock line. Conflicts that only arise further down the
     * graph, through extras that dependencies request, are found by {@link #resolve}.
     */
    public static Optional<SelectionProblem> checkSelection(UvLock lock, String project, Collection<String> extras,
                                                            Collection<String> groups) {
        LockedPackage root = lock.onlyPackageNamed(project);
        for (String extra : extras) {
            if (!root.knownExtras().contains(PackageNames.normalize(extra))) {
                return Optional.of(new SelectionProblem(Field.EXTRAS, extra, true, "package '" + root.name()
                        + "': has no extra '" + extra + "'; it has " + root.knownExtras()));
            }
        }
        for (String group : groups) {
            if (!root.knownGroups().contains(PackageNames.normalize(group))) {
                return Optional.of(new SelectionProblem(Field.GROUPS, group, true, "package '" + root.name()
                        + "': has no dependency group '" + group + "'; it has "
                        + (root.knownGroups().isEmpty() ? "none" : root.knownGroups())));
            }
        }
        Set<String> extraSet = normalized(extras);
        Set<String> groupSet = normalized(groups);
        for (List<ConflictItem> set : lock.conflicts()) {
            List<ConflictItem> selected = set.stream()
                    .filter(item -> item.packageName().equals(root.name()))
                    .filter(item -> switch (item.kind()) {
                        case PROJECT -> true;
                        case EXTRA -> extraSet.contains(item.name());
                        case GROUP -> groupSet.contains(item.name());
                    })
                    .toList();
            if (selected.size() >= 2) {
                ConflictItem last = selected.stream().filter(i -> i.kind() != ConflictItem.Kind.PROJECT)
                        .reduce((a, b) -> b).orElse(selected.get(selected.size() - 1));
                return Optional.of(new SelectionProblem(field(last), last.name(), false, selected.stream()
                        .map(ConflictItem::describe).collect(Collectors.joining(" and ")) + " are declared conflicting (the lock's conflicts = [" + describe(set)
                        + "]): select at most one of them"));
            }
        }
        return Optional.empty();
    }

    private static Field field(ConflictItem item) {
        return item.kind() == ConflictItem.Kind.GROUP ? Field.GROUPS : Field.EXTRAS;
    }

    private static String describe(List<ConflictItem> set) {
        return set.stream().map(ConflictItem::describe).collect(Collectors.joining(", "));
    }

    private static Set<String> normalized(Collection<String> names) {
        Set<String> out = new TreeSet<>();
        names.forEach(name -> out.add(PackageNames.normalize(name)));
        return out;
    }

    private VenvResolution run(String projectName, Set<String> extras, Set<String> groups) {
        lock.requiresPython().ifPresent(spec -> {
            if (!spec.contains(target.python())) {
                throw DeployException.input(lock.origin() + ": requires-python '" + spec + "' excludes the host's "
                        + "Python " + target.pythonVersion());
            }
        });
        if (!lock.supportedMarkers().isEmpty()
                && lock.supportedMarkers().stream().noneMatch(marker -> evaluate(marker, plain))) {
            throw DeployException.input(lock.origin() + ": the lock was made only for supported-markers "
                    + lock.supportedMarkers().stream().map(m -> "'" + m + "'").collect(Collectors.joining(", "))
                    + ", which the host's Python (" + target.describe() + ") is not; relock with it added to "
                    + "[tool.uv] environments");
        }
        LockedPackage project = lock.onlyPackageNamed(projectName);
        checkSelection(lock, projectName, extras, groups).ifPresent(problem -> {
            throw DeployException.input(lock.origin() + (problem.unknown() ? ":" + project.line() : "") + ": "
                    + problem.detail());
        });
        Set<LockedPackage> reached = new Walk(project, extras, groups).run();
        List<ResolvedPackage> packages = reached.stream()
                .filter(p -> p != project || !p.source().isLocalTree())
                .filter(p -> !(p.source() instanceof PackageSource.Virtual))
                .sorted(Comparator.comparing(LockedPackage::name).thenComparing(VenvResolver::versionOrder))
                .map(p -> new ResolvedPackage(p, installation(p)))
                .toList();
        return new VenvResolution(project, target, packages, extras, groups);
    }

    private boolean evaluate(Marker marker, MarkerEnvironment environment) {
        try {
            return marker.evaluate(environment);
        } catch (DeployException e) {
            throw DeployException.input(lock.origin() + ": marker '" + marker + "': " + e.getMessage());
        }
    }

    /** A package, with {@code extra} null for its default dependencies or the extra whose dependencies to follow. */
    private record Node(LockedPackage lockedPackage, String extra) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Node node && node.lockedPackage == lockedPackage
                    && java.util.Objects.equals(node.extra, extra);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(lockedPackage) * 31 + java.util.Objects.hashCode(extra);
        }
    }

    /** One resolution walk over the lock from the project. */
    private final class Walk {

        private final LockedPackage root;
        private final boolean hasConflicts = !lock.conflicts().isEmpty();
        /** Every package added to the venv (and the project), identity-keyed since entries are unique. */
        private final Set<LockedPackage> included = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        /** Encoded conflict items active so far: the project, its extras and groups, extras edges requested. */
        private final Set<String> active = new LinkedHashSet<>();
        /** The extras among them, as (package, extra) items, for the conflict check. */
        private final Set<ConflictItem> activeExtras = new LinkedHashSet<>();
        private final Deque<Node> queue = new ArrayDeque<>();
        private final Set<Node> seen = new HashSet<>();
        /** The condition under which each queued node is reached, before the walk knows which extras are active. */
        private final Map<Node, Marker> initialReach = new LinkedHashMap<>();
        /** The union of the lock's forks; uv intersects every edge's marker with it. */
        private final Marker forks;

        Walk(LockedPackage root, Set<String> extras, Set<String> groups) {
            this.root = root;
            this.forks = lock.resolutionMarkers().isEmpty() ? Marker.ALWAYS : new Marker.Or(lock.resolutionMarkers());
            List<String> rootExtras = root.optionalDependencies().keySet().stream().filter(extras::contains)
                    .sorted().toList();
            List<String> rootGroups = root.dependencyGroups().keySet().stream().filter(groups::contains)
                    .sorted().toList();
            if (hasConflicts) {
                active.add(ConflictItem.project(root.name()).encoded());
                rootExtras.forEach(e -> activateExtra(ConflictItem.extra(root.name(), e)));
                rootGroups.forEach(g -> active.add(ConflictItem.group(root.name(), g).encoded()));
            }
            included.add(root);
            queue.add(new Node(root, null));
            initialReach.put(new Node(root, null), Marker.ALWAYS);
            for (String extra : rootExtras) {
                queue.add(new Node(root, extra));
                initialReach.put(new Node(root, extra), Marker.ALWAYS);
            }
            for (String group : rootGroups) {
                for (LockDependency edge : root.dependencyGroups().get(group)) {
                    List<ConflictItem> newlyActive = newlyActivated(edge);
                    Set<String> withThem = new LinkedHashSet<>(active);
                    newlyActive.forEach(item -> withThem.add(item.encoded()));
                    if (!holds(root, edge, withThem)) {
                        continue;
                    }
                    LockedPackage dependency = packageFor(edge);
                    included.add(dependency);
                    newlyActive.forEach(this::activateExtra);
                    Marker reach = forks == Marker.ALWAYS ? edge.marker()
                            : new Marker.And(List.of(edge.marker(), forks));
                    reachInitially(new Node(dependency, null), reach);
                    for (String extra : new TreeSet<>(edge.extras())) {
                        reachInitially(new Node(dependency, extra), reach);
                    }
                }
            }
        }

        private void reachInitially(Node node, Marker marker) {
            initialReach.merge(node, marker, (a, b) -> new Marker.Or(List.of(a, b)));
            if (seen.add(node)) {
                queue.add(node);
            }
        }

        private void activateExtra(ConflictItem item) {
            activeExtras.add(item);
            active.add(item.encoded());
        }

        /** The extras {@code edge} requests that are not active yet, as conflict items of the package it names. */
        private List<ConflictItem> newlyActivated(LockDependency edge) {
            return new TreeSet<>(edge.extras()).stream().map(extra -> ConflictItem.extra(edge.name(), extra))
                    .filter(item -> !activeExtras.contains(item)).toList();
        }

        private boolean holds(LockedPackage from, LockDependency edge, Set<String> activeItems) {
            MarkerEnvironment environment = activeItems.isEmpty() ? plain : plain.withExtras(activeItems);
            try {
                return edge.marker().evaluate(environment) && forks.evaluate(environment);
            } catch (DeployException e) {
                throw DeployException.input(lock.origin() + ":" + edge.line() + ": package '" + from.name()
                        + "' dependency '" + edge.name() + "': " + e.getMessage());
            }
        }

        Set<LockedPackage> run() {
            if (hasConflicts) {
                new ExtraDiscovery(this).run();
                checkActiveExtras();
            }
            // With the active items fixed, each edge's marker decides alone (as in uv's final traversal).
            Set<String> fixed = Set.copyOf(active);
            while (!queue.isEmpty()) {
                Node node = queue.poll();
                for (LockDependency edge : edges(node)) {
                    if (!holds(node.lockedPackage(), edge, fixed)) {
                        continue;
                    }
                    LockedPackage dependency = packageFor(edge);
                    included.add(dependency);
                    if (seen.add(new Node(dependency, null))) {
                        queue.add(new Node(dependency, null));
                    }
                    for (String extra : new TreeSet<>(edge.extras())) {
                        if (seen.add(new Node(dependency, extra))) {
                            queue.add(new Node(dependency, extra));
                        }
                    }
                }
            }
            return included;
        }

        /** uv refuses an install in which two extras of one conflict set end up active, however they got there. */
        private void checkActiveExtras() {
            List<ConflictItem> sorted = activeExtras.stream()
                    .sorted(Comparator.comparing(ConflictItem::packageName).thenComparing(ConflictItem::name))
                    .toList();
            for (List<ConflictItem> set : lock.conflicts()) {
                for (int i = 0; i < sorted.size(); i++) {
                    for (int j = i + 1; j < sorted.size(); j++) {
                        if (set.contains(sorted.get(i)) && set.contains(sorted.get(j))) {
                            throw DeployException.input(lock.origin() + ": installing " + root.name()
                                    + " with this selection turns on both " + sorted.get(i).describe() + " and "
                                    + sorted.get(j).describe() + ", which the lock declares conflicting (conflicts = ["
                                    + describe(set) + "]); select other extras or groups");
                        }
                    }
                }
            }
        }
    }

    /**
     * uv's first walk over a lock with conflicts: it follows edges under the condition that reaches their package
     * (the conjunction of the markers on the way, over the conflict items the walk may still switch on) and records
     * every extra an edge that holds requests. A condition is a truth table over those items (bit {@code i} of an
     * index set means item {@code i} is on), so that "did this package's condition grow" is decided exactly, as uv
     * decides it with its marker algebra, and the walk ends.
     */
    private final class ExtraDiscovery {

        private final Walk walk;
        private final Map<String, Integer> variables = new LinkedHashMap<>();
        private final Set<String> fixedOn;
        private final int words;
        private final Map<Marker, long[]> tables = new IdentityHashMap<>();
        private final long[] forksTable;
        private long assignment;

        ExtraDiscovery(Walk walk) {
            this.walk = walk;
            this.fixedOn = Set.copyOf(walk.active);
            Set<String> mentioned = new HashSet<>();
            Set<String> switchable = new TreeSet<>();
            for (LockedPackage p : lock.packages()) {
                for (LockDependency edge : p.allEdges()) {
                    edge.marker().collectExtraValues(mentioned);
                    edge.extras().forEach(extra -> switchable.add(ConflictItem.extra(edge.name(), extra).encoded()));
                }
            }
            lock.resolutionMarkers().forEach(m -> m.collectExtraValues(mentioned));
            for (String item : switchable) {
                if (mentioned.contains(item) && !fixedOn.contains(item)) {
                    variables.put(item, variables.size());
                }
            }
            if (variables.size() > MAX_WALK_ACTIVATED_ITEMS) {
                throw DeployException.input(lock.origin() + ": dependencies may switch on " + variables.size()
                        + " conflict items (" + String.join(", ", variables.keySet()) + "); deploy follows at most "
                        + MAX_WALK_ACTIVATED_ITEMS);
            }
            this.words = Math.max(1, (1 << variables.size()) / 64);
            this.forksTable = table(walk.forks);
        }

        void run() {
            Map<Node, long[]> reach = new HashMap<>();
            walk.initialReach.forEach((node, marker) -> reach.put(node, table(marker)));
            Deque<Node> queue = new ArrayDeque<>(walk.queue);
            while (!queue.isEmpty()) {
                Node node = queue.poll();
                long[] parent = reach.get(node);
                if (parent == null) {
                    continue;
                }
                for (LockDependency edge : edges(node)) {
                    List<ConflictItem> newlyActive = walk.newlyActivated(edge);
                    long index = assignment;
                    for (ConflictItem item : newlyActive) {
                        Integer bit = variables.get(item.encoded());
                        if (bit != null) {
                            index |= 1L << bit;
                        }
                    }
                    long[] edgeReach = and(and(table(edge.marker()), forksTable), parent);
                    if (!bit(edgeReach, index)) {
                        continue;
                    }
                    for (ConflictItem item : newlyActive) {
                        walk.activateExtra(item);
                        Integer bit = variables.get(item.encoded());
                        if (bit != null) {
                            assignment |= 1L << bit;
                        }
                    }
                    LockedPackage dependency = packageFor(edge);
                    if (orInto(reach, new Node(dependency, null), edgeReach)) {
                        queue.add(new Node(dependency, null));
                    }
                    for (String extra : new TreeSet<>(edge.extras())) {
                        if (orInto(reach, new Node(dependency, extra), edgeReach)) {
                            queue.add(new Node(dependency, extra));
                        }
                    }
                }
            }
        }

        /** The truth table of {@code marker} on this host over the variables, the fixed items being on. */
        private long[] table(Marker marker) {
            long[] known = tables.get(marker);
            if (known != null) {
                return known;
            }
            List<Integer> used = new ArrayList<>();
            List<String> usedNames = new ArrayList<>();
            for (String value : marker.extraValues()) {
                Integer bit = variables.get(value);
                if (bit != null) {
                    used.add(bit);
                    usedNames.add(value);
                }
            }
            boolean[] small = new boolean[1 << used.size()];
            for (int a = 0; a < small.length; a++) {
                Set<String> on = new LinkedHashSet<>(fixedOn);
                for (int i = 0; i < used.size(); i++) {
                    if ((a & (1 << i)) != 0) {
                        on.add(usedNames.get(i));
                    }
                }
                small[a] = evaluate(marker, on.isEmpty() ? plain : plain.withExtras(on));
            }
            long[] table = new long[words];
            int size = 1 << variables.size();
            for (int index = 0; index < size; index++) {
                int projected = 0;
                for (int i = 0; i < used.size(); i++) {
                    if ((index & (1 << used.get(i))) != 0) {
                        projected |= 1 << i;
                    }
                }
                if (small[projected]) {
                    table[index >>> 6] |= 1L << (index & 63);
                }
            }
            tables.put(marker, table);
            return table;
        }

        private long[] and(long[] a, long[] b) {
            long[] out = new long[words];
            for (int i = 0; i < words; i++) {
                out[i] = a[i] & b[i];
            }
            return out;
        }

        private static boolean bit(long[] table, long index) {
            return (table[(int) (index >>> 6)] & (1L << (index & 63))) != 0;
        }

        /** Adds {@code more} to the condition of {@code node}; true when that condition grew. */
        private boolean orInto(Map<Node, long[]> reach, Node node, long[] more) {
            long[] existing = reach.get(node);
            if (existing == null) {
                reach.put(node, more.clone());
                return true;
            }
            boolean grew = false;
            for (int i = 0; i < words; i++) {
                long merged = existing[i] | more[i];
                if (merged != existing[i]) {
                    existing[i] = merged;
                    grew = true;
                }
            }
            return grew;
        }
    }

    private List<LockDependency> edges(Node node) {
        return node.extra() == null ? node.lockedPackage().dependencies()
                : node.lockedPackage().optionalDependencies().getOrDefault(node.extra(), List.of());
    }

    /** The entry an edge points at (the parser checked there is exactly one). */
    private LockedPackage packageFor(LockDependency edge) {
        List<LockedPackage> named = byName.getOrDefault(edge.name(), List.of());
        if (named.size() == 1 && edge.version().isEmpty() && edge.source().isEmpty()) {
            return named.get(0);
        }
        return lock.packageFor(edge);
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
}
