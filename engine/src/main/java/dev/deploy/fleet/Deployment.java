package dev.deploy.fleet;

import dev.deploy.DeployException;
import dev.deploy.cache.BinaryCache;
import dev.deploy.event.EventSink;
import dev.deploy.host.HostConnection;
import dev.deploy.host.TransportStats;
import dev.deploy.host.ssh.Transports;
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
import dev.deploy.secret.SecretResolver;
import dev.deploy.source.ControllerPaths;
import dev.deploy.source.SourceOptions;
import dev.deploy.source.SourceResolver;
import dev.deploy.source.SourceSpec;
import dev.deploy.Location;
import dev.deploy.store.Artifact;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of {@code deploy} over an inventory: the selected hosts, their evaluated generations, and one connection
 * per host, opened on first use and closed at the end. Evaluation of every selected host happens before any host is
 * contacted, so bad input never leaves a fleet half-deployed. Per-host state (the connection, the realized
 * generation) is kept in a {@link HostMemo}: computed once, by one thread per host, hosts never waiting for each
 * other; a host's failure is kept and thrown again for that host alone. Work over many hosts goes through
 * {@link #executor}.
 */
public final class Deployment implements Closeable {

    private final Inventory inventory;
    private final List<Host> hosts;
    private final ModuleLibrary library;
    private final SourceResolver sources;
    private final HostConnector connector;
    private final HostMemo<HostConnection> connections = new HostMemo<>();
    private final HostMemo<DesiredGeneration> desired = new HostMemo<>();
    private final Map<String, EvaluatedHost> evaluated = new LinkedHashMap<>();
    private final Map<String, HostState> gatheredFacts = new ConcurrentHashMap<>();
    private final Path cacheDir;
    private final VenvRealizer venvs;
    private volatile dev.deploy.plan.HostDrift.Check storeCheck = dev.deploy.plan.HostDrift.Check.FAST;
    private final BinaryCache binaryCache;
    private ExecutorService connectingAhead;
    private volatile boolean closed;
    /** Reads each secret source once for the whole run. */
    private SecretResolver secrets = new SecretResolver();

    private Deployment(Inventory inventory, List<Host> hosts, ModuleLibrary library, SourceResolver sources,
                       HostConnector connector, Path cacheDir) {
        this.binaryCache = BinaryCache.of(inventory);
        this.cacheDir = cacheDir;
        this.venvs = new VenvRealizer(new FileCache(cacheDir.resolve("wheels")),
                (repository, commit, where) -> sources.resolve(new SourceSpec.GitSource(repository, commit,
                        new Location(where, 0, 0)), cacheDir));
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
        return open(inventoryFile, selectors, libraryDirs, connector, cacheDir, SourceOptions.beside(inventoryFile));
    }

    /**
     * As above, with how git pins and the network are treated ({@code deploy.lock}, {@code --frozen},
     * {@code --offline}, {@code lock --update}). What the controller itself writes (local hosts' state directories,
     * the cache, the lock file) is added to {@code sourceOptions} and never becomes part of a {@code path:} source.
     */
    public static Deployment open(Path inventoryFile, List<String> selectors, List<Path> libraryDirs,
                                  HostConnector connector, Path cacheDir, SourceOptions sourceOptions) {
        Inventory inventory = InventoryLoader.load(inventoryFile);
        List<Host> hosts = HostSelector.select(inventory, selectors);
        List<Path> searchPath = new ArrayList<>(inventory.moduleDirs());
        searchPath.add(inventory.baseDir());
        searchPath.add(inventory.baseDir().resolve("modules"));
        searchPath.addAll(libraryDirs);
        SourceResolver sources = new SourceResolver(cacheDir,
                sourceOptions.withController(controllerPaths(inventory, cacheDir, sourceOptions)));
        return new Deployment(inventory, hosts, new ModuleLibrary(searchPath), sources, connector, cacheDir);
    }

    /** What the controller writes during a run: never part of a path: source (issue 9: a tree served from ./ ). */
    private static ControllerPaths controllerPaths(Inventory inventory, Path cacheDir, SourceOptions options) {
        List<ControllerPaths.Owned> owned = new ArrayList<>();
        for (Host host : inventory.hosts()) {
            if (host.target() instanceof HostTarget.Local local) {
                owned.add(new ControllerPaths.Owned(local.root(), "the state directory of local host '"
                        + host.name() + "'"));
            }
            for (HostTarget.Ssh ssh = host.target() instanceof HostTarget.Ssh s ? s : null; ssh != null;
                 ssh = ssh.jump().orElse(null)) {
                ssh.knownHosts().ifPresent(file -> owned.add(new ControllerPaths.Owned(file,
                        "the known_hosts file deploy records accepted host keys in")));
            }
        }
        owned.add(new ControllerPaths.Owned(cacheDir, "deploy's cache directory"));
        options.lockFile().ifPresent(file -> owned.add(new ControllerPaths.Owned(file, "the lock file")));
        return new ControllerPaths(owned);
    }

    public Inventory inventory() {
        return inventory;
    }

    public List<Host> hosts() {
        return hosts;
    }

    /** An executor over this run's hosts: {@code parallel} at a time, connecting through {@link #on}. */
    public FleetExecutor executor(int parallel, EventSink events) {
        return new FleetExecutor(parallel, this::on, events);
    }

    /** The run's sources: their notices, pins and lock file. */
    public SourceResolver sources() {
        return sources;
    }

    /**
     * Evaluates every selected host without reading any secret value (each gets a placeholder): for commands that
     * deploy nothing, such as {@code deploy lock}. Call it instead of {@link #evaluateAll} first.
     */
    public synchronized Map<String, EvaluatedHost> evaluateWithoutSecrets() {
        if (evaluated.isEmpty()) {
            secrets = SecretResolver.unread();
        }
        return evaluateAll();
    }

    /**
     * Evaluates every selected host now, reading their secrets on the controller; any input error (a secret source
     * that fails included) surfaces before a host is touched.
     */
    public synchronized Map<String, EvaluatedHost> evaluateAll() {
        HostEvaluator evaluator = new HostEvaluator(library, sources, secrets);
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
        connectAhead(parallel);
        evaluateAll();
        List<Host> needing = hosts.stream().filter(h -> !evaluated.get(h.name()).venvs().isEmpty()).toList();
        List<HostResult<DesiredGeneration>> results = executor(parallel, EventSink.NONE)
                .run(needing, "prepare", (deployer, events) -> desired(deployer.host()));
        for (HostResult<DesiredGeneration> result : results) {
            if (result instanceof HostResult.Failed<DesiredGeneration> failed
                    && failed.error().kind() == DeployException.Kind.INPUT) {
                throw failed.error();
            }
        }
    }

    /**
     * Starts opening the connections of the first {@code parallel} selected hosts (the ones a run starts with) on
     * threads of their own, so that their SSH handshakes overlap the evaluation of modules and sources (issue 15:
     * they used to follow it). Opening is
     * read-only on the hosts; a failure is kept for the host's first real use, which reports it as it would have
     * (see {@link #on}). Connections still opening when the deployment closes are closed as they complete.
     */
    public synchronized void connectAhead(int parallel) {
        if (connectingAhead != null || hosts.isEmpty()) {
            return;
        }
        List<Host> first = hosts.subList(0, Math.max(1, Math.min(parallel, hosts.size())));
        AtomicInteger threads = new AtomicInteger();
        connectingAhead = Executors.newFixedThreadPool(first.size(), task -> {
            Thread thread = new Thread(task, "connect-ahead-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (Host host : first) {
            connectingAhead.execute(() -> {
                if (closed) {
                    return;
                }
                try {
                    on(host);
                } catch (RuntimeException e) {
                    return; // kept in the memo: the host's first real use reports it
                }
                if (closed) {
                    closeConnections();
                }
            });
        }
        connectingAhead.shutdown();
    }

    /**
     * For apply, after {@link #prepareAll}: builds now the venvs each host lacks (downloads their wheels, builds the
     * packages without one), so that a wheel whose hash differs from the lock, or a failed build, stops the run before
     * any host is changed. Venvs a host already has are not built; plan never calls this.
     */
    public void buildMissing(int parallel) {
        prepareAll(parallel);
        for (Host host : hosts) {
            if (!(desired.peek(host.name()).orElse(null) instanceof HostMemo.Ready<DesiredGeneration> ready)) {
                continue;
            }
            DesiredGeneration generation = ready.value();
            HostState facts = gatheredFacts.get(host.name());
            try {
                for (Artifact artifact : generation.artifacts()) {
                    if (!artifact.isBuilt() && (facts == null || !facts.store().contains(artifact.storePath()))) {
                        artifact.built();
                    }
                }
            } catch (DeployException e) {
                if (e.kind() == DeployException.Kind.INPUT) {
                    throw e;
                }
                desired.fail(host.name(), e);
            }
        }
    }

    /** The generation {@code host} should have; plans its venvs first if it has any (see {@link #prepareAll}). */
    public DesiredGeneration desired(Host host) {
        EvaluatedHost evaluatedHost = evaluateAll().get(host.name());
        if (evaluatedHost == null) {
            throw new IllegalArgumentException("host not selected: " + host.name());
        }
        return desired.get(host.name(), () -> realize(evaluatedHost));
    }

    /** Read-only: what apply would do on {@code host}, reusing the facts read to build its venvs, if any. */
    public HostPlan plan(Host host) {
        DesiredGeneration generation = desired(host);
        HostState facts = gatheredFacts.remove(host.name());
        return facts != null ? on(host).plan(generation, facts) : on(host).plan(generation);
    }

    /**
     * Read-only, for {@code deploy status}: {@code host}'s state with its drift ({@code check} of the live store
     * paths) and the plan of what apply would do. When the inventory's generation for the host cannot be computed
     * (a host error, such as a source that cannot be fetched), the state is still read and the generation is unknown.
     */
    public dev.deploy.status.HostStatus status(Host host, dev.deploy.plan.HostDrift.Check check) {
        HostDeployer deployer = on(host);
        boolean manages = host.target().managesServices();
        DesiredGeneration generation;
        try {
            generation = desired(host);
        } catch (DeployException e) {
            if (e.kind() == DeployException.Kind.INPUT) {
                throw e;
            }
            HostState state = deployer.drift(check);
            return new dev.deploy.status.HostStatus(host.name(), state, Optional.empty(),
                    Optional.of(e.getMessage()), check, manages);
        }
        HostPlan plan = deployer.status(generation, check);
        return new dev.deploy.status.HostStatus(host.name(), plan.state(), Optional.of(plan), Optional.empty(), check,
                manages);
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

    /**
     * Operations on {@code host} over its single connection, opened on first use. Opening one host's connection
     * never waits for another host's; a host that could not be reached fails the same way for every later caller.
     *
     * @throws DeployException of kind HOST when the connection cannot be opened
     */
    public HostDeployer on(Host host) {
        return new HostDeployer(host, connections.get(host.name(), () -> connector.open(host)),
                () -> connector.open(host), binaryCache.substituter(host.name()), storeCheck);
    }

    /**
     * Makes apply read every file of every live store path and compare its SHA-256 with its checksum list
     * ({@code apply --verify}) instead of the fast check (entries, modes, mtimes), so that it also repairs an edit
     * whose modification time was put back.
     */
    public void verifyStore(boolean full) {
        storeCheck = full ? dev.deploy.plan.HostDrift.Check.FULL : dev.deploy.plan.HostDrift.Check.FAST;
    }

    /** The inventory's binary cache for this run (not configured without a top-level {@code cache:}). */
    public BinaryCache binaryCache() {
        return binaryCache;
    }

    /** Round trips and bytes over {@code host}'s connection so far; zeros when it was never opened. */
    public TransportStats stats(Host host) {
        return connections.peek(host.name())
                .filter(entry -> entry instanceof HostMemo.Ready<HostConnection>)
                .map(entry -> ((HostMemo.Ready<HostConnection>) entry).value().stats())
                .orElse(new TransportStats(0, 0, 0));
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (connectingAhead != null) {
                connectingAhead.shutdownNow();
            }
        }
        closeConnections();
        sources.close();
        venvs.close();
        binaryCache.close();
    }

    private void closeConnections() {
        synchronized (connections) {
            for (HostConnection connection : connections.values()) {
                try {
                    connection.close();
                } catch (IOException | RuntimeException e) {
                    // closing a dead connection is not worth reporting
                }
            }
            connections.clear();
        }
    }

    /**
     * Connects {@code local:} hosts with {@code sh} on this machine and SSH hosts over one sshj connection each
     * (settings from the inventory and ssh_config, {@code become} on top: see {@link Transports}). Unknown host keys
     * are refused unless {@code acceptNewHostKeys}; changed keys are always refused.
     */
    public static HostConnector defaultConnector(boolean acceptNewHostKeys) {
        return defaultConnector(acceptNewHostKeys, Optional.empty());
    }

    /**
     * As {@link #defaultConnector(boolean)}, with {@code connectTimeout} (when given; the command line's
     * {@code --connect-timeout}) as the limit for each SSH connect and handshake step, jump hosts included, over the
     * inventory's and ssh_config's.
     */
    public static HostConnector defaultConnector(boolean acceptNewHostKeys, Optional<Duration> connectTimeout) {
        return Transports.standard(acceptNewHostKeys, connectTimeout)::open;
    }
}
