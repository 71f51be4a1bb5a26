package dev.deploy.venv;

import dev.deploy.DeployException;
import dev.deploy.host.Shell;
import dev.deploy.python.FileHash;
import dev.deploy.python.Installation;
import dev.deploy.python.LockedFile;
import dev.deploy.python.LockedPackage;
import dev.deploy.python.LockedWheel;
import dev.deploy.python.PackageNames;
import dev.deploy.python.PackageSource;
import dev.deploy.python.Pep440Version;
import dev.deploy.python.ResolvedPackage;
import dev.deploy.python.TargetEnvironment;
import dev.deploy.python.UvLock;
import dev.deploy.python.UvLockParser;
import dev.deploy.python.VenvResolution;
import dev.deploy.python.VenvResolver;
import dev.deploy.python.WheelFilename;
import dev.deploy.python.WheelSelector;
import dev.deploy.python.WheelTag;
import dev.deploy.python.WheelTags;
import dev.deploy.source.SourceSnapshot;
import dev.deploy.store.Artifact;
import dev.deploy.store.HostLayout;
import dev.deploy.store.StorePath;
import dev.deploy.store.TreeEntry;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.commons.codec.binary.Base32;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Turns a {@link VenvRequest} into a venv store path for one host, once the host's Python is known. Planning reads
 * only the project's uv.lock and pyproject.toml: it resolves the lock for that Python (markers, conflicts, wheel
 * tags), decides for each package the wheel to install or what to build one from ({@link InstallStep}), and names
 * the store path by those inputs (locked wheel hashes, interpreter, platform, state directory, builder version),
 * because the venv's scripts contain their own path. The venv itself is a {@linkplain Artifact#deferred deferred}
 * artifact: its wheels are fetched and verified, packages without a fitting wheel built on the host, and the tree
 * assembled only when apply needs its files, so {@code plan} downloads nothing and works offline. The same inputs
 * give the same path and tree on every host, and a run plans and builds each distinct venv once.
 */
public final class VenvRealizer implements Closeable {

    /** Changes whenever the venv layout this class writes changes, so that store paths change with it. */
    public static final String BUILDER_VERSION = "deploy-venv-1";

    /** Wheels downloaded at the same time on a first run. */
    private static final int FETCH_THREADS = 6;

    /**
     * Reads a commit of a git repository on the controller, for git packages of a lock (at apply); {@code where}
     * names the lock in messages.
     */
    @FunctionalInterface
    public interface GitTrees {
        SourceSnapshot read(String repository, String commit, String where);
    }

    /** A planned venv: the artifact to push (built on first use of its files) and what the plan says about it. */
    public record RealizedVenv(Artifact artifact, VenvReport report) {
    }

    private final FileCache cache;
    private final GitTrees git;
    private final Path packDir;
    private final WheelArchives archives = new WheelArchives();
    private final Map<String, RealizedVenv> planned = new ConcurrentHashMap<>();
    private final Map<String, Object> planning = new ConcurrentHashMap<>();

    /** A realizer without git access: a git package in a lock needs a wheel in the wheelhouse. */
    public VenvRealizer(FileCache cache) {
        this(cache, null);
    }

    /** {@code git} reads git packages' commits (through the run's source cache), or null for none. */
    public VenvRealizer(FileCache cache, GitTrees git) {
        this.cache = cache;
        this.git = git;
        this.packDir = cache.dir().resolveSibling("source-archives");
    }

    /**
     * The venv of {@code request} for {@code host}, whose Python is {@code interpreter} (a realpath) described by
     * {@code environment}; {@code sdists} builds, at apply, packages without a fitting wheel. Reads no network.
     */
    public RealizedVenv realize(VenvRequest request, String host, HostLayout layout, String interpreter,
                                TargetEnvironment environment, SdistBuilder sdists) {
        String key = String.join("\0", request.project().tree().hash(), request.packageName().orElse(""),
                String.join(",", request.extraNames()), String.join(",", request.groupNames()), interpreter,
                environment.toString(), layout.stateDir(), request.wheelhouse().map(w -> w.tree().hash()).orElse(""),
                request.role());
        RealizedVenv done = planned.get(key);
        if (done != null) {
            return done;
        }
        synchronized (planning.computeIfAbsent(key, k -> new Object())) {
            done = planned.get(key);
            if (done == null) {
                done = plan(request, host, layout, interpreter, environment, sdists);
                planned.put(key, done);
            }
            return done;
        }
    }

