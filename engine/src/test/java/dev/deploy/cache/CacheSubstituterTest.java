package dev.deploy.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.github.luben.zstd.Zstd;
import dev.deploy.host.CommandResult;
import dev.deploy.host.ForwardingConnection;
import dev.deploy.host.HostConnection;
import dev.deploy.host.LocalConnection;
import dev.deploy.store.Artifact;
import dev.deploy.store.HostLayout;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import dev.deploy.store.TreeEntry;
import dev.deploy.transfer.ArtifactPusher;
import dev.deploy.transfer.ArtifactPusherNamesTest;
import dev.deploy.transfer.BaseFetcher;
import dev.deploy.transfer.DeltaBases;
import dev.deploy.transfer.TransferProgress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code substitute.sh} on a local target (real sh, tar, sha256sum, and curl + zstd or python3 + libzstd) fetching
 * from {@link InMemoryObjectStore}'s HTTP server: what it installs, what it fetches, and how it refuses.
 */
class CacheSubstituterTest {

    @TempDir
    Path dir;

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final BinaryCache cache = CacheFixtures.cache(store);
    private final CacheKeys keys = new CacheKeys("pre/fix");
    private final LocalConnection connection = new LocalConnection("local1");

    @AfterEach
    void close() {
        cache.close();
    }

    private HostLayout layout(String name) {
        return new HostLayout(dir.resolve(name).toString());
    }

    private Substitution substitute(HostConnection on, HostLayout layout, List<Artifact> missing,
                                    Map<StorePath, BaseFetcher.Base> bases) {
        return cache.substituter(on.hostName()).substitute(on, layout, missing, bases);
    }

    @Test
    void pathsSharingContentFetchEachObjectOnceAndEndUpAsThePushLeavesThem() throws Exception {
        Artifact a = CacheFixtures.site("a", "A\n");
        Artifact b = CacheFixtures.site("b", "B\n");
        HostLayout host = layout("host");

        Substitution result = substitute(connection, host, List.of(a, b), Map.of());

        assertThat(result.remaining()).isEmpty();
        assertThat(result.outcome()).get().isInstanceOf(CacheOutcome.Substituted.class);
        CacheOutcome.Substituted done = (CacheOutcome.Substituted) result.outcome().get();
        assertThat(done.objects()).isEqualTo(31);
        assertThat(store.served.stream().filter(k -> k.startsWith(keys.objects()))).hasSize(31).doesNotHaveDuplicates();
        HostLayout pushed = layout("pushed");
        ArtifactPusher.push(connection, pushed, List.of(a, b), TransferProgress.NONE);
        for (Artifact artifact : List.of(a, b)) {
            assertThat(snapshot(Path.of(host.storePath(artifact.storePath()))))
                    .isEqualTo(snapshot(Path.of(pushed.storePath(artifact.storePath()))));
            assertThat(Path.of(host.store(), ".meta", artifact.storePath().toString())).exists();
        }
        assertThat(incoming(host)).isEmpty();
    }

    /**
     * The contract with the push: entries, modes, sizes, link targets and contents of a substituted store path, and
     * the meta list the host keeps for later deltas, are the same bytes as a pushed one's, for names that are not
     * UTF-8, hold newlines or backslashes, and link targets with "//".
     */
    @Test
    void aStorePathFromTheCacheIsByteIdenticalToAPushedOneIncludingItsMetaList() throws Exception {
        Artifact odd = ArtifactPusherNamesTest.oddNames();
        Artifact site = CacheFixtures.site("a", "A\n");
        HostLayout cached = layout("cached");
        HostLayout pushed = layout("pushed");

        Substitution result = substitute(connection, cached, List.of(odd, site), Map.of());
        ArtifactPusher.push(connection, pushed, List.of(odd, site), TransferProgress.NONE);

        assertThat(result.outcome()).get().isInstanceOf(CacheOutcome.Substituted.class);
        for (Artifact artifact : List.of(odd, site)) {
            byte[] fromCache = listing(cached, artifact);
            assertThat(fromCache).as(artifact.storePath().toString()).isEqualTo(listing(pushed, artifact));
            assertThat(Files.readAllBytes(Path.of(cached.meta(artifact.storePath()))))
                    .isEqualTo(Files.readAllBytes(Path.of(pushed.meta(artifact.storePath()))));
        }
        assertThat(new String(listing(cached, odd), StandardCharsets.ISO_8859_1)).contains("new\nline")
                .contains("caf\u00e9.txt");
        assertThat(incoming(cached)).isEmpty();
    }

