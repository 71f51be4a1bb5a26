package dev.deploy.fleet;

import dev.deploy.DeployException;
import dev.deploy.activation.GarbageCollector;
import dev.deploy.activation.GenerationInfo;
import dev.deploy.activation.GenerationSwitch;
import dev.deploy.activation.Generations;
import dev.deploy.activation.HealthResult;
import dev.deploy.activation.HostLock;
import dev.deploy.activation.LinksOnlyServices;
import dev.deploy.activation.ServiceManager;
import dev.deploy.activation.SystemdServices;
import dev.deploy.event.DeployEvent;
import dev.deploy.event.EventSink;
import dev.deploy.host.HostConnection;
import dev.deploy.inventory.Host;
import dev.deploy.plan.DesiredGeneration;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostFacts;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.HostState;
import dev.deploy.plan.Planner;
import dev.deploy.store.HostLayout;
import dev.deploy.transfer.ArtifactPusher;
import dev.deploy.transfer.TransferProgress;
import dev.deploy.transfer.TransferResult;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every operation on one host, each step a quoted script over the host's single connection: plan (facts, diff),
 * apply (lock and facts in one round trip, push missing store paths, write and switch the generation, restart, health-check, roll back on
 * failure), rollback, generations and gc.
 */
public final class HostDeployer {

    private final Host host;
    private final HostConnection connection;
    private final HostLayout layout;

    public HostDeployer(Host host, HostConnection connection) {
        this.host = host;
        this.connection = connection;
        this.layout = new HostLayout(host.target().stateDir());
    }

    public Host host() {
        return host;
    }

    public HostConnection connection() {
        return connection;
    }

    public HostLayout layout() {
        return layout;
    }

    /** Read-only: what apply would do. */
    public HostPlan plan(DesiredGeneration desired) {
        return Planner.plan(host, desired, HostFacts.gather(connection, layout));
    }

    /** Read-only: what apply would do, from facts already gathered in this run. */
    public HostPlan plan(DesiredGeneration desired, HostState state) {
        return Planner.plan(host, desired, state);
    }

    /** The host's state, with the given Python interpreters probed (one round trip, read-only). */
    public HostState facts(List<String> pythons) {
        return HostFacts.gather(connection, layout, pythons);
    }

    public ApplyOutcome apply(DesiredGeneration desired, TransferProgress progress) {
        return apply(desired, progress, EventSink.NONE);
    }

    /**
     * Brings the host to {@code desired}, reporting the transfer to {@code progress} and what happens to
     * {@code events}: the plan once it is read under the lock ({@link DeployEvent.Planned}), the switch and a
     * rollback.
     */
    public ApplyOutcome apply(DesiredGeneration desired, TransferProgress progress, EventSink events) {
        try (HostLock lock = HostLock.acquire(connection, layout, lockOwner("apply"))) {
            HostState state = lock.facts();
            HostPlan plan = Planner.plan(host, desired, state);
            events.accept(new DeployEvent.Planned(Instant.now(), host.name(), plan));
            int currentNumber = state.currentNumber().orElse(0);
            if (!plan.hasChanges()) {
                return new ApplyOutcome.Unchanged(plan, currentNumber);
            }
            TransferResult transfer = ArtifactPusher.push(connection, layout, plan, progress);
            int number = state.nextGenerationNumber();
            GenerationManifest next = desired.manifest().withNumber(number, now());
            ServiceManager services = services(state);
            GenerationSwitch.writeAndSwitch(connection, layout, next, services, plan.serviceChanges());
            events.accept(new DeployEvent.Switched(Instant.now(), host.name(), currentNumber, number));
            HealthResult health = services.checkHealth(connection, next, plan.serviceChanges());
            if (health.healthy()) {
                return new ApplyOutcome.Applied(plan, number, transfer, health.checks());
            }
            String unhealthy = health.failure();
            if (state.current().isPresent() && state.currentNumber().isPresent()) {
                GenerationManifest previous = state.current().get().withNumber(currentNumber,
                        state.current().get().createdAt());
                List<HostPlan.ServiceChange> back = Planner.serviceChanges(next.services(), previous.services());
                GenerationSwitch.switchTo(connection, layout, previous, services, back);
                events.accept(new DeployEvent.RolledBack(Instant.now(), host.name(), number, currentNumber, false,
                        unhealthy));
                HealthResult restored = services.checkHealth(connection, previous, back);
                return new ApplyOutcome.RolledBack(plan, number, currentNumber, transfer, unhealthy,
                        restored.healthy() ? Optional.empty() : Optional.of(restored.failure()), health.checks());
            }
            return new ApplyOutcome.NotRestored(plan, number, transfer, "health check", unhealthy,
                    "no earlier generation to roll back to", health.checks());
        }
    }