    private RealizedVenv plan(VenvRequest request, String host, HostLayout layout, String interpreter,
                              TargetEnvironment environment, SdistBuilder sdists) {
        String lockOrigin = "uv.lock (" + request.where() + ")";
        UvLock lock = UvLockParser.parse(lockOrigin, readProjectFile(request, "uv.lock"));
        ProjectFile project = ProjectFile.parse("pyproject.toml (" + request.where() + ")",
                readProjectFile(request, "pyproject.toml"));
        String packageName = request.packageName().or(project::name).orElseThrow(() -> DeployException.input(
                request.where() + ": package: not set, and pyproject.toml has no [project].name"));
        checkSelection(request, lock, packageName);
        VenvResolution resolution = VenvResolver.resolve(lock, environment, packageName,
                new TreeSet<>(request.extraNames()), new TreeSet<>(request.groupNames()));

        WheelTags tags = WheelTags.forTarget(environment);
        List<InstallStep> steps = new ArrayList<>();
        for (ResolvedPackage resolved : resolution.packages()) {
            steps.add(step(request, host, environment, tags, sdists, lockOrigin, resolved));
        }
        String version = resolution.project().version().or(project::version).orElse("0");
        String name = StorePath.sanitizeName("venv-" + PackageNames.normalize(packageName) + "-" + version);
        String identity = String.join("\n", BUILDER_VERSION, layout.stateDir(), interpreter, environment.describe(),
                String.join(",", project.scripts().stream().map(s -> s.group() + ":" + s.name() + "=" + s.module()
                        + ":" + s.attribute()).toList()),
                String.join("\n", steps.stream().map(InstallStep::identity).toList()));
        StorePath storePath = namedByInputs(name, identity);
        String origin = "venv " + PackageNames.normalize(packageName) + " " + version + " for " + interpreter + " ("
                + environment.describe() + "), " + steps.size() + " packages";
        VenvAssembler.Target target = new VenvAssembler.Target(layout.storePath(storePath), interpreter,
                environment.pythonVersion());
        Artifact artifact = Artifact.deferred(storePath, origin, Optional.of(byteCompile(interpreter)),
                () -> build(target, steps, project, sdists));

        int filesToFetch = 0;
        long bytesToFetch = 0;
        for (InstallStep step : steps) {
            OptionalLong bytes = step.input().toFetch(cache);
            if (bytes.isPresent()) {
                filesToFetch++;
                bytesToFetch += bytes.getAsLong();
            }
        }
        List<VenvReport.PackageLine> lines = steps.stream().map(step -> new VenvReport.PackageLine(step.pkg().name(),
                step.pkg().version().orElse(""), describeInput(step), step.via())).toList();
        VenvReport report = new VenvReport(request.role(), storePath.toString(),
                interpreter + " (" + environment.describe() + ")", lines,
                project.scripts().stream().map(s -> s.name()).toList(), List.copyOf(resolution.extras()),
                List.copyOf(resolution.groups()), filesToFetch, bytesToFetch);
        return new RealizedVenv(artifact, report);
    }

    /** An unknown or conflicting extra or group is an input error at the place the venv declaration names it. */
    private static void checkSelection(VenvRequest request, UvLock lock, String packageName) {
        VenvResolver.checkSelection(lock, packageName, request.extraNames(), request.groupNames())
                .ifPresent(problem -> {
                    List<VenvRequest.Selected> named = problem.field() == VenvResolver.Field.EXTRAS
                            ? request.extras() : request.groups();
                    VenvRequest.Selected at = named.stream()
                            .filter(s -> PackageNames.normalize(s.name()).equals(PackageNames.normalize(problem.name())))
                            .reduce((a, b) -> b).orElse(null);
                    String detail = lock.origin() + ": " + problem.detail();
                    if (at == null || at.location() == null) {
                        throw DeployException.input(request.where() + ": " + detail);
                    }
                    throw DeployException.input(at.location(), at.field(), detail);
                });
    }

    private static String describeInput(InstallStep step) {
        if (step.input() instanceof InstallStep.Packed) {
            PackageSource source = step.pkg().source();
            if (source instanceof PackageSource.Git gitSource) {
                return "git " + LockGitSource.parse(gitSource.url()).map(LockGitSource::describe)
                        .orElse(gitSource.url());
            }
            return "workspace member " + memberPath(source).orElse(source.toString());
        }
        return step.input().fileName();
    }

