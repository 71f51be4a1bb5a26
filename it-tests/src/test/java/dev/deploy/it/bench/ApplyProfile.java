package dev.deploy.it.bench;

import dev.deploy.activation.Activation;
import dev.deploy.event.EventSink;
import dev.deploy.activation.HostLock;
import dev.deploy.activation.LinksOnlyServices;
import dev.deploy.activation.ServiceManager;
import dev.deploy.activation.SystemdServices;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostDeployer;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.TransportStats;
import dev.deploy.inventory.Host;
import dev.deploy.plan.DesiredGeneration;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.HostState;
import dev.deploy.plan.Planner;
import dev.deploy.store.HostLayout;
import dev.deploy.transfer.ArtifactPusher;
import dev.deploy.transfer.TransferResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Timestamps of each step of one apply on the first host of an inventory, using the engine's steps as
 * {@code HostDeployer.apply} does: where the wall time of a deploy goes (JVM start, evaluation, connect, lock,
 * facts, push, switch). Run with {@code bench/run profile INVENTORY} against hosts from {@code bench/run --hold N}.
 */
public final class ApplyProfile {

    private static long last;

    private ApplyProfile() {
    }

    public static void main(String[] args) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.printf(Locale.ROOT, "%-28s %7d ms%n", "JVM start to main", System.currentTimeMillis() - jvmStart);
        last = System.nanoTime();
        long begin = last;
        try (Deployment deployment = Deployment.open(Path.of(args[0]), List.of(), List.of(),
                Deployment.defaultConnector(false), Path.of(System.getProperty("java.io.tmpdir"), "deploy-bench-cache"))) {
            step("load inventory and modules");
            Host host = deployment.hosts().get(0);
            DesiredGeneration desired = deployment.desired(host);
            step("evaluate (read + hash tree)");
            HostDeployer deployer = deployment.on(host);
            step("connect (ssh, host key, auth)");
            HostLayout layout = new HostLayout(host.target().stateDir());
            try (HostLock lock = HostLock.acquire(deployer.connection(), layout, "bench profile")) {
                HostState state = lock.facts();
                step("lock + facts (one round trip)");
                HostPlan plan = Planner.plan(host, desired, state);
                step("plan (diff)");
                if (plan.hasChanges()) {
                    TimedConnection timed = new TimedConnection(deployer.connection());
                    TransferResult sent = ArtifactPusher.push(timed, layout, plan.toAdd(), (h, b, t, f, tf) -> { });
                    step("push " + sent.files() + " files");
                    System.out.printf(Locale.ROOT, "  %-26s %7d ms%n", "writing stdin (tar stream)", timed.stdinMillis);
                    System.out.printf(Locale.ROOT, "  %-26s %7d ms%n", "after stdin until exit", timed.afterStdinMillis);
                    GenerationManifest next = desired.manifest().withNumber(state.nextGenerationNumber(),
                            Instant.now().toString());
                    ServiceManager services = state.systemd() ? new SystemdServices() : new LinksOnlyServices();
                    new Activation(host.name(), deployer.connection(), () -> deployer.connection(), layout, services,
                            host.activation(), false, EventSink.NONE)
                            .activate(new Activation.Transition(state.current(), next, true, plan.serviceChanges()));
                    step("write generation + switch + health");
                }
            }
            step("unlock");
            System.out.printf(Locale.ROOT, "%-28s %7d ms (%s)%n", "total after main", (System.nanoTime() - begin) / 1_000_000,
                    deployer.connection().stats());
        }
        System.exit(0);
    }

    /** Times how long a script's stdin takes to write, and how long the script runs after its stdin is closed. */
    private static final class TimedConnection implements HostConnection {
        private final HostConnection connection;
        long stdinMillis;
        long afterStdinMillis;

        TimedConnection(HostConnection connection) {
            this.connection = connection;
        }

        @Override
        public String hostName() {
            return connection.hostName();
        }

        @Override
        public CommandResult run(String script, StdinWriter stdin) throws IOException {
            long[] stdinDone = {0};
            long start = System.nanoTime();
            CommandResult result = connection.run(script, out -> {
                long begin = System.nanoTime();
                stdin.writeTo(out);
                out.flush();
                stdinDone[0] = System.nanoTime();
                stdinMillis += (stdinDone[0] - begin) / 1_000_000;
            });
            afterStdinMillis += (System.nanoTime() - (stdinDone[0] == 0 ? start : stdinDone[0])) / 1_000_000;
            return result;
        }

        @Override
        public RunningCommand start(String script) throws IOException {
            return connection.start(script);
        }

        @Override
        public Forward forward(String address, int port) throws IOException {
            return connection.forward(address, port);
        }

        @Override
        public TransportStats stats() {
            return connection.stats();
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    private static void step(String name) {
        long now = System.nanoTime();
        System.out.printf(Locale.ROOT, "%-28s %7d ms%n", name, (now - last) / 1_000_000);
        last = now;
    }
}
