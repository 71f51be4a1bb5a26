package dev.deploy.fleet;

import dev.deploy.DeployException;
import dev.deploy.cache.BinaryCache;
import dev.deploy.host.HostConnection;
import dev.deploy.host.LocalConnection;
import dev.deploy.host.TransportStats;
import dev.deploy.host.ssh.SshConnection;
import dev.deploy.host.ssh.SshSettings;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostSelector;
import dev.deploy.inventory.HostTarget;
import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.InventoryLoader;
import dev.deploy.module.HostEvaluator;
import dev.deploy.module.ModuleLibrary;
import dev.deploy.module.EvaluatedHost;
import dev.deploy.plan.DesiredGeneration;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.HostState;
import dev.deploy.plan.PythonFacts;
import dev.deploy.python.TargetEnvironment;
import dev.deploy.venv.FileCache;
import dev.deploy.venv.HostSdistBuilder;
import dev.deploy.venv.SdistBuilder;
import dev.deploy.venv.VenvRealizer;
import dev.deploy.venv.VenvRequest;
import dev.deploy.source.SourceResolver;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One run of {@code deploy} over an inventory: the selected hosts, their evaluated generations, and one connection
 * per host, opened on first use and closed at the end. Evaluation of every selected host happens before any host is
 * contacted, so bad input never leaves a fleet half-deployed.
 */
public final class Deployment implements Closeable {

    private final Inventory inventory;
    private final List<Host> hosts;
    private final ModuleLibrary library;
    private final SourceResolver sources;
    private final HostConnector connector;
    private final Map<String, HostConnection> connections = new LinkedHashMap<>();
    private final Map<String, EvaluatedHost> evaluated = new LinkedHashMap<>();
    private final Map<String, Object> desired = new ConcurrentHashMap<>();
    private final Map<String, HostState> gatheredFacts = new ConcurrentHashMap<>();
    private final Map<String, Object> hostGuards = new ConcurrentHashMap<>();
    private final Path cacheDir;
    private final VenvRealizer venvs;
    private final BinaryCache binaryCache;

    private Deployment(Inventory inventory, List<Host> hosts, ModuleLibrary library, SourceResolver sources,
                       HostConnector connector, Path cacheDir) {
        this.binaryCache = BinaryCache.of(inventory);
        this.cacheDir = cacheDir;
        this.venvs = new VenvRealizer(new FileCache(cacheDir.resolve("wheels")));
        this.inventory = inventory;
        this.hosts = hosts;
        this.library = library;
        this.sources = sources;
        this.connector = connector;
    }

    /**
     * Loads the inventory and selects hosts. Modules are looked up in the inventory's {@code modulePath}, the
     * inventory's directory and its {@code modules/}, then {@code libraryDirs}. {@code cacheDir} holds git
     * checkouts, fetched wheels ({@code wheels/}), wheels built from sdists ({@code built-wheels/}) and the file hashes
     * of path sources ({@code hashes/}).
     */
    public static Deployment open(Path inventoryFile, List<String> selectors, List<Path> libraryDirs,
                                  HostConnector connector, Path cacheDir) {
        Inventory inventory = InventoryLoader.load(inventoryFile);
        List<Host> hosts = HostSelector.select(inventory, selectors);
        List<Path> searchPath = new ArrayList<>(inventory.moduleDirs());
        searchPath.add(inventory.baseDir());
        searchPath.add(inventory.baseDir().resolve("modules"));
        searchPath.addAll(libraryDirs);
        return new Deployment(inventory, hosts, new ModuleLibrary(searchPath), new SourceResolver(cacheDir),
                connector, cacheDir);
    }

    public Inventory inventory() {
        return inventory;
    }

    public List<Host> hosts() {
        return hosts;
    }

    /** Evaluates every selected host now; any input error surfaces before a host is touched. */
    public synchronized Map<String, EvaluatedHost> evaluateAll() {
        HostEvaluator evaluator = new HostEvaluator(library, sources);
        for (Host host : hosts) {
            evaluated.computeIfAbsent(host.name(), name -> evaluator.evaluate(inventory, host));
        }
        return evaluated;
    }

