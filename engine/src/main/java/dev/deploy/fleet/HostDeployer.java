package dev.deploy.fleet;

import dev.deploy.DeployException;
import dev.deploy.activation.GarbageCollector;
import dev.deploy.activation.GenerationInfo;
import dev.deploy.activation.Activation;
import dev.deploy.activation.Generations;
import dev.deploy.activation.HealthResult;
import dev.deploy.activation.HostLock;
import dev.deploy.activation.LinksOnlyServices;
import dev.deploy.activation.ServiceManager;
import dev.deploy.activation.SystemdServices;
import dev.deploy.event.DeployEvent;
import dev.deploy.activation.UnitOwnership;
import dev.deploy.event.EventSink;
import dev.deploy.host.HostConnection;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
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
import java.util.function.Supplier;

/**
 * Every operation on one host, each step a host script over the host's connection: plan (facts, diff), apply (lock
 * and facts in one round trip, push missing store paths, then the {@link Activation} state machine: write and switch
 * the generation, services, health, confirmation over a new connection, undo on any failure after the switch),
 * rollback (the same state machine to an existing generation), generations and gc.
 */
public final class HostDeployer {

    private final Host host;
    private final HostConnection connection;
    private final Supplier<HostConnection> reconnect;
    private final HostLayout layout;

    /** Operations over {@code connection}; an activation cannot be confirmed over a new connection. */
    public HostDeployer(Host host, HostConnection connection) {
        this(host, connection, () -> {
            throw new IllegalStateException("no second connection to " + host.name() + " can be opened here");
        });
    }

