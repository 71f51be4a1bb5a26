package dev.deploy.fleet;

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
import dev.deploy.plan.DesiredGeneration;
import dev.deploy.source.SourceResolver;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final Map<String, DesiredGeneration> desired = new LinkedHashMap<>();

    private Deployment(Inventory inventory, List<Host> hosts, ModuleLibrary library, SourceResolver sources,
                       HostConnector connector) {
        this.inventory = inventory;
        this.hosts = hosts;
        this.library = library;
        this.sources = sources;
        this.connector = connector;
    }

    /**
     * Loads the inventory and selects hosts. Modules are looked up in the inventory's {@code modulePath}, the
     * inventory's directory and its {@code modules/}, then {@code libraryDirs}.
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
                connector);
    }

    public Inventory inventory() {
        return inventory;
    }

    public List<Host> hosts() {
        return hosts;
    }

    /** Evaluates every selected host now; any input error surfaces before a host is touched. */
    public Map<String, DesiredGeneration> evaluateAll() {
        HostEvaluator evaluator = new HostEvaluator(library, sources);
        for (Host host : hosts) {
            desired.computeIfAbsent(host.name(), name -> DesiredGeneration.of(evaluator.evaluate(inventory, host)));
        }
        return desired;
    }

    public DesiredGeneration desired(Host host) {
        DesiredGeneration generation = evaluateAll().get(host.name());
        if (generation == null) {
            throw new IllegalArgumentException("host not selected: " + host.name());
        }
        return generation;
    }

    /** Operations on {@code host} over its (single, reused) connection. */
    public synchronized HostDeployer on(Host host) {
        HostConnection connection = connections.computeIfAbsent(host.name(), name -> connector.open(host));
        return new HostDeployer(host, connection);
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