    /**
     * A venv is a deferred artifact named by its inputs: the upload builds it (once), and the host substitutes it and
     * runs its seal step like a pushed one.
     */
    @Test
    void aDeferredArtifactIsBuiltOnceUploadedAndSubstitutedWithItsSealStep() throws Exception {
        Artifact site = CacheFixtures.site("venv-app-1.0", "venv\n");
        java.util.concurrent.atomic.AtomicInteger builds = new java.util.concurrent.atomic.AtomicInteger();
        Artifact venv = Artifact.deferred(new StorePath("a".repeat(32), "venv-app-1.0"), "venv app 1.0",
                Optional.of("printf built > sealed"), () -> {
                    builds.incrementAndGet();
                    return new Artifact.Built(site.tree(), site.contents());
                });
        HostLayout host = layout("host");

        Substitution result = substitute(connection, host, List.of(venv), Map.of());

        assertThat(result.outcome()).get().isInstanceOf(CacheOutcome.Substituted.class);
        assertThat(builds).hasValue(1);
        assertThat(store.objects).containsKey(keys.manifest(venv.storePath()));
        Path installed = Path.of(host.storePath(venv.storePath()));
        assertThat(Files.readString(installed.resolve("sealed"))).isEqualTo("built");
        assertThat(Files.readString(installed.resolve("index.html"))).isEqualTo("venv\n");
    }

    /** Every entry of a store path on the host as bytes: kind, mode, size, path, link target, then every file's sum. */
    private byte[] listing(HostLayout layout, Artifact artifact) throws IOException {
        CommandResult result = connection.run("cd '" + layout.storePath(artifact.storePath()) + "' && LC_ALL=C find . "
                + "-mindepth 1 -printf '%y %m %s %P\\0%l\\0' | LC_ALL=C sort -z && LC_ALL=C find . -type f -print0 "
                + "| LC_ALL=C sort -z | xargs -0 sha256sum --");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout();
    }

    @Test
    void filesTheHostHasInAnEarlierVersionAreCopiedFromItNotFetchedAndShareNoInode() throws Exception {
        HostLayout host = layout("host");
        Artifact v1 = CacheFixtures.site("site", "one\n");
        Artifact v2 = CacheFixtures.site("site", "two\n");
        ArtifactPusher.push(connection, host, List.of(v1), TransferProgress.NONE);
        Map<StorePath, BaseFetcher.Base> bases = BaseFetcher.fetch(connection, host, List.of(
                new DeltaBases.Request(v2.storePath(), Optional.of(v1.storePath()), List.of())));

        Substitution result = substitute(connection, host, List.of(v2), bases);

        CacheOutcome.Substituted done = (CacheOutcome.Substituted) result.outcome().orElseThrow();
        assertThat(done.objects()).isEqualTo(1);
        assertThat(done.filesLinked()).isEqualTo(29);
        // the changed file's object, and the probe (the path's manifest)
        assertThat(store.served).containsExactlyInAnyOrder(
                keys.object(CacheUploaderTest.entry(v2, "index.html").sha256()), keys.manifest(v2.storePath()));
        Path old = Path.of(host.storePath(v1.storePath()), "bin/run");
        Path now = Path.of(host.storePath(v2.storePath()), "bin/run");
        assertThat(Files.readAllBytes(now)).isEqualTo(Files.readAllBytes(old));
        // an edit in one store path must not reach another (issue 14): copies, never hard links
        assertThat(Files.getAttribute(now, "unix:ino")).isNotEqualTo(Files.getAttribute(old, "unix:ino"));
        assertThat(Files.readString(Path.of(host.storePath(v2.storePath()), "index.html"))).isEqualTo("two\n");
    }

