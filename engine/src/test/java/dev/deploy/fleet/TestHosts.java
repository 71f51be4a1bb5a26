package dev.deploy.fleet;

import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.TransportStats;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.transfer.TransferResult;
import dev.deploy.Location;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Hosts, connections and outcomes for executor and rollout tests that need no real host. */
final class TestHosts {

    private TestHosts() {
    }

    static Host host(String name, String... groups) {
        return new Host(name, new Location("inventory.yaml", 1, 1), new HostTarget.Local(Path.of("/nonexistent", name)),
                List.of(), List.of(groups), List.of(), List.of());
    }

    static List<Host> hosts(int count) {
        List<Host> hosts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            hosts.add(host("h" + i));
        }
        return hosts;
    }

    static ApplyOutcome applied() {
        return new ApplyOutcome.Applied(null, 2, TransferResult.NOTHING, List.of());
    }

    static ApplyOutcome rolledBack() {
        return new ApplyOutcome.RolledBack(null, 2, 1, TransferResult.NOTHING, "service a is not healthy",
                Optional.empty(), List.of());
    }

    /**
     * A fake connection (no host behind it): the executor only asks whether it is still open. Running anything on
     * it is a test error.
     */
    static final class FakeConnection implements HostConnection {
        private final String host;
        volatile boolean open = true;

        FakeConnection(String host) {
            this.host = host;
        }

        @Override
        public String hostName() {
            return host;
        }

        @Override
        public CommandResult run(String script, StdinWriter stdin) throws IOException {
            throw new AssertionError("the fake connection to " + host + " runs nothing");
        }

        @Override
        public RunningCommand start(String script) throws IOException {
            throw new AssertionError("the fake connection to " + host + " runs nothing");
        }

        @Override
        public Forward forward(String address, int port) throws IOException {
            throw new AssertionError("the fake connection to " + host + " forwards nothing");
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public TransportStats stats() {
            return new TransportStats(0, 0, 0);
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** A deployer over a fresh fake connection. */
    static HostDeployer deployer(Host host) {
        return new HostDeployer(host, new FakeConnection(host.name()));
    }
}
