package dev.deploy.it.bench;

import dev.deploy.it.cache.HostRoute;
import dev.deploy.it.cache.S3ProxyServer;
import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.TestHostImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The benchmark: deploy against rsync and tar-over-ssh on the same generated trees and Debian test hosts, in one
 * run. Started by {@code bench/run}; arguments: {@code [--quick] [--runs N] [--out DIR]}. Writes the table to stdout,
 * progress to stderr and the JSON document to {@code DIR/<timestamp>.json}.
 */
public final class Bench {

    private static final long APP_SEED = 1;
    private static final long LARGE_SEED = 2;
    /** Heap limit of the extra deploy run on the large tree. */

    private final boolean quick;
    private final int rounds;
    private final Path work;
    private final DeployRunner deploy;
    private final List<BenchHost> hosts = new ArrayList<>();
    private final List<Scenario> scenarios = new ArrayList<>();
    private final Inventories inventories;
    private S3ProxyServer s3;
    private final List<HostRoute> routes = new ArrayList<>();
    private boolean cacheOnly;

    private Bench(boolean quick, int rounds, Path work, Path jar) {
        this.quick = quick;
        this.rounds = rounds;
        this.work = work;
        this.deploy = DeployRunner.launcher(jar);
        this.inventories = new Inventories(work.resolve("inventories"));
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean cacheOnly = false;
        int hold = 0;
        int rounds = -1;
        Path out = Path.of("bench/results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--runs" -> rounds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--hold" -> hold = Integer.parseInt(args[++i]);
                case "--cache-only" -> cacheOnly = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --quick, --cache-only, --runs N, --out DIR)");
            }
        }
        rounds = rounds > 0 ? rounds : quick ? 3 : 5;
        Path jar = Path.of(System.getProperty("bench.jar", "cli/target/deploy.jar")).toAbsolutePath();
        Path work = Files.createTempDirectory("deploy-bench-");
        try {
            Bench bench = new Bench(quick, rounds, work, jar);
            bench.cacheOnly = cacheOnly;
            if (hold > 0) {
                bench.hold(hold);
                return;
            }
            Report report = bench.run();
            report.printTable(System.out);
            Path file = report.writeJson(out);
            System.out.println();
            System.out.println("JSON: " + file);
        } finally {
            deleteRecursively(work);
        }
        System.exit(0);
    }

    private Report run() throws Exception {
        long start = System.nanoTime();
        Path app = work.resolve("trees/app");
        Path change = work.resolve("trees/change");
        Path large = work.resolve("trees/large");
        log("generating trees in " + work);
        TreeGenerator.Written appTree = TreeGenerator.generate(app, TreeGenerator.Spec.APP, APP_SEED);
        TreeGenerator.generate(change, TreeGenerator.Spec.APP, APP_SEED);
        TreeGenerator.Written largeTree = quick || cacheOnly ? null
                : TreeGenerator.generate(large, TreeGenerator.Spec.LARGE, LARGE_SEED);
        int hostCount = quick ? 4 : 8;
        startHosts(hostCount);
        try {
            Report report = new Report(quick, rounds, appTree, largeTree);
            if (cacheOnly) {
                cacheColdApply("cold-app-" + hostCount + "hosts-cache", app, hostCount);
                report.scenarios(scenarios);
                report.totalSeconds((System.nanoTime() - start) / 1e9);
                return report;
            }
            report.jvmStartup(measureStartup());
            coldApply("cold-app-1host", app, 1);
            noop(app);
            plan(app);
            planUvApp(app);
            oneFileChange(change);
            coldApply("cold-app-4hosts", app, 4);
            if (!quick) {
                coldApply("cold-app-8hosts", app, 8);
                coldApply("cold-large-1host", large, 1);
            }
            cacheColdApply("cold-app-" + hostCount + "hosts-cache", app, hostCount);
            report.jvmStartupUnderJvmDefaults(measureStartupUnderJvmDefaults());
            report.scenarios(scenarios);
            report.totalSeconds((System.nanoTime() - start) / 1e9);
            return report;
        } finally {
            routes.forEach(HostRoute::close);
            if (s3 != null) {
                s3.close();
            }
            hosts.forEach(h -> h.host().close());
        }
    }

    /**
     * For profiling by hand: starts {@code count} hosts, writes the trees and inventories (app on 1 and on all
     * hosts, large on 1), prints their paths and waits until this process is stopped (its shutdown hook removes
     * the hosts).
     */
    private void hold(int count) throws Exception {
        Path app = work.resolve("trees/app");
        Path large = work.resolve("trees/large");
        TreeGenerator.generate(app, TreeGenerator.Spec.APP, APP_SEED);
        TreeGenerator.generate(large, TreeGenerator.Spec.LARGE, LARGE_SEED);
        startHosts(count);
        System.out.println("app on 1 host:   " + inventories.write("app-1", first(1), app));
        System.out.println("app on " + count + " hosts:  " + inventories.write("app-" + count, hosts, app));
        System.out.println("large on 1 host: " + inventories.write("large-1", first(1), large));
        for (BenchHost host : hosts) {
            System.out.println(host.name() + ": " + String.join(" ", host.sshCommand()) + " " + host.destination()
                    + "   (docker exec " + host.host().name() + ")");
        }
        System.out.println("holding; stop this process to remove the hosts");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private void startHosts(int count) throws Exception {
        log("starting " + count + " Debian test hosts (" + TestHostImage.BOOKWORM.reference() + ")");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<DebianTestHost>> started = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                started.add(pool.submit(() -> DebianTestHost.start(TestHostImage.BOOKWORM)));
            }
            for (int i = 0; i < count; i++) {
                hosts.add(new BenchHost("h" + (i + 1), started.get(i).get()));
            }
        } finally {
            pool.shutdown();
        }
    }

    private List<BenchHost> first(int n) {
        return hosts.subList(0, n);
    }

    /** Cold: deploy's state, rsync's and tar's destinations are wiped on the hosts before each measured run. */
    private void coldApply(String name, Path tree, int hostCount) {
        List<BenchHost> targets = first(hostCount);
        Path inventory = inventories.write(name, targets, tree);
        String rsyncDest = "/srv/bench-rsync-" + tree.getFileName();
        String tarDest = "/srv/bench-tar-" + tree.getFileName();
        Scenario s = new Scenario(name, "cold apply of the " + tree.getFileName() + " tree to " + hostCount
                + " host(s) in parallel; destinations wiped before each run");
        s.tool("deploy", () -> wipe(targets, BenchHost.DEPLOY_STATE), () -> deploy.apply(inventory, 8));
        if (tree.endsWith("large")) {
            // the launcher caps the heap well below the tree's size (the push streams); this shows what the cap saves
            s.tool(Report.PLAIN_JVM, () -> wipe(targets, BenchHost.DEPLOY_STATE),
                    () -> deploy.plainJvm().apply(inventory, 8));
        }
        s.tool("rsync", () -> wipe(targets, rsyncDest),
                () -> inParallel(targets, h -> () -> Baselines.rsync(h, tree, rsyncDest, false)));
        s.tool("tar", () -> wipe(targets, tarDest),
                () -> inParallel(targets, h -> () -> Baselines.tar(h, tree, tarDest)));
        runScenario(s);
    }

    /**
     * Cold apply to {@code hostCount} hosts, direct SSH push against the binary cache: s3proxy on this machine
     * (filesystem backend), each host reaching it through a {@link HostRoute} (a bind-mounted Unix socket, not the
     * SSH connection). "deploy+cache" starts from an empty cache (its upload is measured and counted in bytes sent);
     * "deploy+warm-cache" from a cache filled beforehand, as CI's {@code deploy push-cache} would.
     */
    private void cacheColdApply(String name, Path tree, int hostCount) {
        List<BenchHost> targets = first(hostCount);
        if (s3 == null) {
            try {
                s3 = S3ProxyServer.start(java.nio.file.Files.createDirectories(work.resolve("s3proxy")));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            s3.createBucket("bench");
            for (BenchHost host : hosts) {
                routes.add(HostRoute.open(host.host(), s3.port()));
            }
        }
        Path direct = inventories.write(name, targets, tree);
        Path cached = inventories.write(name + "-with-cache", targets, tree, s3.cacheLine("bench", name));
        DeployRunner withCredentials = deploy.withJavaOptions(List.of("-Daws.accessKeyId=" + S3ProxyServer.ACCESS_KEY,
                "-Daws.secretAccessKey=" + S3ProxyServer.SECRET_KEY, "-Daws.disableEc2Metadata=true"));
        Scenario s = new Scenario(name, "cold apply of the " + tree.getFileName() + " tree to " + hostCount
                + " hosts: direct SSH push vs through the binary cache (s3proxy here; cold: upload included)");
        s.tool("deploy", () -> wipe(targets, BenchHost.DEPLOY_STATE), () -> deploy.apply(direct, 8));
        s.tool("deploy+cache", () -> {
            wipe(targets, BenchHost.DEPLOY_STATE);
            emptyCache(name);
        }, () -> withCredentials.apply(cached, 8));
        s.tool("deploy+warm-cache", () -> {
            wipe(targets, BenchHost.DEPLOY_STATE);
            withCredentials.pushCache(cached);
        }, () -> withCredentials.apply(cached, 8));
        runScenario(s);
    }

    private void emptyCache(String prefix) {
        List<String> keys = s3.client().listObjectsV2Paginator(r -> r.bucket("bench").prefix(prefix + "/")).contents()
                .stream().map(software.amazon.awssdk.services.s3.model.S3Object::key).toList();
        for (String key : keys) {
            s3.client().deleteObject(r -> r.bucket("bench").key(key));
        }
    }

    /** No-op: everything already on the host; deploy through its launcher and under the JVM's defaults, rsync again. */
    private void noop(Path tree) {
        List<BenchHost> targets = first(1);
        Path inventory = inventories.write("noop", targets, tree);
        String rsyncDest = "/srv/bench-rsync-" + tree.getFileName();
        Scenario s = new Scenario("noop-app-1host", "apply again with nothing changed");
        s.setup = () -> {
            wipe(targets, BenchHost.DEPLOY_STATE);
            deploy.apply(inventory, 8);
            Baselines.rsync(targets.get(0), tree, rsyncDest, false);
        };
        s.tool("deploy", () -> { }, () -> deploy.apply(inventory, 8));
        s.tool(Report.PLAIN_JVM, () -> { }, () -> deploy.plainJvm().apply(inventory, 8));
        s.tool("rsync", () -> { }, () -> Baselines.rsync(targets.get(0), tree, rsyncDest, false));
        runScenario(s);
    }

    /** Warm plan: deploy plan against rsync's dry run ({@code -n}), both with the tree in place. */
    private void plan(Path tree) {
        List<BenchHost> targets = first(1);
        Path inventory = inventories.write("plan", targets, tree);
        String rsyncDest = "/srv/bench-rsync-" + tree.getFileName();
        Scenario s = new Scenario("plan-app-1host", "plan (read-only) against an up-to-date host; rsync -n");
        s.tool("deploy", () -> { }, () -> deploy.plan(inventory));
        s.tool(Report.PLAIN_JVM, () -> { }, () -> deploy.plainJvm().plan(inventory));
        s.tool("rsync", () -> { }, () -> Baselines.rsync(targets.get(0), tree, rsyncDest, true));
        runScenario(s);
    }

    /**
     * Warm plan of the app tree plus a venv from an LNbits-sized uv.lock (147 packages, wheels locked at an address
     * nothing listens on, so a download would fail the run) against the plan of the tree alone, on the same host:
     * what the lock costs a plan.
     */
    private void planUvApp(Path tree) throws IOException {
        List<BenchHost> targets = first(1);
        Path project = work.resolve("trees/uvapp");
        UvProjectGenerator.write(project, "benchapp", APP_SEED);
        Path withVenv = inventories.writeWithVenv("plan-uvapp", targets, tree, project);
        Path without = inventories.write("plan", targets, tree);
        Scenario s = new Scenario("plan-uvapp-1host", "plan of the app tree plus a venv from a "
                + UvProjectGenerator.PACKAGES + "-package uv.lock; the plan of the tree alone");
        s.tool("deploy", () -> { }, () -> deploy.plan(withVenv));
        s.tool("plan-without-venv", () -> { }, () -> deploy.plan(without));
        runScenario(s);
    }

    /** One 6 KiB source file rewritten before each round; every tool carries the same change. */
    private void oneFileChange(Path tree) throws IOException {
        List<BenchHost> targets = first(1);
        Path inventory = inventories.write("change", targets, tree);
        String rsyncDest = "/srv/bench-rsync-change";
        Path changed = TreeGenerator.changeOneFile(tree, 0);
        Scenario s = new Scenario("change-1file-app", "one source file of the app tree rewritten (same size)");
        s.facts.put("changedFile", tree.relativize(changed).toString());
        s.facts.put("changedFileBytes", Files.size(changed));
        s.setup = () -> {
            wipe(targets, BenchHost.DEPLOY_STATE);
            deploy.apply(inventory, 8);
            Baselines.rsync(targets.get(0), tree, rsyncDest, false);
        };
        s.beforeRound = round -> {
            try {
                TreeGenerator.changeOneFile(tree, round + 1);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        s.tool("deploy", () -> { }, () -> deploy.apply(inventory, 8));
        s.tool("rsync", () -> { }, () -> Baselines.rsync(targets.get(0), tree, rsyncDest, false));
        runScenario(s);
    }

    private void runScenario(Scenario s) {
        log("scenario " + s.name + ": " + s.description);
        s.run(rounds);
        scenarios.add(s);
    }

    private List<Double> measureStartup() {
        log("JVM start-up: deploy --version x" + rounds);
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            seconds.add(deploy.version().wallSeconds());
        }
        return seconds;
    }

    private List<Double> measureStartupUnderJvmDefaults() {
        DeployRunner plain = deploy.plainJvm();
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            seconds.add(plain.version().wallSeconds());
        }
        return seconds;
    }

    private static void wipe(List<BenchHost> targets, String path) {
        targets.forEach(h -> h.wipe(path));
    }

    /** Runs one task per host at once; wall time until the last ends, bytes summed, round trips and RSS maxed. */
    private static Measurement inParallel(List<BenchHost> targets,
                                          java.util.function.Function<BenchHost, Supplier<Measurement>> task) {
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        List<Measurement> results = java.util.Collections.synchronizedList(new ArrayList<>());
        List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (BenchHost host : targets) {
            Thread thread = new Thread(() -> {
                try {
                    results.add(task.apply(host).get());
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }, "bench-" + host.name());
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return new Measurement(wall, results.stream().mapToLong(Measurement::bytesSent).sum(),
                results.stream().mapToLong(Measurement::roundTrips).max().orElse(0),
                results.stream().mapToLong(Measurement::peakRssKiB).max().orElse(0),
                results.stream().mapToLong(Measurement::artifactBytes).sum());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static void log(String message) {
        System.err.println("bench: " + message);
    }
}