    /**
     * @param reconnect opens a new connection to the host: magic rollback confirms over it (proving that the new
     *                  generation still lets deploy in), and a lost connection is undone over it
     */
    public HostDeployer(Host host, HostConnection connection, Supplier<HostConnection> reconnect) {
        this.host = host;
        this.connection = connection;
        this.reconnect = reconnect;
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

    /**
     * Read-only: what apply would do.
     *
     * @throws DeployException of kind INPUT when a service would replace a unit deploy did not create
     */
    public HostPlan plan(DesiredGeneration desired) {
        List<String> units = UnitOwnership.units(desired.manifest());
        HostState state = HostFacts.gather(connection, layout, List.of(), units);
        UnitOwnership.check(host, desired.manifest(), state);
        return Planner.plan(host, desired, state);
    }

    /** Read-only: what apply would do, from facts already gathered in this run (read again if they lack units). */
    public HostPlan plan(DesiredGeneration desired, HostState state) {
        List<String> units = UnitOwnership.units(desired.manifest());
        if (state.systemd() && !state.units().keySet().containsAll(units)) {
            state = HostFacts.gather(connection, layout, List.of(), units);
        }
        UnitOwnership.check(host, desired.manifest(), state);
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
     * Brings the host to {@code desired}: lock and facts, settle an activation nobody confirmed, plan, push, then
     * the activation state machine ({@link Activation}): switch, services, health, confirm.
     *
     * @throws DeployException for failures before the switch (nothing on the host changed)
     */
    public ApplyOutcome apply(DesiredGeneration desired, TransferProgress progress, EventSink events) {
        List<String> units = UnitOwnership.units(desired.manifest());
        try (HostLock lock = HostLock.acquire(connection, layout, lockOwner("apply"), units)) {
            HostState state = settled(lock.facts(), units, events);
            UnitOwnership.check(host, desired.manifest(), state);
            HostPlan plan = Planner.plan(host, desired, state);
            events.accept(new DeployEvent.Planned(Instant.now(), host.name(), plan));
            int currentNumber = state.currentNumber().orElse(0);
            if (!plan.hasChanges()) {
                return new ApplyOutcome.Unchanged(plan, currentNumber);
            }
            TransferResult transfer = ArtifactPusher.push(connection, layout, plan, progress);
            int number = state.nextGenerationNumber();
            GenerationManifest next = desired.manifest().withNumber(number, now());
            Optional<GenerationManifest> previous = state.current().map(m -> m.withNumber(currentNumber,
                    m.createdAt()));
            Activation.Result result = activation(state, events)
                    .activate(new Activation.Transition(previous, next, true, plan.serviceChanges()));
            List<String> checks = result.health().stream().map(HealthResult.Check::line).toList();
            if (result instanceof Activation.Result.Confirmed) {
                return new ApplyOutcome.Applied(plan, number, transfer, checks);
            }
            if (result instanceof Activation.Result.HealthFailed failed) {
                return previous.isPresent()
                        ? new ApplyOutcome.RolledBack(plan, number, currentNumber, transfer, failed.reason(),
                                failed.restoreProblem(), checks)
                        : new ApplyOutcome.NotRestored(plan, 0, transfer, "health check", failed.reason(),
                                "no earlier generation to go back to: the host has no live generation now", checks);
            }
            if (result instanceof Activation.Result.Reverted reverted) {
                return new ApplyOutcome.Reverted(plan, number, reverted.live(), transfer, reverted.reason(), checks);
            }
            if (result instanceof Activation.Result.Restored restored) {
                return new ApplyOutcome.RestoredAfterFailure(plan, number, currentNumber, transfer, restored.step(),
                        restored.reason(), checks);
            }
            Activation.Result.NotRestored broken = (Activation.Result.NotRestored) result;
            return new ApplyOutcome.NotRestored(plan, broken.live(), transfer, broken.step(), broken.reason(),
                    broken.problem(), checks);
        }
    }

    /** Switches to generation {@code to}, or to the newest one older than the current when empty. */
    public RollbackOutcome rollback(Optional<Integer> to) {
        return rollback(to, false, EventSink.NONE);
    }

    /**
     * Switches to generation {@code to}, or, when empty, to the newest generation older than the current one that is
     * not marked failed; when the live generation is an activation nobody confirmed (its deploy stopped), undoing it
     * is the rollback. A generation marked failed is only chosen with {@code --to} and {@code force}. The switch
     * runs the same activation state machine as apply (health checks, confirmation, undo on failure).
     *
     * @throws DeployException of kind INPUT for a generation that does not exist or failed (without force), of kind
     *                         HOST when the switch failed (the host is back on the generation it was on, unless the
     *                         message says otherwise)
     */
    public RollbackOutcome rollback(Optional<Integer> to, boolean force, EventSink events) {
        try (HostLock lock = HostLock.acquire(connection, layout, lockOwner("rollback"))) {
            Optional<HostState.ActivationState> pending = lock.facts().activation()
                    .filter(HostState.ActivationState::pending);
            HostState state = settled(lock.facts(), List.of(), events);
            if (to.isEmpty() && pending.isPresent()
                    && state.currentNumber().orElse(0) == pending.get().previous()) {
                // The live generation was one nobody confirmed (its deploy died): undoing it was the rollback;
                // going one further back would also undo a generation that was confirmed.
                return new RollbackOutcome(pending.get().number(), pending.get().previous(), List.of(), List.of());
            }
            List<GenerationInfo> generations = Generations.list(connection, layout);
            GenerationInfo current = generations.stream().filter(GenerationInfo::current).findFirst()
                    .orElseThrow(() -> DeployException.host(host.name(), "rollback", "the host has no current generation"));
            GenerationInfo target;
            if (to.isPresent()) {
                target = generations.stream().filter(g -> g.number() == to.get()).findFirst()
                        .orElseThrow(() -> DeployException.input(host.name() + ": rollback: there is no generation "
                                + to.get() + " (generations: " + numbers(generations) + ")"));
                if (target.failed() && !force) {
                    throw DeployException.input(host.name(), null, "--to", "generation " + target.number()
                            + " is marked failed (" + target.failure().orElseThrow()
                            + "); add --force to switch to it anyway");
                }
            } else {
                target = generations.stream().filter(g -> g.number() < current.number() && !g.failed())
                        .reduce((a, b) -> b)
                        .orElseThrow(() -> DeployException.input(host.name() + ": rollback: no generation older than "
                                + current.number() + " that did not fail (generations: " + numbers(generations)
                                + "); use --to N"));
            }
            if (target.manifest() == null) {
                throw DeployException.host(host.name(), "rollback", "generation " + target.number()
                        + " has no readable manifest.json");
            }
            if (target.number() == current.number() && !current.failed()) {
                return new RollbackOutcome(current.number(), target.number(), List.of(), List.of());
            }
            var missing = target.manifest().storePaths().stream().filter(p -> !state.store().contains(p)).toList();
            if (!missing.isEmpty()) {
                throw DeployException.host(host.name(), "rollback", "generation " + target.number()
                        + " needs store paths that are gone: " + missing.get(0));
            }
            Map<String, GenerationManifest.ServiceEntry> before = current.manifest() == null ? Map.of()
                    : current.manifest().services();
            List<HostPlan.ServiceChange> changes = current.failed()
                    ? Planner.reactivation(before, target.manifest().services())
                    : Planner.serviceChanges(before, target.manifest().services());
            GenerationManifest switched = target.manifest().withNumber(target.number(), target.manifest().createdAt());
            Optional<GenerationManifest> from = Optional.ofNullable(current.manifest())
                    .map(m -> m.withNumber(current.number(), m.createdAt()));
            Activation.Result result = activation(state, events)
                    .activate(new Activation.Transition(from, switched, false, changes));
            String back = "; back on generation " + current.number();
            if (result instanceof Activation.Result.Confirmed confirmed) {
                return new RollbackOutcome(current.number(), target.number(), changes,
                        confirmed.health().stream().map(HealthResult.Check::line).toList());
            }
            if (result instanceof Activation.Result.HealthFailed failed) {
                throw DeployException.host(host.name(), "health check", failed.reason() + back
                        + failed.restoreProblem().map(p -> " (not healthy either: " + p + ")").orElse(""));
            }
            if (result instanceof Activation.Result.Reverted reverted) {
                throw DeployException.host(host.name(), "confirm", reverted.reason() + back);
            }
            if (result instanceof Activation.Result.Restored restored) {
                throw DeployException.host(host.name(), restored.step(), restored.reason() + back);
            }
            Activation.Result.NotRestored broken = (Activation.Result.NotRestored) result;
            throw DeployException.host(host.name(), broken.step(), broken.reason() + "; " + broken.problem());
        }
    }

    public List<GenerationInfo> generations() {
        return Generations.list(connection, layout);
    }

    /** Deletes old generations and unreferenced store paths; {@code dryRun} only reports them. */
    public GarbageCollector.Collection gc(int keep, boolean dryRun) {
        try (HostLock lock = HostLock.acquire(connection, layout, lockOwner("gc"))) {
            HostState state = settled(lock.facts(), List.of(), EventSink.NONE);
            List<GenerationInfo> generations = Generations.list(connection, layout);
            GarbageCollector.Collection collection = GarbageCollector.decide(host.name(), generations, state.store(),
                    keep);
            if (!dryRun) {
                GarbageCollector.delete(connection, layout, collection);
            }
            return collection;
        }
    }

    /**
     * The state to plan from: when the host still holds an activation that was never confirmed (its controller
     * stopped), that activation is undone first and the facts are read again.
     */
    private HostState settled(HostState state, List<String> units, EventSink events) {
        Optional<HostState.ActivationState> pending = state.activation().filter(HostState.ActivationState::pending);
        if (pending.isEmpty()) {
            return state;
        }
        Activation.settle(host.name(), connection, layout, pending.get().number(), pending.get().previous(), events);
        return HostFacts.gather(connection, layout, List.of(), units);
    }

    private Activation activation(HostState state, EventSink events) {
        boolean guarded = host.activation().magicRollback() && host.target() instanceof HostTarget.Ssh;
        return new Activation(host.name(), connection, reconnect, layout, services(state), host.activation(),
                guarded, events);
    }

    private ServiceManager services(HostState state) {
        return host.target().managesServices() && state.systemd()
                ? new SystemdServices() : new LinksOnlyServices();
    }

    private static String numbers(List<GenerationInfo> generations) {
        return String.join(", ", generations.stream().map(g -> g.number() + (g.failed() ? " (failed)" : "")).toList());
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