    /** Decides how {@code resolved} gets in; anything that could only fail at apply fails here instead. */
    private InstallStep step(VenvRequest request, String host, TargetEnvironment environment, WheelTags tags,
                             SdistBuilder sdists, String lockOrigin, ResolvedPackage resolved) {
        LockedPackage pkg = resolved.lockedPackage();
        Supplier<String> what = () -> lockOrigin + ":" + pkg.line() + ": package '" + pkg.describe() + "'";
        Installation installation = resolved.installation();
        if (installation instanceof Installation.Wheel chosen) {
            return new InstallStep(pkg, what, VenvReport.Via.LOCK_WHEEL, lockedFile(request, what, chosen.wheel()
                    .file()), false);
        }
        Optional<InstallStep.InTree> fromWheelhouse = fromWheelhouse(request, pkg, tags);
        if (fromWheelhouse.isPresent()) {
            return new InstallStep(pkg, what, VenvReport.Via.WHEELHOUSE, fromWheelhouse.get(), false);
        }
        if (installation instanceof Installation.SdistOnly sdist) {
            if (!sdists.available()) {
                throw noWheel(what, host, pkg, environment, tags, request);
            }
            return new InstallStep(pkg, what, VenvReport.Via.BUILT_FROM_SDIST, lockedFile(request, what,
                    sdist.sdist()), true);
        }
        if (installation instanceof Installation.SourceTree tree) {
            InstallStep.Packed packed = sourceTree(request, pkg, what, tree.source());
            if (!sdists.available()) {
                throw DeployException.input(what.get() + ": comes from " + tree.source() + " and no fitting wheel is in "
                        + "the venv's wheelhouse; deploy builds such packages on the host (needs pip and its build "
                        + "backend there), which this run cannot do");
            }
            return new InstallStep(pkg, what, VenvReport.Via.BUILT_FROM_SOURCE, packed, true);
        }
        throw noWheel(what, host, pkg, environment, tags, request);
    }

    /**
     * A wheel or sdist the lock names: at a URL (needs a hash to verify it), or by a path relative to the lock, which
     * must lie inside the project's source (read from there; its hash is the tree's when the lock has none).
     */
    private static InstallStep.Input lockedFile(VenvRequest request, Supplier<String> what, LockedFile file) {
        String location = file.location();
        boolean url = location.toLowerCase(Locale.ROOT).matches("[a-z][a-z0-9+.-]*:.*");
        if (!url) {
            Optional<String> inProject = relativeInside(location);
            Optional<TreeEntry> entry = inProject.flatMap(path -> fileEntry(request.project(), path));
            if (entry.isEmpty()) {
                throw DeployException.input(what.get() + ": the lock names " + location + ", which is not a file inside "
                        + "the project's source " + request.project().origin() + "; deploy reads files a lock names by "
                        + "path only from there");
            }
            FileHash hash = file.hash().orElse(new FileHash("sha256", entry.get().sha256()));
            return new InstallStep.InTree(request.project(), entry.get(), file.fileName(), hash);
        }
        FileCache.checkFetchable(what, location);
        FileHash hash = file.hash().orElseThrow(() -> DeployException.input(what.get() + ": " + location
                + ": the lock records no hash for it, so it cannot be verified"));
        return new InstallStep.Remote(file, hash);
    }

    /**
     * A workspace member (editable or directory source, a path relative to the lock) packed from the project's
     * source, or a git package packed from the commit the lock pins. Refused here, with what to do, when its files
     * cannot be had.
     */
    private InstallStep.Packed sourceTree(VenvRequest request, LockedPackage pkg, Supplier<String> what,
                                          PackageSource source) {
        String top = StorePath.sanitizeName(pkg.name().replace('-', '_') + "-" + pkg.version().orElse("0"));
        if (source instanceof PackageSource.Git gitSource) {
            LockGitSource locked = LockGitSource.parse(gitSource.url()).orElseThrow(() -> DeployException.input(
                    what.get() + ": its git source " + gitSource.url() + " pins no full commit id (or its subdirectory "
                    + "leaves the repository); relock it, or put a wheel for it in the venv's wheelhouse"));
            if (git == null) {
                throw DeployException.input(what.get() + ": comes from git " + locked.describe() + ", which this run "
                        + "cannot fetch; put a wheel for it in the venv's wheelhouse");
            }
            String identity = "git " + locked.repository() + " " + locked.commit() + " " + locked.subdirectory();
            return new InstallStep.Packed(DigestUtils.sha256Hex(identity), top,
                    () -> git.read(locked.repository(), locked.commit(), what.get()), locked.subdirectory());
        }
        Optional<String> member = memberPath(source);
        if (member.isEmpty()) {
            throw DeployException.input(what.get() + ": is the workspace member " + source + ", outside the project's "
                    + "source " + request.project().origin() + "; deploy builds members only from inside it: move "
                    + "it there, or put a wheel for it in the venv's wheelhouse");
        }
        String prefix = member.get();
        boolean buildable = fileEntry(request.project(), join(prefix, "pyproject.toml")).isPresent()
                || fileEntry(request.project(), join(prefix, "setup.py")).isPresent();
        if (!buildable) {
            throw DeployException.input(what.get() + ": is the workspace member " + (prefix.isEmpty() ? "." : prefix)
                    + ", which has no pyproject.toml or setup.py in the project's source " + request.project().origin()
                    + " to build it from; put a wheel for it in the venv's wheelhouse");
        }
        Artifact project = request.project();
        return new InstallStep.Packed(SourceArchive.identity(project.tree(), prefix), top,
                () -> new SourceSnapshot(project.tree(), project.contents(), project.origin()), prefix);
    }