    /** Switches to generation {@code to}, or to the newest one older than the current when empty. */
    public RollbackOutcome rollback(Optional<Integer> to) {
        try (HostLock lock = HostLock.acquire(connection, layout, lockOwner("rollback"))) {
            List<GenerationInfo> generations = Generations.list(connection, layout);
            GenerationInfo current = generations.stream().filter(GenerationInfo::current).findFirst()
                    .orElseThrow(() -> DeployException.host(host.name(), "rollback", "the host has no current generation"));
            GenerationInfo target;
            if (to.isPresent()) {
                target = generations.stream().filter(g -> g.number() == to.get()).findFirst()
                        .orElseThrow(() -> DeployException.input(host.name() + ": rollback: there is no generation "
                                + to.get() + " (generations: " + numbers(generations) + ")"));
            } else {
                target = generations.stream().filter(g -> g.number() < current.number())
                        .reduce((a, b) -> b)
                        .orElseThrow(() -> DeployException.input(host.name() + ": rollback: generation "
                                + current.number() + " is the oldest; nothing to roll back to"));
            }
            if (target.manifest() == null) {
                throw DeployException.host(host.name(), "rollback", "generation " + target.number()
                        + " has no readable manifest.json");
            }
            HostState state = lock.facts();
            var missing = target.manifest().storePaths().stream().filter(p -> !state.store().contains(p)).toList();
            if (!missing.isEmpty()) {
                throw DeployException.host(host.name(), "rollback", "generation " + target.number()
                        + " needs store paths that are gone: " + missing.get(0));
            }
            List<HostPlan.ServiceChange> changes = Planner.serviceChanges(
                    current.manifest() == null ? Map.of() : current.manifest().services(), target.manifest().services());
            GenerationManifest switched = target.manifest().withNumber(target.number(), target.manifest().createdAt());
            ServiceManager services = services(state);
            GenerationSwitch.switchTo(connection, layout, switched, services, changes);
            HealthResult health = services.checkHealth(connection, switched, changes);
            if (!health.healthy()) {
                throw DeployException.host(host.name(), "health check", health.failure() + " (generation "
                        + target.number() + " is current; deploy rollback --to " + current.number() + " goes back)");
            }
            return new RollbackOutcome(current.number(), target.number(), changes,
                    HostPlan.startsServices(host, state), health.checks());
        }
    }

    public List<GenerationInfo> generations() {
        return Generations.list(connection, layout);
    }

    /** Deletes old generations and unreferenced store paths; {@code dryRun} only reports them. */
    public GarbageCollector.Collection gc(int keep, boolean dryRun) {
        try (HostLock lock = HostLock.acquire(connection, layout, lockOwner("gc"))) {
            List<GenerationInfo> generations = Generations.list(connection, layout);
            HostState state = lock.facts();
            GarbageCollector.Collection collection = GarbageCollector.decide(generations, state.store(), keep);
            if (!dryRun) {
                GarbageCollector.delete(connection, layout, collection);
            }
            return collection;
        }
    }

    private ServiceManager services(HostState state) {
        return HostPlan.startsServices(host, state) ? new SystemdServices() : new LinksOnlyServices();
    }

    private static String numbers(List<GenerationInfo> generations) {
        return String.join(", ", generations.stream().map(g -> String.valueOf(g.number())).toList());
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String lockOwner(String operation) {
        String controller;
        try {
            controller = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            controller = "unknown-host";
        }
        return "deploy " + operation + " by " + System.getProperty("user.name") + "@" + controller + " pid "
                + ManagementFactory.getRuntimeMXBean().getPid() + " since " + now();
    }
}
