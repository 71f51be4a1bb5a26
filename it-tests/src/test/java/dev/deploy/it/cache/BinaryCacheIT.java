package dev.deploy.it.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import dev.deploy.cache.CacheSettings;
import dev.deploy.cache.S3ObjectStore;
import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import dev.deploy.it.hosts.TestHostImage;
import dev.deploy.it.local.CliRun;
import dev.deploy.it.local.MiniWheel;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The binary cache against a real S3 server (s3proxy on 127.0.0.1, filesystem backend) and three Debian bookworm
 * hosts (one without rsync). The hosts have neither curl nor zstd: they fetch with python3's urllib and decompress
 * with libzstd.so.1 through ctypes (the host script's documented fallback). Each reaches the S3 server only through
 * a {@link HostRoute} (a bind-mounted Unix socket to 127.0.0.1 here). Each test uses its own key prefix and state
 * directory.
 */
class BinaryCacheIT {

    private static final List<String> NAMES = List.of("deb1", "deb2", "deb3");
    private static final String BUCKET = "deploy-cache";
    private static final List<DebianTestHost> HOSTS = new ArrayList<>();
    private static final List<HostRoute> ROUTES = new ArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static S3ProxyServer s3;
    private static Path s3Dir;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        List<CompletableFuture<DebianTestHost>> starting = List.of(
                CompletableFuture.supplyAsync(() -> DebianTestHost.start(TestHostImage.BOOKWORM)),
                CompletableFuture.supplyAsync(() -> DebianTestHost.start(TestHostImage.BOOKWORM)),
                CompletableFuture.supplyAsync(() -> DebianTestHost.start(TestHostImage.BOOKWORM_NORSYNC)));
        s3Dir = Files.createTempDirectory("deploy-s3proxy-");
        s3 = S3ProxyServer.start(s3Dir);
        s3.createBucket(BUCKET);
        S3ProxyServer.exportCredentials();
        for (CompletableFuture<DebianTestHost> host : starting) {
            HOSTS.add(host.join());
        }
        for (DebianTestHost host : HOSTS) {
            ROUTES.add(HostRoute.open(host, s3.port()));
        }
    }

    @AfterAll
    static void stop() {
        ROUTES.forEach(HostRoute::close);
        HOSTS.forEach(DebianTestHost::close);
        if (s3 != null) {
            s3.close();
        }
    }

    /** {@code count} files of about 40 KB of random text, one executable, one duplicate, one symlink. */
    private Path tree(String name, int count) throws Exception {
        Path root = Files.createDirectories(dir.resolve(name));
        Random random = new Random(name.hashCode());
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[30_000 + random.nextInt(20_000)];
            random.nextBytes(bytes);
            Path file = root.resolve("pkg" + (i % 4) + "/file-" + i + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, HexFormat.of().formatHex(bytes) + "\n");
        }
        Files.writeString(root.resolve("run.sh"), "#!/bin/sh\necho run\n");
        root.resolve("run.sh").toFile().setExecutable(true, false);
        Files.copy(root.resolve("pkg0/file-0.txt"), root.resolve("copy-of-file-0.txt"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("run.sh"));
        return root;
    }

    /** An inventory of {@code hosts} (indexes into HOSTS) deploying {@code tree} through cache prefix {@code prefix}. */
    private Path inventory(String prefix, Path tree, List<Integer> hosts, String... extra) throws Exception {
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/cached.yaml"), """
                module: cached
                options:
                  tree: {type: source}
                """);
        StringBuilder yaml = new StringBuilder(s3.cacheLine(BUCKET, prefix));
        yaml.append("defaults: {stateDir: /var/lib/deploy-").append(prefix).append(", modules: [cached]}\n");
        yaml.append(String.join("\n", extra)).append("\nhosts:\n");
        for (int i : hosts) {
            yaml.append(HOSTS.get(i).inventoryEntry(NAMES.get(i), "options: {cached.tree: \"path:" + tree + "\"}",
                    i == 1 && extra.length > 0 ? "groups: [nocache]" : "groups: []"));
        }
        return Files.writeString(dir.resolve("inventory-" + prefix + ".yaml"), yaml.toString());
    }

    private static JsonNode run(Path inventory, String... command) throws Exception {
        CliRun run = CliRun.against(inventory, command);
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        return JSON.readTree(run.stdout());
    }

    private static JsonNode host(JsonNode doc, String name) {
        for (JsonNode host : doc.get("hosts")) {
            if (host.get("host").asText().equals(name)) {
                return host;
            }
        }
        throw new AssertionError("no host " + name + " in " + doc);
    }

    /** Relative path to SHA-256 of every file under {@code root} here. */
    private static Map<String, String> sums(Path root) throws Exception {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).filter(p -> !Files.isSymbolicLink(p)).toList()) {
                sums.put(root.relativize(file).toString(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            }
        }
        return sums;
    }

    /** The same for the tree deployed on {@code host}, read inside the host. */
    private static Map<String, String> deployedSums(DebianTestHost host, String prefix) {
        ExecResult result = host.exec("sh", "-c", "cd /var/lib/deploy-" + prefix
                + "/current/roots/source/cached.tree && find . -type f -print0 | xargs -0 sha256sum -z --");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        Map<String, String> sums = new TreeMap<>();
        for (String line : result.stdout().split("\0")) {
            if (!line.isBlank()) {
                sums.put(line.substring(68), line.substring(0, 64));
            }
        }
        return sums;
    }

    /**
     * The store of {@code host} as bytes: kind, mode, size, hard-link count, path and link target of every entry
     * (store paths and their meta lists), then the SHA-256 of every file, sorted; transfers in progress left out.
     */
    private static String store(DebianTestHost host, String prefix) {
        ExecResult result = host.exec("sh", "-c", "cd /var/lib/deploy-" + prefix + "/store && LC_ALL=C find . "
                + "-mindepth 1 -name '.incoming-*' -prune -o -printf '%y %m %s %n %P//%l\\0' | LC_ALL=C sort -z "
                + "&& LC_ALL=C find . -name '.incoming-*' -prune -o -type f -print0 | LC_ALL=C sort -z "
                + "| xargs -0 sha256sum --");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout();
    }

    private static long contentBytes(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            long total = 0;
            for (Path file : walk.filter(Files::isRegularFile).filter(p -> !Files.isSymbolicLink(p)).toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    private static List<String> keys(String prefix) {
        return s3.client().listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private static List<String> incoming(DebianTestHost host, String prefix) {
        return List.of(host.exec("sh", "-c", "ls -a /var/lib/deploy-" + prefix + "/store | grep '^.incoming' || true")
                .stdout().strip().split("\n")).stream().filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void anApplyToThreeHostsUploadsEachObjectOnceAndEachHostFetchesOnlyWhatItLacks() throws Exception {
        Path tree = tree("t1", 30);
        long content = contentBytes(tree);
        int distinct = 31; // 30 files and run.sh; the copy shares file-0's content
        Path inventory = inventory("t1", tree, List.of(0, 1, 2));
        long[] routedBefore = ROUTES.stream().mapToLong(HostRoute::bytesToHost).toArray();

        JsonNode first = run(inventory, "apply", "--json", "--parallel", "3");

        assertThat(first.get("cacheUpload").get("objectsUploaded").asInt()).isEqualTo(distinct);
        assertThat(first.get("cacheUpload").get("storePathsUploaded").asInt()).isEqualTo(1);
        assertThat(keys("t1/objects/")).hasSize(distinct);
        assertThat(keys("t1/manifests/")).hasSize(1);
        for (int i = 0; i < 3; i++) {
            JsonNode host = host(first, NAMES.get(i));
            assertThat(host.get("result").asText()).isEqualTo("ok");
            assertThat(host.get("cache").get("result").asText()).as(host.toString()).isEqualTo("substituted");
            assertThat(host.get("cache").get("objectsFetched").asInt()).isEqualTo(distinct);
            long overSsh = host.get("transport").get("bytesSent").asLong();
            assertThat(overSsh).as("bytes sent over %s's SSH connection, content %d", NAMES.get(i), content)
                    .isLessThan(content / 20);
            long fetched = ROUTES.get(i).bytesToHost() - routedBefore[i];
            assertThat(fetched).as("bytes %s fetched from the object store", NAMES.get(i))
                    .isGreaterThan(content / 3);
            assertThat(deployedSums(HOSTS.get(i), "t1")).isEqualTo(sums(tree));
            assertThat(incoming(HOSTS.get(i), "t1")).isEmpty();
        }

        Files.writeString(tree.resolve("pkg1/file-1.txt"), "changed\n");
        long[] routedAfterFirst = ROUTES.stream().mapToLong(HostRoute::bytesToHost).toArray();
        CliRun second = CliRun.against(inventory, "apply", "--parallel", "3");

        assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isZero();
        assertThat(second.stderr()).contains("uploaded 1 object(s)");
        for (int i = 0; i < 3; i++) {
            assertThat(second.stderr()).contains(NAMES.get(i) + ": cache: fetched 1 object(s)",
                    "31 file(s) linked from earlier versions on the host");
            assertThat(ROUTES.get(i).bytesToHost() - routedAfterFirst[i]).as("bytes %s fetched", NAMES.get(i))
                    .isLessThan(content / 20);
            assertThat(deployedSums(HOSTS.get(i), "t1")).isEqualTo(sums(tree));
        }
    }

    @Test
    void aCorruptObjectInTheBucketIsRefusedByTheHostAndTheApplyFallsBackToThePush() throws Exception {
        Path tree = tree("t2", 10);
        Path inventory = inventory("t2", tree, List.of(0));
        JsonNode pushed = run(inventory, "push-cache", "--json");
        assertThat(pushed.get("objectsUploaded").asInt()).isEqualTo(11);
        String sha = sums(tree).get("pkg2/file-2.txt");
        String key = "t2/objects/" + sha + ".zst";
        byte[] forged = Zstd.compress("not the content\n".getBytes(StandardCharsets.UTF_8));
        s3.client().putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(forged));

        JsonNode applied = run(inventory, "apply", "--json");

        JsonNode host = host(applied, "deb1");
        assertThat(host.get("result").asText()).isEqualTo("ok");
        assertThat(host.get("generation").asInt()).isEqualTo(1);
        JsonNode cache = host.get("cache");
        assertThat(cache.get("result").asText()).as(cache.toString()).isEqualTo("fell-back");
        assertThat(cache.get("reason").asText()).isEqualTo("objects-corrupt");
        assertThat(cache.get("detail").asText()).contains("1 object(s) did not match their SHA-256", sha);
        assertThat(host.get("transport").get("bytesSent").asLong()).as("pushed instead")
                .isGreaterThan(contentBytes(tree));
        assertThat(deployedSums(HOSTS.get(0), "t2")).isEqualTo(sums(tree));
        assertThat(incoming(HOSTS.get(0), "t2")).isEmpty();
        byte[] repaired = s3.client().getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray();
        byte[] expected = Files.readAllBytes(tree.resolve("pkg2/file-2.txt"));
        assertThat(Zstd.decompress(repaired, expected.length)).isEqualTo(expected);
    }

    /**
     * A substituted object that decompresses to far more than the file it stands for (a zstd "bomb": 64 MiB of
     * zeros in a few KiB) is cut off at the file's size plus one byte while it decompresses, so it cannot fill the
     * host's disk before its SHA-256 is checked, and refused; the apply falls back to the push.
     */
    @Test
    void anObjectThatDecompressesToMoreThanItsSizeIsCutOffAndRefused() throws Exception {
        Path tree = tree("t7", 4);
        Path inventory = inventory("t7", tree, List.of(0));
        run(inventory, "push-cache", "--json");
        String sha = sums(tree).get("pkg1/file-1.txt");
        String key = "t7/objects/" + sha + ".zst";
        byte[] bomb = Zstd.compress(new byte[64 << 20], 3);
        assertThat(bomb.length).isLessThan(64 << 10);
        s3.client().putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(bomb));

        JsonNode applied = run(inventory, "apply", "--json");

        JsonNode host = host(applied, "deb1");
        assertThat(host.get("result").asText()).isEqualTo("ok");
        JsonNode cache = host.get("cache");
        assertThat(cache.get("reason").asText()).as(cache.toString()).isEqualTo("objects-corrupt");
        assertThat(cache.get("detail").asText()).contains(sha, "more than their size");
        assertThat(deployedSums(HOSTS.get(0), "t7")).isEqualTo(sums(tree));
        assertThat(incoming(HOSTS.get(0), "t7")).isEmpty();
    }

    /**
     * Also the contract with the push: deb2 (cache off) is pushed to over SSH, deb1 substitutes from the cache, and
     * their stores end up the same bytes: every entry's kind, mode, size, name (one with a newline and a backslash)
     * and link target, every file's content, and the meta lists kept for later deltas; and, as with the push, no two
     * files share an inode (the tree has two files with the same content, fetched once).
     */
    @Test
    void aHostWithTheCacheOffIsPushedToByteIdenticallyToASubstitutedOneAndAHostWithoutARouteFallsBack()
            throws Exception {
        Path tree = tree("t3", 10);
        Files.writeString(tree.resolve("pkg1/new\nline \\ name.txt"), "odd\n");
        Path inventory = inventory("t3", tree, List.of(0, 1, 2), "groups: {nocache: {cache: off}}");
        ROUTES.get(2).close();
        try {
            JsonNode applied = run(inventory, "apply", "--json", "--parallel", "3");

            assertThat(host(applied, "deb1").get("cache").get("result").asText()).isEqualTo("substituted");
            JsonNode off = host(applied, "deb2");
            assertThat(off.get("cache").get("result").asText()).isEqualTo("fell-back");
            assertThat(off.get("cache").get("reason").asText()).isEqualTo("off");
            assertThat(off.get("transport").get("bytesSent").asLong()).isGreaterThan(contentBytes(tree));
            JsonNode unreachable = host(applied, "deb3");
            assertThat(unreachable.get("cache").get("reason").asText()).as(unreachable.toString())
                    .isEqualTo("unreachable");
            assertThat(unreachable.get("cache").get("detail").asText())
                    .startsWith("the host cannot reach the cache with python");
            for (int i = 0; i < 3; i++) {
                assertThat(host(applied, NAMES.get(i)).get("result").asText()).isEqualTo("ok");
                assertThat(deployedSums(HOSTS.get(i), "t3")).isEqualTo(sums(tree));
            }
            String substituted = store(HOSTS.get(0), "t3");
            assertThat(substituted).contains("new\nline \\ name.txt", ".meta/");
            assertThat(substituted).isEqualTo(store(HOSTS.get(1), "t3"));
            assertThat(HOSTS.get(0).exec("find", "/var/lib/deploy-t3/store", "-type", "f", "-links", "+1").stdout())
                    .as("files of deb1's store sharing an inode").isEmpty();
        } finally {
            ROUTES.set(2, HostRoute.open(HOSTS.get(2), s3.port()));
        }
    }

    @Test
    void aPresignedUrlReplayedAfterItExpiresIsRefused() throws Exception {
        CacheSettings settings = new CacheSettings(BUCKET, "t4", Optional.of(s3.endpoint()),
                Optional.of(S3ProxyServer.REGION), true);
        try (S3ObjectStore store = S3ObjectStore.open(settings)) {
            store.put("t4/objects/probe", "hello\n".getBytes(StandardCharsets.UTF_8));
            URI url = store.presignGet("t4/objects/probe", Duration.ofSeconds(2));
            long signedAt = System.currentTimeMillis();
            assertThat(url.getHost() + ":" + url.getPort()).isEqualTo("127.0.0.1:" + s3.port());

            assertThat(fetchOnHost(HOSTS.get(0), url)).isEqualTo("200 hello\n");

            Thread.sleep(Math.max(0, signedAt + 3_500 - System.currentTimeMillis()));
            assertThat(fetchOnHost(HOSTS.get(0), url)).startsWith("403 ");
            URI tampered = URI.create(url.toString().replace("X-Amz-Expires=2", "X-Amz-Expires=600"));
            assertThat(fetchOnHost(HOSTS.get(0), tampered)).startsWith("403 ");
        }
    }

    /** {@code STATUS BODY} of a GET of {@code url} made inside {@code host} with python3's urllib. */
    private static String fetchOnHost(DebianTestHost host, URI url) {
        ExecResult result = host.exec("python3", "-c", """
                import sys, urllib.request, urllib.error
                try:
                    r = urllib.request.urlopen(sys.argv[1], timeout=10)
                    print(r.status, r.read().decode(), end='')
                except urllib.error.HTTPError as e:
                    print(e.code, e.read().decode()[:200], end='')
                """, url.toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout();
    }

    @Test
    void cacheGcKeepsWhatLiveGenerationsUseAndDeletesTheRest() throws Exception {
        Path tree = tree("t5", 8);
        Path inventory = inventory("t5", tree, List.of(0, 1));
        run(inventory, "apply", "--json", "--parallel", "2");
        String gone = sums(tree).get("pkg3/file-3.txt");
        Files.writeString(tree.resolve("pkg3/file-3.txt"), "version two\n");
        run(inventory, "apply", "--json", "--parallel", "2");
        assertThat(keys("t5/manifests/")).hasSize(2);

        JsonNode bothLive = run(inventory, "cache", "gc", "--keep-days", "0", "--json");
        assertThat(bothLive.get("manifestsDeleted")).isEmpty();
        assertThat(bothLive.get("objectsDeleted").asInt()).isZero();

        run(inventory, "gc", "--keep", "1", "--json");
        // a host that cannot be read might still use anything: with one unreachable, nothing is deleted
        List<String> before = keys("t5/");
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Path withGhost = Files.writeString(dir.resolve("inventory-t5-ghost.yaml"), Files.readString(inventory)
                + HOSTS.get(0).inventoryEntry("ghost", "options: {cached.tree: \"path:" + tree + "\"}")
                        .replace("port: " + HOSTS.get(0).sshPort(), "port: " + closedPort));
        CliRun refused = CliRun.against(withGhost, "cache", "gc", "--keep-days", "0");
        assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isEqualTo(1);
        assertThat(refused.stderr()).contains("ghost");
        assertThat(keys("t5/")).as("nothing deleted while a host could not be read").isEqualTo(before);

        JsonNode collected = run(inventory, "cache", "gc", "--keep-days", "0", "--json");

        assertThat(collected.get("manifestsDeleted")).hasSize(1);
        assertThat(collected.get("objectsDeleted").asInt()).isEqualTo(1);
        assertThat(keys("t5/objects/")).hasSize(9).noneMatch(k -> k.contains(gone));
        // a new host (deb2's state wiped) gets the live generation entirely from what the cache kept
        HOSTS.get(1).exec("rm", "-rf", "/var/lib/deploy-t5").requireSuccess("wiping deb2");
        JsonNode fresh = run(inventory, "apply", "--json", "--on", "deb2");
        assertThat(host(fresh, "deb2").get("cache").get("result").asText()).isEqualTo("substituted");
        assertThat(host(fresh, "deb2").get("cache").get("objectsFetched").asInt()).isEqualTo(9);
        assertThat(deployedSums(HOSTS.get(1), "t5")).isEqualTo(sums(tree));
    }

    /**
     * A venv (built on the controller at apply, named by its inputs) goes through the cache like any store path: the
     * controller builds and uploads it once, both hosts substitute it, run its seal step (byte-compiling) and can
     * run its scripts with their own Python.
     */
    @Test
    void aVenvBuiltAtApplyIsUploadedOnceAndEachHostSubstitutesSealsAndRunsIt() throws Exception {
        Path app = MiniWheel.greeterProject(dir, "hello from the cache");
        StringBuilder yaml = new StringBuilder(s3.cacheLine(BUCKET, "t8"));
        yaml.append("defaults: {stateDir: /var/lib/deploy-t8, modules: [app]}\nhosts:\n");
        for (int i : List.of(0, 1)) {
            yaml.append(HOSTS.get(i).inventoryEntry(NAMES.get(i), "options: {app.source: \"path:" + app + "\"}"));
        }
        Path inventory = Files.writeString(dir.resolve("inventory-t8.yaml"), yaml.toString());

        JsonNode applied = run(inventory, "apply", "--json", "--parallel", "2");

        assertThat(applied.get("cacheUpload").get("storePathsUploaded").asInt()).as("the source and the venv, once")
                .isEqualTo(2);
        assertThat(keys("t8/manifests/")).hasSize(2);
        boolean byInputs = false;
        for (String key : keys("t8/manifests/")) {
            byInputs |= s3.client().getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String()
                    .contains("\"addressedBy\":\"inputs\"");
        }
        assertThat(byInputs).as("a venv's manifest says it is named by its inputs").isTrue();
        for (int i : List.of(0, 1)) {
            JsonNode host = host(applied, NAMES.get(i));
            assertThat(host.get("result").asText()).isEqualTo("ok");
            assertThat(host.get("cache").get("result").asText()).as(host.toString()).isEqualTo("substituted");
            assertThat(host.get("cache").get("storePaths").asInt()).isEqualTo(2);
            String venv = "/var/lib/deploy-t8/current/roots/venv/app.app";
            ExecResult greet = HOSTS.get(i).exec(venv + "/bin/greet");
            assertThat(greet.exitCode()).as(greet.stderr()).isZero();
            assertThat(greet.stdout()).isEqualTo("HELLO FROM THE CACHE\n");
            assertThat(HOSTS.get(i).exec("sh", "-c", "ls " + venv + "/lib/python3.11/site-packages/__pycache__/")
                    .stdout()).contains("greeter.cpython-311.pyc", "shout.cpython-311.pyc");
            assertThat(incoming(HOSTS.get(i), "t8")).isEmpty();
        }
    }

    @Test
    void aLocalHostFetchesWithCurlAndZstdFromPresignedUrls() throws Exception {
        assumeThat(Path.of("/usr/bin/curl")).as("curl on this machine").exists();
        assumeThat(Path.of("/usr/bin/zstd")).as("zstd on this machine").exists();
        Path tree = tree("t6", 6);
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/cached.yaml"), "module: cached\noptions:\n  tree: {type: source}\n");
        Path inventory = Files.writeString(dir.resolve("local.yaml"), s3.cacheLine(BUCKET, "t6") + """
                hosts:
                  laptop:
                    local: {root: state}
                    modules: [cached]
                    options: {cached.tree: "path:%s"}
                """.formatted(tree));

        JsonNode applied = run(inventory, "apply", "--json");

        JsonNode cache = host(applied, "laptop").get("cache");
        assertThat(cache.get("result").asText()).as(cache.toString()).isEqualTo("substituted");
        assertThat(cache.get("objectsFetched").asInt()).isEqualTo(7);
        assertThat(sums(dir.resolve("state/current/roots/source/cached.tree").toRealPath())).isEqualTo(sums(tree));
    }
}
