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
import dev.deploy.cache.Substituter;
import dev.deploy.event.DeployEvent;
import dev.deploy.activation.UnitOwnership;
import dev.deploy.event.EventSink;
import dev.deploy.host.HostConnection;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.plan.DesiredGeneration;
import dev.deploy.plan.FreeSpace;
import dev.deploy.plan.HostDrift;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostFacts;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.HostState;
import dev.deploy.plan.Planner;
import dev.deploy.secret.Secret;
import dev.deploy.secret.SecretKey;
import dev.deploy.secret.SecretWriter;
import dev.deploy.plan.ArtifactRedaction;
import dev.deploy.plan.HostDiffs;
import dev.deploy.plan.SavedPlan;
import dev.deploy.plan.SecretAccounts;
import dev.deploy.plan.SecretRedaction;
import dev.deploy.plan.PreviousVersions;
import dev.deploy.transfer.PreviousFetcher;
import dev.deploy.transfer.PathDelta;
import dev.deploy.plan.HostDiff;
import dev.deploy.store.Artifact;
import dev.deploy.store.HostLayout;
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
    private final HostDrift.Check storeCheck;
    private final ArtifactRedaction redaction;
    private final Substituter substituter;

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
        this(host, connection, reconnect, Substituter.NONE, ArtifactRedaction.NONE, HostDrift.Check.FAST);
    }

    /** {@code substituter}: where missing store paths come from besides the push (the binary cache). */
    public HostDeployer(Host host, HostConnection connection, Supplier<HostConnection> reconnect,
                        Substituter substituter) {
        this(host, connection, reconnect, substituter, ArtifactRedaction.NONE, HostDrift.Check.FAST);
    }

    /**
     * {@code substituter} as above; {@code storeCheck}: how apply checks the live store paths for drift under the lock
     * ({@code FULL}: every file's SHA-256, {@code apply --verify}); a damaged path is sent again whole.
     */
    public HostDeployer(Host host, HostConnection connection, Supplier<HostConnection> reconnect,
                        Substituter substituter, HostDrift.Check storeCheck) {
        this(host, connection, reconnect, substituter, ArtifactRedaction.NONE, storeCheck);
    }

    /**
     * @param substituter where missing store paths come from besides the push (the binary cache)
     * @param redaction   what plans never show: hidden artifacts (secrets) are neither read from the host nor
     *                    shown, and text diff lines pass through it
     * @param storeCheck  how apply checks the live store paths for drift under the lock
     */
    public HostDeployer(Host host, HostConnection connection, Supplier<HostConnection> reconnect,
                        Substituter substituter, ArtifactRedaction redaction, HostDrift.Check storeCheck) {
        this.redaction = redaction;
        this.storeCheck = storeCheck;
        this.host = host;
        this.connection = connection;
        this.reconnect = reconnect;
        this.layout = new HostLayout(host.target().stateDir());
        this.substituter = substituter;
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
        HostState state = HostFacts.gather(connection, layout, List.of(), units, SecretAccounts.accounts(desired),
                HostDrift.program(layout, HostDrift.Check.FAST, true, false, desired.manifest().storePaths()));
        UnitOwnership.check(host, desired.manifest(), state);
        SecretAccounts.check(host, desired, state);
        return fitting(withDiff(Planner.plan(host, desired.keyed(secretKey(state, desired)), state)).plan());
    }

    /** Read-only: what apply would do, from facts already gathered in this run (read again if they lack units). */
    public HostPlan plan(DesiredGeneration desired, HostState state) {
        List<String> units = UnitOwnership.units(desired.manifest());
        HostState gathered = state;
        boolean unchecked = desired.manifest().storePaths().stream()
                .anyMatch(path -> gathered.store().contains(path) && !gathered.drift().paths().containsKey(path));
        if (unchecked || state.systemd() && !state.units().keySet().containsAll(units)
                || !SecretAccounts.checked(desired, state)) {
            // facts gathered earlier in this run lack the units' holders, the check of the store paths the new
            // generation takes over from older ones, or the owners and groups of its secrets
            state = HostFacts.gather(connection, layout, List.of(), units, SecretAccounts.accounts(desired),
                    HostDrift.program(layout, HostDrift.Check.FAST, true, false, desired.manifest().storePaths()));
        }
        UnitOwnership.check(host, desired.manifest(), state);
        SecretAccounts.check(host, desired, state);
        return fitting(withDiff(Planner.plan(host, desired.keyed(secretKey(state, desired)), state)).plan());
    }

    /**
     * Read-only, for {@code deploy status}: the host's state with its drift ({@code check} of the live store paths,
     * the services, leftovers and the lock holder) in one round trip, and the plan of what apply would do from it.
     * Unlike {@link #plan}, a plan that does not fit the host's free space is returned, not thrown.
     */
    public HostPlan status(DesiredGeneration desired, HostDrift.Check check) {
        List<String> units = UnitOwnership.units(desired.manifest());
        HostState state = HostFacts.gather(connection, layout, List.of(), units,
                HostDrift.program(layout, check, true, true));
        return Planner.plan(host, desired.keyed(secretKey(state, desired)), state);
    }

    /**
     * The host's naming key for secret versions, or a new one when it has none yet (kept by the host at apply).
     *
     * @throws DeployException of kind HOST (step {@code secrets}) when {@code desired} has secrets and the host's key
     *                         exists but the connecting user cannot read it: a plan made without it would name
     *                         every secret changed
     */
    private SecretKey secretKey(HostState state, DesiredGeneration desired) {
        if (state.secrets().keyUnreadable() && !desired.secrets().isEmpty()) {
            throw DeployException.host(host.name(), "secrets", "cannot read " + layout.secretKey() + " as the "
                    + "connecting user: secrets need root on the host (connect as root, or set become: sudo)");
        }
        return state.secrets().key().orElseGet(SecretKey::random);
    }

    /** A plan with its diff, and the delta bases read for it (one round trip when it has changes). */
    private record Reviewed(HostPlan plan, PreviousFetcher.Fetched fetched) {
    }

    /**
     * {@code plan} with what changes inside its artifacts: the old versions' checksum lists and texts are read in the
     * round trip that also finds the transfer's delta bases, so apply makes no extra round trip for the diff.
     */
    private Reviewed withDiff(HostPlan plan) {
        ArtifactRedaction redaction = SecretRedaction.of(plan.desired().secrets().values(), this.redaction);
        if (!plan.hasChanges()) {
            return new Reviewed(plan.withDiff(HostDiffs.compute(plan, PreviousVersions.NONE, redaction)),
                    PreviousFetcher.Fetched.NOTHING);
        }
        PreviousFetcher.Fetched fetched = PreviousFetcher.fetch(connection, layout, plan,
                HostDiffs.wanted(plan, redaction));
        HostDiff diff = HostDiffs.compute(plan, fetched.previous(), redaction);
        List<PathDelta> deltas = plan.toAdd().stream().filter(Artifact::isBuilt)
                .map(a -> PathDelta.of(a, Optional.ofNullable(fetched.bases().get(a.storePath())))).toList();
        diff = diff.withSending(new HostDiff.Sending(deltas.stream().mapToInt(PathDelta::filesToSend).sum(),
                deltas.stream().mapToLong(PathDelta::bytesToSend).sum(),
                deltas.stream().mapToInt(d -> d.links().size()).sum()));
        return new Reviewed(plan.withDiff(diff), fetched);
    }

    /** Read-only: the host's state with its drift ({@code check} of the live store paths, services, leftovers, lock). */
    public HostState drift(HostDrift.Check check) {
        return HostFacts.gather(connection, layout, List.of(), List.of(),
                HostDrift.program(layout, check, true, true));
    }

    /** {@code plan}, unless the host's state directory lacks the space it needs (a host error before any transfer). */
    private static HostPlan fitting(HostPlan plan) {
        FreeSpace.require(plan);
        return plan;
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
        return apply(desired, progress, events, Optional.empty());
    }

    /**
     * As {@link #apply(DesiredGeneration, TransferProgress, EventSink)}, for a saved plan: {@code planned} is this
     * host's entry of it. Under the lock, before anything is sent, the host must still be in the state the plan was
     * made from, and the plan made again from it must do exactly what was planned
     * ({@link SavedPlan.HostEntry#differenceFrom}).
     *
     * @throws DeployException of kind HOST (step {@code check plan}) when the host changed since the plan was made
     */
    public ApplyOutcome apply(DesiredGeneration desired, TransferProgress progress, EventSink events,
                              Optional<SavedPlan.HostEntry> planned) {
        List<String> units = UnitOwnership.units(desired.manifest());
        // the live store paths and those the new generation takes over from older ones: apply sends a damaged one
        // again rather than switch to it
        String facts = HostFacts.program(layout, List.of(), units, SecretAccounts.accounts(desired),
                HostDrift.program(layout, storeCheck, true, false, desired.manifest().storePaths()));
        try (HostLock lock = HostLock.acquire(connection, layout, lockOwner("apply"), units, facts)) {
            // before settling an unconfirmed activation (the facts read again then do not ask about accounts)
            SecretAccounts.check(host, desired, lock.facts());
            HostState state = settled(lock.facts(), units, events);
            SecretKey key = secretKey(state, desired);
            desired = desired.keyed(key);
            UnitOwnership.check(host, desired.manifest(), state);
            Reviewed reviewed = withDiff(Planner.plan(host, desired, state));
            HostPlan plan = reviewed.plan();
            if (planned.isPresent()) {
                Optional<String> changed = planned.get().differenceFrom(plan);
                if (changed.isPresent()) {
                    throw DeployException.host(host.name(), "check plan", "changed since the plan was made: "
                            + changed.get() + "; nothing was changed (make and review a new plan)");
                }
            }
            events.accept(new DeployEvent.Planned(Instant.now(), host.name(), plan));
            int currentNumber = state.currentNumber().orElse(0);
            if (!plan.hasChanges()) {
                return new ApplyOutcome.Unchanged(plan, currentNumber);
            }
            FreeSpace.require(plan);
            TransferResult transfer = substituter.transfer(connection, layout, plan, reviewed.fetched().bases(),
                    progress);
            writeSecrets(desired, plan, key, state);
            int number = state.nextGenerationNumber();
            GenerationManifest next = desired.manifest().withNumber(number, now());
            Optional<GenerationManifest> previous = state.current().map(m -> m.withNumber(currentNumber,
                    m.createdAt()));
            Activation.Result result = activation(state, events)
                    .activate(new Activation.Transition(previous, next, true, plan.serviceChanges(),
                            plan.unitsRepaired()));
            List<String> checks = result.health().stream().map(HealthResult.Check::line).toList();
            if (result instanceof Activation.Result.Confirmed) {
                return new ApplyOutcome.Applied(plan, number, transfer, checks);
            }
            if (result instanceof Activation.Result.HealthFailed failed) {
                // Also a host's first generation: undone, the host is as it was, with no generation (0).
                return new ApplyOutcome.RolledBack(plan, number, currentNumber, transfer, failed.reason(),
                        failed.restoreProblem(), checks);
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

    /**
     * Writes the secret versions the host lacks (values through stdin), and the naming key when the host has none;
     * before the switch, so a failure here changes nothing live.
     */
    private void writeSecrets(DesiredGeneration desired, HostPlan plan, SecretKey key, HostState state) {
        if (desired.secrets().isEmpty()) {
            return;
        }
        Map<String, Secret> versions = new java.util.TreeMap<>();
        desired.secrets().values().forEach(secret -> {
            String version = key.version(secret);
            if (plan.secretsToWrite().contains(version)) {
                versions.put(version, secret);
            }
        });
        if (!versions.isEmpty() || state.secrets().key().isEmpty()) {
            SecretWriter.write(connection, layout, key, versions);
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
                return new RollbackOutcome(pending.get().number(), pending.get().previous(), List.of(),
                        HostPlan.startsServices(host, state), List.of());
            }
            List<GenerationInfo> generations = Generations.list(connection, layout);
            GenerationInfo current = generations.stream().filter(GenerationInfo::current).findFirst()
                    .orElseThrow(() -> DeployException.host(host.name(), "rollback", "the host has no current generation"));
            GenerationInfo target;
            if (to.isPresent()) {
                target = generations.stream().filter(g -> g.number() == to.get()).findFirst()
                        .orElseThrow(() -> DeployException.input(host.name(), null, "--to", "there is no generation "
                                + to.get() + " (generations: " + numbers(generations) + ")"));
                if (target.failed() && !force) {
                    throw DeployException.input(host.name(), null, "--to", "generation " + target.number()
                            + " is marked failed (" + target.failure().orElseThrow()
                            + "); add --force to switch to it anyway");
                }
            } else {
                target = generations.stream().filter(g -> g.number() < current.number() && !g.failed())
                        .reduce((a, b) -> b)
                        .orElseThrow(() -> DeployException.input(host.name(), null, null, "rollback: no generation older than "
                                + current.number() + " that did not fail (generations: " + numbers(generations)
                                + "); use --to N"));
            }
            if (target.manifest() == null) {
                throw DeployException.host(host.name(), "rollback", "generation " + target.number()
                        + " has no readable manifest.json");
            }
            if (target.number() == current.number() && !current.failed()) {
                return new RollbackOutcome(current.number(), target.number(), List.of(),
                        HostPlan.startsServices(host, state), List.of());
            }
            var missing = target.manifest().storePaths().stream().filter(p -> !state.store().contains(p)).toList();
            if (!missing.isEmpty()) {
                throw DeployException.host(host.name(), "rollback", "generation " + target.number()
                        + " needs store paths that are gone: " + missing.get(0));
            }
            refuseDamaged(target);
            var missingSecrets = target.manifest().secretVersions().values().stream()
                    .filter(v -> !state.secrets().versions().contains(v)).toList();
            if (!missingSecrets.isEmpty()) {
                throw DeployException.host(host.name(), "rollback", "generation " + target.number()
                        + " needs secret versions that are gone: " + missingSecrets.get(0));
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
                        HostPlan.startsServices(host, state),
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

    /**
     * Checks the store paths of the generation a rollback switches to as {@code status} checks live ones (an extra
     * read-only round trip): a rollback cannot send them again, and switching would run the damaged copy.
     *
     * @throws DeployException of kind HOST (step {@code rollback}) naming the first damaged store path
     */
    private void refuseDamaged(GenerationInfo target) {
        if (storeCheck == HostDrift.Check.NONE || target.manifest().storePaths().isEmpty()) {
            return;
        }
        HostState checked = HostFacts.gather(connection, layout, List.of(), List.of(),
                HostDrift.program(layout, storeCheck, false, false, target.manifest().storePaths()));
        for (Map.Entry<dev.deploy.store.StorePath, HostDrift.PathCheck> path : checked.drift().paths().entrySet()) {
            if (path.getValue() instanceof HostDrift.PathCheck.Damaged damaged
                    && target.manifest().storePaths().contains(path.getKey())) {
                throw DeployException.host(host.name(), "rollback", "generation " + target.number()
                        + " has a damaged store path: " + path.getKey() + ": " + damaged.describe()
                        + "; nothing was changed (deploy apply sends a live store path again; rolling back cannot)");
            }
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
                    state.secrets().versions(), keep);
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
        return HostPlan.startsServices(host, state) ? new SystemdServices() : new LinksOnlyServices();
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