    /**
     * Builds what depends on each host's facts (venvs, which need the host's Python) for every selected host,
     * {@code parallel} hosts at a time, reading facts in one read-only round trip per host that has any. An input
     * error (e.g. a package with no wheel for a host) is thrown here, before any host is changed; a host error
     * (unreachable, no Python) is kept and thrown again by {@link #desired(Host)} for that host alone.
     */
    public void prepareAll(int parallel) {
        evaluateAll();
        List<Host> needing = hosts.stream().filter(h -> !evaluated.get(h.name()).venvs().isEmpty()).toList();
        if (needing.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, needing.size())));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Host host : needing) {
                futures.add(pool.submit(() -> {
                    try {
                        desired(host);
                    } catch (DeployException e) {
                        // kept for desired(host); input errors are rethrown below
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        for (Host host : needing) {
            if (desired.get(host.name()) instanceof DeployException error
                    && error.kind() == DeployException.Kind.INPUT) {
                throw error;
            }
        }
    }

    /** The generation {@code host} should have; builds its venvs first if it has any (see {@link #prepareAll}). */
    public DesiredGeneration desired(Host host) {
        EvaluatedHost evaluatedHost = evaluateAll().get(host.name());
        if (evaluatedHost == null) {
            throw new IllegalArgumentException("host not selected: " + host.name());
        }
        synchronized (hostGuards.computeIfAbsent(host.name(), name -> new Object())) {
            Object known = desired.get(host.name());
            if (known == null) {
                try {
                    known = realize(evaluatedHost);
                } catch (DeployException e) {
                    known = e;
                }
                desired.put(host.name(), known);
            }
            if (known instanceof DeployException error) {
                throw error;
            }
            return (DesiredGeneration) known;
        }
    }

    /** Read-only: what apply would do on {@code host}, reusing the facts read to build its venvs, if any. */
    public HostPlan plan(Host host) {
        DesiredGeneration generation = desired(host);
        HostState facts = gatheredFacts.remove(host.name());
        return facts != null ? on(host).plan(generation, facts) : on(host).plan(generation);
    }

    private DesiredGeneration realize(EvaluatedHost evaluatedHost) {
        if (evaluatedHost.venvs().isEmpty()) {
            return DesiredGeneration.of(evaluatedHost);
        }
        Host host = evaluatedHost.host();
        HostDeployer deployer = on(host);
        List<String> pythons = evaluatedHost.venvs().values().stream().map(VenvRequest::python).distinct().sorted()
                .toList();
        HostState state = deployer.facts(pythons);
        Map<String, VenvRealizer.RealizedVenv> built = new TreeMap<>();
        for (VenvRequest request : evaluatedHost.venvs().values()) {
            PythonFacts python = state.python(request.python());
            TargetEnvironment environment = python.require(host.name(), "venv " + request.label());
            String interpreter = python.interpreter().orElseThrow();
            SdistBuilder builder = new HostSdistBuilder(deployer.connection(), interpreter, environment,
                    cacheDir.resolve("built-wheels"));
            built.put(request.role(), venvs.realize(request, host.name(), deployer.layout(), interpreter, environment,
                    builder));
        }
        gatheredFacts.put(host.name(), state);
        return DesiredGeneration.of(evaluatedHost, built);
    }

    /** Operations on {@code host} over its (single, reused) connection. */
    public synchronized HostDeployer on(Host host) {
        HostConnection connection = connections.computeIfAbsent(host.name(), name -> connector.open(host));
        return new HostDeployer(host, connection, binaryCache.substituter(host.name()));
    }

    /** The inventory's binary cache for this run (not configured without a top-level {@code cache:}). */
    public BinaryCache binaryCache() {
        return binaryCache;
    }

    /** Round trips and bytes over {@code host}'s connection so far; zeros when it was never opened. */
    public synchronized TransportStats stats(Host host) {
        HostConnection connection = connections.get(host.name());
        return connection == null ? new TransportStats(0, 0, 0) : connection.stats();
    }

    @Override
    public void close() {
        for (HostConnection connection : connections.values()) {
            try {
                connection.close();
            } catch (IOException e) {
                // closing a dead connection is not worth reporting
            }
        }
        connections.clear();
        sources.close();
        venvs.close();
        binaryCache.close();
    }

    /**
     * Connects {@code local:} hosts with {@code sh} on this machine and SSH hosts over one sshj connection each.
     * Unknown host keys are refused unless {@code acceptNewHostKeys}; changed keys are always refused.
     */
    public static HostConnector defaultConnector(boolean acceptNewHostKeys) {
        return host -> {
            if (host.target() instanceof HostTarget.Local) {
                return new LocalConnection(host.name());
            }
            return SshConnection.open(sshSettings(host.name(), (HostTarget.Ssh) host.target(), acceptNewHostKeys));
        };
    }

    static SshSettings sshSettings(String name, HostTarget.Ssh ssh, boolean acceptNewHostKeys) {
        SshSettings settings = SshSettings.of(name, ssh.address(), ssh.port(), ssh.user())
                .withAcceptNewHostKey(acceptNewHostKeys);
        if (ssh.identity().isPresent()) {
            settings = settings.withIdentityFile(ssh.identity().get());
        }
        if (ssh.knownHosts().isPresent()) {
            settings = settings.withKnownHostsFile(ssh.knownHosts().get());
        }
        if (ssh.jump().isPresent()) {
            settings = settings.withJumpHost(sshSettings(name + " (jump host)", ssh.jump().get(), acceptNewHostKeys));
        }
        return settings;
    }
}
