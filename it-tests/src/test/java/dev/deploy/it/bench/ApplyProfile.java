package dev.deploy.it.bench;

import dev.deploy.activation.GenerationSwitch;
import dev.deploy.activation.HostLock;
import dev.deploy.activation.LinksOnlyServices;
import dev.deploy.activation.ServiceManager;
import dev.deploy.activation.SystemdServices;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostDeployer;
import dev.deploy.inventory.Host;
import dev.deploy.plan.DesiredGeneration;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostFacts;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.HostState;
import dev.deploy.plan.Planner;
import dev.deploy.store.HostLayout;
import dev.deploy.transfer.ArtifactPusher;
import dev.deploy.transfer.TransferResult;
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
                step("lock");
                HostState state = HostFacts.gather(deployer.connection(), layout);
                step("facts");
                HostPlan plan = Planner.plan(host, desired, state);
                step("plan (diff)");
                if (plan.hasChanges()) {
                    TransferResult sent = ArtifactPusher.push(deployer.connection(), layout, plan.toAdd(),
                            (h, b, t, f, tf) -> { });
                    step("push " + sent.files() + " files");
                    GenerationManifest next = desired.manifest().withNumber(state.nextGenerationNumber(),
                            Instant.now().toString());
                    ServiceManager services = state.systemd() ? new SystemdServices() : new LinksOnlyServices();
                    GenerationSwitch.writeAndSwitch(deployer.connection(), layout, next, services,
                            plan.serviceChanges());
                    step("write generation + switch");
                }
            }
            step("unlock");
            System.out.printf(Locale.ROOT, "%-28s %7d ms (%s)%n", "total after main", (System.nanoTime() - begin) / 1_000_000,
                    deployer.connection().stats());
        }
        System.exit(0);
    }

    private static void step(String name) {
        long now = System.nanoTime();
        System.out.printf(Locale.ROOT, "%-28s %7d ms%n", name, (now - last) / 1_000_000);
        last = now;
    }
}
