package dev.deploy.venv;

import dev.deploy.DeployException;
import dev.deploy.host.Shell;
import dev.deploy.python.FileHash;
import dev.deploy.python.Installation;
import dev.deploy.python.LockedFile;
import dev.deploy.python.LockedPackage;
import dev.deploy.python.LockedWheel;
import dev.deploy.python.PackageNames;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.codec.binary.Base32;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Turns a {@link VenvRequest} into a venv store path for one host, once the host's Python is known: resolves the
 * lock for that Python (markers, wheel tags), fetches and verifies the chosen wheels, takes sdist-only packages
 * from the wheelhouse or has them built, and assembles the venv. The store path is named by the inputs (wheel
 * hashes, interpreter, platform, state directory, builder version), because the venv's scripts contain its own
 * path; the same inputs give the same path and tree on every host, and a run builds each distinct venv once.
 */
public final class VenvRealizer implements Closeable {

    /** Changes whenever the venv layout this class writes changes, so that store paths change with it. */
    public static final String BUILDER_VERSION = "deploy-venv-1";

    /** Wheels downloaded at the same time on a first run. */
    private static final int FETCH_THREADS = 6;

    /** A built venv: the artifact to push and what the plan says about it. */
    public record RealizedVenv(Artifact artifact, VenvReport report) {
    }

    private final FileCache cache;
    private final WheelArchives archives = new WheelArchives();
    private final Map<String, RealizedVenv> built = new ConcurrentHashMap<>();
    private final Map<String, Object> building = new ConcurrentHashMap<>();

    public VenvRealizer(FileCache cache) {
        this.cache = cache;
    }

    /**
     * The venv of {@code request} for {@code host}, whose Python is {@code interpreter} (a realpath) described by
     * {@code environment}; {@code sdists} builds packages
     * locked only as sdists when the wheelhouse has no wheel for them.
     */
    public RealizedVenv realize(VenvRequest request, String host, HostLayout layout, String interpreter,
                                TargetEnvironment environment, SdistBuilder sdists) {
        String key = String.join("\0", request.project().tree().hash(), request.packageName().orElse(""),
                String.join(",", request.extras()), interpreter, environment.toString(), layout.stateDir(),
                request.wheelhouse().map(w -> w.tree().hash()).orElse(""), request.role());
        RealizedVenv done = built.get(key);
        if (done != null) {
            return done;
        }
        synchronized (building.computeIfAbsent(key, k -> new Object())) {
            done = built.get(key);
            if (done == null) {
                done = build(request, host, layout, interpreter, environment, sdists);
                built.put(key, done);
            }
            return done;
        }
    }

    private RealizedVenv build(VenvRequest request, String host, HostLayout layout, String interpreter,
                               TargetEnvironment environment, SdistBuilder sdists) {
        String lockOrigin = "uv.lock (" + request.where() + ")";
        UvLock lock = UvLockParser.parse(lockOrigin, readProjectFile(request, "uv.lock"));
        ProjectFile project = ProjectFile.parse("pyproject.toml (" + request.where() + ")",
                readProjectFile(request, "pyproject.toml"));
        String packageName = request.packageName().or(project::name).orElseThrow(() -> DeployException.input(
                request.where() + ": package: not set, and pyproject.toml has no [project].name"));
        VenvResolution resolution = VenvResolver.resolve(lock, environment, packageName,
                new java.util.TreeSet<>(request.extras()));

        List<Path> wheels = new ArrayList<>();
        List<VenvReport.PackageLine> lines = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        WheelTags tags = WheelTags.forTarget(environment);
        prefetch(lockOrigin, resolution.packages());
        for (ResolvedPackage resolved : resolution.packages()) {
            LockedPackage pkg = resolved.lockedPackage();
            String what = lockOrigin + ":" + pkg.line() + ": package '" + pkg.describe() + "'";
            String version = pkg.version().orElse("");
            Installation installation = resolved.installation();
            Path wheel;
            VenvReport.Via via;
            if (installation instanceof Installation.Wheel chosen) {
                wheel = cache.fetch(what, chosen.wheel().file(), null);
                via = VenvReport.Via.LOCK_WHEEL;
            } else {
                Optional<Path> fromWheelhouse = fromWheelhouse(request, pkg, tags, what);
                if (fromWheelhouse.isPresent()) {
                    wheel = fromWheelhouse.get();
                    via = VenvReport.Via.WHEELHOUSE;
                } else if (installation instanceof Installation.SdistOnly sdist) {
                    Path sdistFile = cache.fetch(what, sdist.sdist(), null);
                    wheel = sdists.build(what, pkg, sdistFile);
                    if (wheel == null) {
                        throw noWheel(what, host, pkg, environment, tags, request);
                    }
                    via = VenvReport.Via.BUILT_FROM_SDIST;
                } else if (installation instanceof Installation.SourceTree tree) {
                    throw DeployException.input(what + ": comes from " + tree.source() + ", which deploy does not "
                            + "build; depend on a released version or put a wheel for it in the venv's wheelhouse");
                } else {
                    throw noWheel(what, host, pkg, environment, tags, request);
                }
            }
            wheels.add(wheel);
            lines.add(new VenvReport.PackageLine(pkg.name(), version, wheel.getFileName().toString(), via));
            // Fetched and wheelhouse wheels sit in a directory named by their hash; a built wheel may not be
            // byte-reproducible, so its own hash names the venv.
            String wheelHash = via == VenvReport.Via.BUILT_FROM_SDIST ? sha256(wheel)
                    : wheel.getParent().getFileName().toString();
            inputs.add(pkg.name() + " " + version + " " + wheel.getFileName() + " " + wheelHash);
        }
        String version = resolution.project().version().or(project::version).orElse("0");
        String name = StorePath.sanitizeName("venv-" + PackageNames.normalize(packageName) + "-" + version);
        String identity = String.join("\n", BUILDER_VERSION, layout.stateDir(), interpreter, environment.describe(),
                String.join(",", project.scripts().stream().map(s -> s.group() + ":" + s.name() + "=" + s.module()
                        + ":" + s.attribute()).toList()),
                String.join("\n", inputs));
        StorePath storePath = namedByInputs(name, identity);
        VenvAssembler.Target target = new VenvAssembler.Target(layout.storePath(storePath), interpreter,
                environment.pythonVersion());
        VenvAssembler.AssembledVenv venv = VenvAssembler.assemble(target, wheels, project.scripts(), archives);
        String origin = "venv " + PackageNames.normalize(packageName) + " " + version + " for " + interpreter + " ("
                + environment.describe() + "), " + wheels.size() + " packages";
        Artifact artifact = new Artifact(storePath, venv.tree(), venv.contents(), origin)
                .withSeal(byteCompile(interpreter));
        VenvReport report = new VenvReport(request.role(), storePath.toString(),
                interpreter + " (" + environment.describe() + ")", lines,
                project.scripts().stream().map(s -> s.name()).toList());
        return new RealizedVenv(artifact, report);
    }