    /** The directory of a local source (editable, directory, virtual) relative to the project root, if inside it. */
    private static Optional<String> memberPath(PackageSource source) {
        String path = source instanceof PackageSource.Editable e ? e.path()
                : source instanceof PackageSource.Directory d ? d.path()
                : source instanceof PackageSource.Virtual v ? v.path() : null;
        return path == null ? Optional.empty() : relativeInside(path);
    }

    /** {@code path} made relative and normalized ({@code ""} for the root), unless it leaves the directory. */
    private static Optional<String> relativeInside(String path) {
        if (path.startsWith("/") || path.contains("\\") || path.matches("[A-Za-z]:.*")) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                return Optional.empty();
            }
            parts.add(part);
        }
        return Optional.of(String.join("/", parts));
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    private static Optional<TreeEntry> fileEntry(Artifact tree, String path) {
        return tree.tree().entries().stream()
                .filter(e -> e.path().equals(path) && e.kind() == TreeEntry.Kind.FILE).findFirst();
    }

    /** Fetches, builds and assembles the venv: what apply does the first time it needs the venv's files. */
    private Artifact.Built build(VenvAssembler.Target target, List<InstallStep> steps, ProjectFile project,
                                 SdistBuilder sdists) {
        prefetch(steps);
        List<Path> wheels = new ArrayList<>();
        for (InstallStep step : steps) {
            Path file = step.input().obtain(cache, packDir, step.what());
            if (step.build()) {
                file = sdists.build(step.what(), step.pkg(), file);
                if (file == null) {
                    throw DeployException.input(step.what().get() + ": has no fitting wheel and this run cannot build it");
                }
            }
            wheels.add(file);
        }
        VenvAssembler.AssembledVenv venv = VenvAssembler.assemble(target, wheels, project.scripts(), archives);
        return new Artifact.Built(venv.tree(), venv.contents());
    }

    /** Downloads the locked files a few at a time, so a first run over a big lock is not one long queue. */
    private void prefetch(List<InstallStep> steps) {
        List<InstallStep> remote = steps.stream().filter(s -> s.input() instanceof InstallStep.Remote).toList();
        if (remote.size() < 2) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(FETCH_THREADS, remote.size()));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (InstallStep step : remote) {
                futures.add(pool.submit(() -> step.input().obtain(cache, packDir, step.what())));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching wheels", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Byte-compiles the venv's libraries on the host, in the received directory, recording the final path in the
     * {@code .pyc} files; a file that does not compile (as pip tolerates) does not fail the deploy.
     */
    static String byteCompile(String interpreter) {
        return Shell.quote(interpreter) + " -m compileall -qq -j 0 -s \"$PWD\" -p \"$final\" --invalidation-mode "
                + "unchecked-hash \"$PWD/lib\" >/dev/null 2>&1 || true";
    }

    private static StorePath namedByInputs(String name, String identity) {
        byte[] digest = DigestUtils.sha256(("deploy-venv-path-v1\0" + name + "\0" + identity)
                .getBytes(StandardCharsets.UTF_8));
        String hash = new Base32().encodeAsString(Arrays.copyOf(digest, 20)).toLowerCase(Locale.ROOT);
        return new StorePath(hash, name);
    }

    /** The best wheel of the wheelhouse for {@code pkg}'s locked version on the host, chosen by its tags. */
    private static Optional<InstallStep.InTree> fromWheelhouse(VenvRequest request, LockedPackage pkg,
                                                               WheelTags tags) {
        if (request.wheelhouse().isEmpty() || pkg.version().isEmpty()) {
            return Optional.empty();
        }
        Artifact wheelhouse = request.wheelhouse().get();
        Optional<Pep440Version> wanted = Pep440Version.tryParse(pkg.version().get());
        List<LockedWheel> candidates = new ArrayList<>();
        Map<String, TreeEntry> byName = new java.util.HashMap<>();
        for (TreeEntry entry : wheelhouse.tree().entries()) {
            String fileName = entry.path().substring(entry.path().lastIndexOf('/') + 1);
            if (entry.kind() != TreeEntry.Kind.FILE || !fileName.endsWith(".whl")) {
                continue;
            }
            WheelFilename filename;
            try {
                filename = WheelFilename.parse(fileName);
            } catch (IllegalArgumentException e) {
                continue;
            }
            Optional<Pep440Version> version = Pep440Version.tryParse(filename.version());
            boolean sameVersion = wanted.isPresent() && version.isPresent() ? wanted.get().equals(version.get())
                    : filename.version().equals(pkg.version().get());
            if (filename.normalizedName().equals(pkg.name()) && sameVersion) {
                candidates.add(new LockedWheel(new LockedFile(entry.path(), Optional.of(new FileHash("sha256",
                        entry.sha256())), OptionalLong.of(entry.size())), filename));
                byName.put(entry.path(), entry);
            }
        }
        return new WheelSelector(tags).select(candidates).map(chosen -> new InstallStep.InTree(wheelhouse,
                byName.get(chosen.file().location()), chosen.file().fileName(), chosen.file().hash().orElseThrow()));
    }

    private static DeployException noWheel(Supplier<String> what, String host, LockedPackage pkg,
                                           TargetEnvironment environment, WheelTags tags, VenvRequest request) {
        List<String> available = pkg.wheels().stream().map(w -> w.file().fileName()).toList();
        String accepted = tagsSummary(tags);
        return DeployException.input(what.get() + ": no wheel fits host " + host + " (" + environment.describe()
                + "; accepts " + accepted + "); the lock has " + (available.isEmpty() ? "no wheels"
                : String.join(", ", available)) + (pkg.sdist().isPresent() ? " and an sdist" : " and no sdist")
                + (request.wheelhouse().isPresent() ? "; the wheelhouse has none for it either"
                : "; add a wheel for it to a wheelhouse"));
    }

    /** The host's tags in short: interpreters, ABIs and platforms it accepts, best first. */
    static String tagsSummary(WheelTags tags) {
        LinkedHashSet<String> interpreters = new LinkedHashSet<>();
        LinkedHashSet<String> abis = new LinkedHashSet<>();
        LinkedHashSet<String> platforms = new LinkedHashSet<>();
        for (WheelTag tag : tags.ordered()) {
            interpreters.add(tag.interpreter());
            abis.add(tag.abi());
            platforms.add(tag.platform());
        }
        return tags.ordered().size() + " tags: python " + shortList(interpreters) + ", abi " + shortList(abis)
                + ", platform " + shortList(platforms) + "; e.g. " + tags.ordered().get(0) + " or py3-none-any";
    }

    private static String shortList(java.util.Collection<String> items) {
        List<String> list = List.copyOf(items);
        if (list.size() <= 4) {
            return String.join("/", list);
        }
        return String.join("/", list.subList(0, 3)) + "/.../" + list.get(list.size() - 1);
    }

    /** The largest uv.lock or pyproject.toml read, in bytes (as {@link dev.deploy.python.TomlReader} bounds it). */
    private static final long MAX_PROJECT_FILE = 4L * dev.deploy.python.TomlReader.MAX_CHARS;

    private static String readProjectFile(VenvRequest request, String fileName) {
        Artifact project = request.project();
        TreeEntry entry = fileEntry(project, fileName).orElseThrow(() -> DeployException.input(request.where()
                + ": project: the source " + project.origin() + " has no " + fileName + " at its root"));
        if (entry.size() > MAX_PROJECT_FILE) {
            throw DeployException.input(request.where() + ": project: " + fileName + " is " + entry.size()
                    / (1024 * 1024) + " MiB, more than deploy reads");
        }
        try (InputStream in = project.contents().open(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw DeployException.input(request.where() + ": project: cannot read " + fileName + ": "
                    + e.getMessage());
        }
    }

    @Override
    public void close() {
        archives.close();
    }
}