    /**
     * One content in several files and store paths is fetched once, yet every file gets its own inode, as a push
     * leaves them: store paths never share an inode (issue 14), so an edit in one cannot reach another.
     */
    @Test
    void filesWithOneContentInTwoStorePathsAreFetchedOnceAndShareNoInode() throws Exception {
        Artifact a = CacheFixtures.site("a", "A\n");
        Artifact b = new MemoryTree().file("index.html", "A\n", false).file("copy.html", "A\n", false)
                .file("run", "#!/bin/sh\necho hi\n", true).file("run-too", "#!/bin/sh\necho hi\n", true)
                .toArtifact("b", "path:b");
        HostLayout host = layout("host");

        Substitution result = substitute(connection, host, List.of(a, b), Map.of());

        assertThat(result.outcome()).get().isInstanceOf(CacheOutcome.Substituted.class);
        assertThat(store.served.stream().filter(k -> k.startsWith(keys.objects()))).hasSize(30);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(host.store()))) {
            files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        assertThat(files).hasSizeGreaterThan(30);
        for (Path file : files) {
            assertThat(Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).as(file.toString())
                    .isEqualTo(1);
        }
        Path bRun = Path.of(host.storePath(b.storePath()), "run");
        assertThat(mode(bRun)).isEqualTo("r-xr-xr-x");
        assertThat(mode(Path.of(host.storePath(b.storePath()), "copy.html"))).isEqualTo("r--r--r--");
        assertThat(Files.readString(Path.of(host.storePath(b.storePath()), "run-too"))).isEqualTo("#!/bin/sh\necho hi\n");
    }

    @Test
    void sameContentAsPlainAndExecutableFileKeepsEachMode() throws Exception {
        Artifact a = new MemoryTree().file("x.sh", "echo same\n", true).file("x.txt", "echo same\n", false)
                .file("sub/y.txt", "echo same\n", false).toArtifact("modes", "test");
        HostLayout host = layout("host");

        substitute(connection, host, List.of(a), Map.of());

        Path root = Path.of(host.storePath(a.storePath()));
        assertThat(mode(root.resolve("x.sh"))).isEqualTo("r-xr-xr-x");
        assertThat(mode(root.resolve("x.txt"))).isEqualTo("r--r--r--");
        assertThat(mode(root.resolve("sub/y.txt"))).isEqualTo("r--r--r--");
        assertThat(store.served.stream().filter(k -> k.startsWith(keys.objects()))).hasSize(1);
    }

    @Test
    void aCorruptObjectIsRefusedNothingIsInstalledAndTheObjectIsUploadedAgain() throws Exception {
        Artifact a = CacheFixtures.site("a", "A\n");
        cache.uploader().ensure(List.of(a));
        String index = keys.object(CacheUploaderTest.entry(a, "index.html").sha256());
        store.putAt(index, Zstd.compress("forged\n".getBytes(StandardCharsets.UTF_8)), Instant.now());
        HostLayout host = layout("host");

        Substitution result = substitute(connection, host, List.of(a), Map.of());

        assertThat(result.remaining()).containsExactly(a);
        CacheOutcome.FellBack fellBack = (CacheOutcome.FellBack) result.outcome().orElseThrow();
        assertThat(fellBack.reason()).isEqualTo(CacheOutcome.Reason.OBJECTS_CORRUPT);
        assertThat(fellBack.detail()).contains("1 object(s) did not match their SHA-256", "uploaded again");
        assertThat(Path.of(host.storePath(a.storePath()))).doesNotExist();
        assertThat(incoming(host)).isEmpty();
        assertThat(new String(Zstd.decompress(store.objects.get(index).bytes(), 100), StandardCharsets.UTF_8))
                .isEqualTo("A\n");

        Substitution again = substitute(connection, host, List.of(a), Map.of());
        assertThat(again.outcome()).get().isInstanceOf(CacheOutcome.Substituted.class);
        assertThat(Files.readString(Path.of(host.storePath(a.storePath()), "index.html"))).isEqualTo("A\n");
    }

    @Test
    void anObjectMissingFromTheBucketMakesTheHostFallBackAndIsUploadedAgain() {
        Artifact a = CacheFixtures.site("a", "A\n");
        cache.uploader().ensure(List.of(a));
        String run = keys.object(CacheUploaderTest.entry(a, "bin/run").sha256());
        store.objects.remove(run);
        HostLayout host = layout("host");

        Substitution result = substitute(connection, host, List.of(a), Map.of());

        CacheOutcome.FellBack fellBack = (CacheOutcome.FellBack) result.outcome().orElseThrow();
        assertThat(fellBack.reason()).isEqualTo(CacheOutcome.Reason.OBJECTS_MISSING);
        assertThat(result.remaining()).containsExactly(a);
        assertThat(Path.of(host.storePath(a.storePath()))).doesNotExist();
        assertThat(store.objects).containsKey(run);
    }

    /**
     * A download that stops in the middle of an object (the server sends a byte, then nothing) is abandoned after the
     * stall limit, with curl and with python3, and the host falls back to the push; nothing is installed. The
     * limit is 2 s here instead of {@value CacheSubstituter#STALL_SECONDS}. The server holds the object until the
     * test ends, so a fetcher without a stall limit would wait for the whole fetch deadline: the JUnit timeout turns
     * that hang into a failure (it is a hang guard, not a speed target). While the fetcher waits, no process on the
     * machine has a presigned URL among its arguments.
     */
    @ParameterizedTest
    @Timeout(120)
    @ValueSource(booleans = {true, false})
    void aDownloadThatStopsMidObjectIsAbandonedAfterTheStallLimitAndNoUrlIsInTheArgumentsOfAnyProcess(boolean curl) throws Exception {
        HostConnection on = connection;
        if (curl) {
            assumeThat(Path.of("/usr/bin/curl")).as("curl on this machine").exists();
        } else {
            Path bin = toolsWithout("curl", "zstd");
            assumeThat(bin.resolve("python3")).as("python3 on this machine").exists();
            on = new WithPath(connection, bin);
        }
        Artifact a = CacheFixtures.site("a", "A\n");
        cache.uploader().ensure(List.of(a));
        java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
        store.stalledKey = keys.object(CacheUploaderTest.entry(a, "bin/run").sha256());
        store.stallObjects = stalled;
        HostLayout host = layout("host");
        try {
            HostConnection fetching = on;
            CompletableFuture<Substitution> running = CompletableFuture.supplyAsync(
                    () -> new CacheSubstituter(cache, 2).substitute(fetching, host, List.of(a), Map.of()));
            assertThat(store.stallReached.await(60, TimeUnit.SECONDS)).as("the stalled object was requested").isTrue();
            // while the fetcher waits: no process shows a presigned URL in its arguments (ps shows them to all users)
            assertThat(commandLinesContaining(store.baseUrl())).isEmpty();
            Substitution result = running.get();

            CacheOutcome.FellBack fellBack = (CacheOutcome.FellBack) result.outcome().orElseThrow();
            assertThat(fellBack.reason()).isEqualTo(CacheOutcome.Reason.OBJECTS_MISSING);
            assertThat(result.remaining()).containsExactly(a);
            assertThat(Path.of(host.storePath(a.storePath()))).doesNotExist();
        } finally {
            stalled.countDown();
        }
    }

    @Test
    void aHostThatCannotReachTheCacheFallsBackWithTheReason() {
        Artifact a = CacheFixtures.site("a", "A\n");
        store.stopServing();
        HostLayout host = layout("host");

        Substitution result = substitute(connection, host, List.of(a), Map.of());

        CacheOutcome.FellBack fellBack = (CacheOutcome.FellBack) result.outcome().orElseThrow();
        assertThat(fellBack.reason()).isEqualTo(CacheOutcome.Reason.UNREACHABLE);
        assertThat(fellBack.detail()).startsWith("the host cannot reach the cache with ");
        assertThat(Path.of(host.storePath(a.storePath()))).doesNotExist();
        assertThat(cache.outcome("local1")).contains(fellBack);
    }

    @Test
    void aHostWithoutCurlAndZstdFetchesAndDecompressesWithPython() throws Exception {
        Path bin = toolsWithout("curl", "zstd");
        assumeThat(bin.resolve("python3")).as("python3 on this machine").exists();
        HostConnection pythonOnly = new WithPath(connection, bin);
        Artifact a = CacheFixtures.site("a", "A\n");
        HostLayout host = layout("host");

        Substitution result = substitute(pythonOnly, host, List.of(a), Map.of());

        assertThat(result.outcome()).get().isInstanceOf(CacheOutcome.Substituted.class);
        HostLayout pushed = layout("pushed");
        ArtifactPusher.push(connection, pushed, List.of(a), TransferProgress.NONE);
        assertThat(snapshot(Path.of(host.storePath(a.storePath()))))
                .isEqualTo(snapshot(Path.of(pushed.storePath(a.storePath()))));
    }

    @Test
    void withPythonAnObjectThatIsNotZstdIsCorruptAndAnAbsentOneIsMissing() throws Exception {
        Path bin = toolsWithout("curl", "zstd");
        assumeThat(bin.resolve("python3")).as("python3 on this machine").exists();
        HostConnection pythonOnly = new WithPath(connection, bin);
        Artifact a = CacheFixtures.site("a", "A\n");
        cache.uploader().ensure(List.of(a));
        String index = keys.object(CacheUploaderTest.entry(a, "index.html").sha256());
        store.putAt(index, "not zstd at all".getBytes(StandardCharsets.UTF_8), Instant.now());

        Substitution corrupt = substitute(pythonOnly, layout("one"), List.of(a), Map.of());

        assertThat(((CacheOutcome.FellBack) corrupt.outcome().orElseThrow()).reason())
                .isEqualTo(CacheOutcome.Reason.OBJECTS_CORRUPT);
        store.objects.remove(keys.object(CacheUploaderTest.entry(a, "bin/run").sha256()));

        Substitution missing = substitute(pythonOnly, layout("two"), List.of(a), Map.of());

        assertThat(((CacheOutcome.FellBack) missing.outcome().orElseThrow()).reason())
                .isEqualTo(CacheOutcome.Reason.OBJECTS_MISSING);
        assertThat(Path.of(layout("one").storePath(a.storePath()))).doesNotExist();
        assertThat(Path.of(layout("two").storePath(a.storePath()))).doesNotExist();
    }

    @Test
    void aSealStepRunsInTheVerifiedPathBeforeItsFinalName() throws Exception {
        Artifact a = CacheFixtures.site("sealed", "A\n").withSeal("printf '%s' \"$final\" > sealed-as");
        HostLayout host = layout("host");

        substitute(connection, host, List.of(a), Map.of());

        Path root = Path.of(host.storePath(a.storePath()));
        assertThat(Files.readString(root.resolve("sealed-as"))).isEqualTo(root.toString());
        assertThat(mode(root.resolve("sealed-as"))).isEqualTo("r--r--r--");
    }

    @Test
    void aHostWithNeitherFetcherFallsBack() throws Exception {
        HostConnection bare = new WithPath(connection, toolsWithout("curl", "zstd", "python3"));
        HostLayout host = layout("host");

        Substitution result = substitute(bare, host, List.of(CacheFixtures.site("a", "A\n")), Map.of());

        CacheOutcome.FellBack fellBack = (CacheOutcome.FellBack) result.outcome().orElseThrow();
        assertThat(fellBack.reason()).isEqualTo(CacheOutcome.Reason.NO_TOOLS);
        assertThat(fellBack.detail()).contains("needs curl or python3");
    }

    /** What substitute.sh and the push call, besides the shell's builtins. */
    private static final List<String> TOOLS = List.of("awk", "cat", "chmod", "cmp", "cp", "curl", "cut", "find", "grep",
            "gzip", "mkdir", "mktemp", "mv", "python3", "rm", "sed", "sha256sum", "sort", "tail", "tar", "timeout",
            "tr", "wc", "xargs", "zstd");

    /** The command lines (arguments joined by spaces) of this machine's processes that contain {@code text}. */
    private static List<String> commandLinesContaining(String text) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    String line = new String(Files.readAllBytes(process.resolve("cmdline")),
                            java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
                    if (line.contains(text)) {
                        found.add(process.getFileName() + ": " + line);
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return found;
    }

    /** A directory of links to this machine's tools (those in /usr/bin and /bin), leaving out {@code names}. */
    private Path toolsWithout(String... names) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin-" + String.join("-", names)));
        for (String tool : TOOLS) {
            if (List.of(names).contains(tool)) {
                continue;
            }
            for (String from : List.of("/usr/bin", "/bin")) {
                Path source = Path.of(from, tool);
                if (Files.isExecutable(source) && !Files.exists(bin.resolve(tool), LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(bin.resolve(tool), source);
                }
            }
        }
        return bin;
    }

    @AfterEach
    void removeToolLinks() throws IOException {
        try (Stream<Path> bins = Files.list(dir)) {
            for (Path bin : bins.filter(p -> p.getFileName().toString().startsWith("bin-")).toList()) {
                try (Stream<Path> links = Files.list(bin)) {
                    for (Path link : links.toList()) {
                        Files.delete(link);
                    }
                }
            }
        }
    }

    private static List<Path> incoming(HostLayout layout) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(layout.store()))) {
            return entries.filter(p -> p.toString().startsWith(layout.incomingPrefix())).toList();
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    /** Relative path to "kind mode content" of every entry under {@code root}. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                String what = Files.isSymbolicLink(path) ? "l " + Files.readSymbolicLink(path)
                        : Files.isDirectory(path) ? "d " + mode(path) : "f " + mode(path) + " " + Files.readString(path);
                entries.put(root.relativize(path).toString(), what);
            }
        }
        return entries;
    }

    /** A connection whose scripts see only the tools in {@code bin} (a host without some of them). */
    private static final class WithPath extends ForwardingConnection {
        private final Path bin;

        WithPath(HostConnection delegate, Path bin) {
            super(delegate);
            this.bin = bin;
        }

        @Override
        public CommandResult run(String script, StdinWriter stdin) throws IOException {
            return delegate.run("PATH='" + bin + "'; export PATH\n" + script, stdin);
        }
    }
}