    /** Downloads the chosen locked wheels a few at a time, so a first run over a big lock is not one long queue. */
    private void prefetch(String lockOrigin, List<ResolvedPackage> packages) {
        List<ResolvedPackage> wheels = packages.stream().filter(p -> p.installation().isWheel()).toList();
        if (wheels.size() < 2) {
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(FETCH_THREADS, wheels.size()));
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (ResolvedPackage resolved : wheels) {
                LockedPackage pkg = resolved.lockedPackage();
                LockedFile file = ((Installation.Wheel) resolved.installation()).wheel().file();
                futures.add(pool.submit(() -> cache.fetch(lockOrigin + ":" + pkg.line() + ": package '"
                        + pkg.describe() + "'", file, null)));
            }
            for (java.util.concurrent.Future<?> future : futures) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
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

    private static String sha256(Path file) {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return DigestUtils.sha256Hex(in);
        } catch (IOException e) {
            throw DeployException.input("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static StorePath namedByInputs(String name, String identity) {
        byte[] digest = DigestUtils.sha256(("deploy-venv-path-v1\0" + name + "\0" + identity)
                .getBytes(StandardCharsets.UTF_8));
        String hash = new Base32().encodeAsString(Arrays.copyOf(digest, 20)).toLowerCase(Locale.ROOT);
        return new StorePath(hash, name);
    }

    private Optional<Path> fromWheelhouse(VenvRequest request, LockedPackage pkg, WheelTags tags, String what) {
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
        return new WheelSelector(tags).select(candidates).map(chosen -> {
            TreeEntry entry = byName.get(chosen.file().location());
            return cache.store(what, "wheelhouse " + wheelhouse.origin() + ": " + entry.path(),
                    chosen.file().hash().orElseThrow(), chosen.file().fileName(),
                    () -> wheelhouse.contents().open(entry));
        });
    }

    private static DeployException noWheel(String what, String host, LockedPackage pkg, TargetEnvironment environment,
                                           WheelTags tags, VenvRequest request) {
        List<String> available = pkg.wheels().stream().map(w -> w.file().fileName()).toList();
        String accepted = tagsSummary(tags);
        return DeployException.input(what + ": no wheel fits host " + host + " (" + environment.describe()
                + "; accepts " + accepted + "); the lock has " + (available.isEmpty() ? "no wheels"
                : String.join(", ", available)) + (pkg.sdist().isPresent() ? " and an sdist" : " and no sdist")
                + (request.wheelhouse().isPresent() ? "; the wheelhouse has none for it either"
                : "; add a wheel for it to a wheelhouse"));
    }

    /** The host's tags in short: interpreters, ABIs and platforms it accepts, best first. */
    static String tagsSummary(WheelTags tags) {
        java.util.LinkedHashSet<String> interpreters = new java.util.LinkedHashSet<>();
        java.util.LinkedHashSet<String> abis = new java.util.LinkedHashSet<>();
        java.util.LinkedHashSet<String> platforms = new java.util.LinkedHashSet<>();
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

    private static String readProjectFile(VenvRequest request, String fileName) {
        Artifact project = request.project();
        TreeEntry entry = project.tree().entries().stream()
                .filter(e -> e.path().equals(fileName) && e.kind() == TreeEntry.Kind.FILE).findFirst()
                .orElseThrow(() -> DeployException.input(request.where() + ": project: the source "
                        + project.origin() + " has no " + fileName + " at its root"));
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
