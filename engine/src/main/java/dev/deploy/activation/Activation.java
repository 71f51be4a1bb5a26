package dev.deploy.activation;

import dev.deploy.DeployException;
import dev.deploy.event.DeployEvent;
import dev.deploy.event.EventSink;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.inventory.ActivationPolicy;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import dev.deploy.store.HostLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The activation state machine of one host (docs/DESIGN.md, "Activation"):
 * <pre>
 * prepare ─► arm ─► stop ─► switch ─► units ─► reload ─► start ─► health ─► confirm
 * (activate.sh, one round trip, under the watchdog lock)           (polls)   (new connection)
 * </pre>
 * A failure before {@code arm} changes nothing ({@link DeployException}). From {@code arm} on, the host holds the
 * undo of this activation ({@code STATE/watchdog/revert.sh}): a failed step runs it at once (inside the same script),
 * a failed health check makes the controller run it, and with magic rollback a watchdog detached from the SSH session
 * runs it when the controller has not confirmed within {@code confirmTimeout} of its last sign of life (the switch,
 * then each health poll). Confirmation goes over a <em>new</em> connection, so a generation that breaks SSH is never
 * confirmed. Whoever runs the undo first under the watchdog lock does it; confirmation takes the same lock, so a
 * generation is either confirmed or reverted, never both.
 *
 * <p>Emits {@link DeployEvent.Switched}, {@link DeployEvent.HealthChecked}, {@link DeployEvent.Confirmed} and
 * {@link DeployEvent.RolledBack} where they happen.
 */
public final class Activation {

    /**
     * A switch from generation {@code from} (empty: the host has none) to {@code to}: whether {@code to} must be
     * written first (apply) or exists (rollback), the service actions going there, and whether a unit file was
     * repaired in place (systemd must re-read it although no unit's store path changes). Coming back undoes them.
     */
    public record Transition(Optional<GenerationManifest> from, GenerationManifest to, boolean write,
                             List<HostPlan.ServiceChange> forward, boolean unitsRepaired) {

        public Transition {
            forward = List.copyOf(forward);
        }

        /** A switch without repaired units. */
        public Transition(Optional<GenerationManifest> from, GenerationManifest to, boolean write,
                          List<HostPlan.ServiceChange> forward) {
            this(from, to, write, forward, false);
        }

        public int fromNumber() {
            return from.map(GenerationManifest::number).orElse(0);
        }
    }

    /** How an activation that got past {@code prepare} ended: one of a closed set. */
    public sealed interface Result {

        /** The health checks of the services started or restarted, in order. */
        List<HealthResult.Check> health();

        /** The host is on the new generation, its services are healthy and (with magic rollback) it confirmed. */
        record Confirmed(List<HealthResult.Check> health) implements Result {
        }

        /**
         * A health check failed; the controller returned the host to the previous generation. {@code restoreProblem}
         * says when the restored services are not healthy either.
         */
        record HealthFailed(String reason, Optional<String> restoreProblem, List<HealthResult.Check> health)
                implements Result {
        }

        /** Not confirmed (connection lost, controller gone, SSH broken): the host's revert program put back {@code live}. */
        record Reverted(String reason, int live, List<HealthResult.Check> health) implements Result {
        }

        /** A step after the switch failed ({@code step}); the host is back on the previous generation. */
        record Restored(String step, String reason, List<HealthResult.Check> health) implements Result {
        }

        /** A step failed and undoing it failed too: the host is on {@code live} and needs attention. */
        record NotRestored(String step, String reason, String problem, int live, List<HealthResult.Check> health)
                implements Result {
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String hostName;
    private final HostConnection connection;
    private final Supplier<HostConnection> reconnect;
    private final HostLayout layout;
    private final ServiceManager services;
    private final ActivationPolicy policy;
    private final boolean guarded;
    private final EventSink events;

    /**
     * @param reconnect opens a new connection to the same host (for confirmation, and to undo after a lost one)
     * @param guarded   whether a watchdog guards the activation (magic rollback on a host reached over SSH)
     */
    public Activation(String hostName, HostConnection connection, Supplier<HostConnection> reconnect,
                      HostLayout layout, ServiceManager services, ActivationPolicy policy, boolean guarded,
                      EventSink events) {
        this.hostName = hostName;
        this.connection = connection;
        this.reconnect = reconnect;
        this.layout = layout;
        this.services = services;
        this.policy = policy;
        this.guarded = guarded;
        this.events = events;
    }

    /**
     * Runs the state machine for {@code transition}.
     *
     * @throws DeployException of kind HOST when a step before the switch failed (nothing on the host changed), of
     *                         kind INPUT when a unit deploy did not create would be replaced
     */
    public Result activate(Transition transition) {
        String token = token();
        int from = transition.fromNumber();
        int to = transition.to().number();
        byte[] manifest = transition.write() ? transition.to().toJson().getBytes(StandardCharsets.UTF_8) : new byte[0];
        String script = ActivationScripts.activate(layout, services, policy, guarded, transition, token, manifest,
                confirmSeconds());
        CommandResult result;
        try {
            result = connection.run(script, out -> out.write(manifest));
        } catch (IOException | RuntimeException e) {
            return lost(transition, token, "activate", describe(e), List.of());
        }
        ActivationScripts.Report report = ActivationScripts.Report.of(result.stdoutText());
        Optional<ActivationScripts.Exit> exit = ActivationScripts.Exit.of(result.exitCode());
        if (exit.isEmpty()) {
            String detail = "activate.sh exited " + result.exitCode() + ": " + result.lastErrorLine();
            return report.switched() ? undoAfter(transition, token, report.lastStep(), detail, List.of())
                    : failBefore("activate", detail);
        }
        switch (exit.get()) {
            case PREPARE, MANIFEST_CUT -> throw DeployException.host(hostName, "activate: " + report.failedStep(),
                    report.failedDetail());
            case FOREIGN_UNIT -> throw DeployException.input(hostName, null, null, report.failedDetail()
                    + " (deploy only replaces units it created; add the service to takeOver to let it)");
            case RESTORED -> {
                if (report.switched()) {
                    events.accept(new DeployEvent.Switched(Instant.now(), hostName, from, to));
                    events.accept(new DeployEvent.RolledBack(Instant.now(), hostName, to, from, false,
                            report.failedStep() + ": " + report.failedDetail()));
                }
                return new Result.Restored(report.failedStep(), report.failedDetail(), List.of());
            }
            case NOT_RESTORED -> {
                return new Result.NotRestored(report.failedStep(), report.failedDetail(), report.notRestored(),
                        report.switched() ? to : from, List.of());
            }
            case ACTIVATED -> {
                events.accept(new DeployEvent.Switched(Instant.now(), hostName, from, to));
            }
        }
        return checkAndConfirm(transition, token, guarded && report.guard().isPresent());
    }

    private Result checkAndConfirm(Transition transition, String token, boolean watched) {
        int from = transition.fromNumber();
        int to = transition.to().number();
        Keepalive keepalive = watched ? new Keepalive(layout, token, confirmSeconds()) : Keepalive.NONE;
        HealthResult health;
        try {
            health = services.checkHealth(connection, transition.to(), transition.forward(), keepalive);
        } catch (RuntimeException e) {
            return lost(transition, token, "health check", describe(e), List.of());
        }
        for (HealthResult.Check check : health.services()) {
            events.accept(new DeployEvent.HealthChecked(Instant.now(), hostName, check.service(), check.healthy(),
                    check.line()));
        }
        if (!health.healthy()) {
            return healthFailed(transition, token, health);
        }
        if (!watched) {
            return recordConfirmed(transition, token, health.services());
        }
        return confirm(transition, token, health.services());
    }

    private Result healthFailed(Transition transition, String token, HealthResult health) {
        int from = transition.fromNumber();
        int to = transition.to().number();
        String reason = health.failure();
        ActivationScripts.Undo undo;
        try {
            undo = undo(connection, token, "health check: " + reason);
        } catch (IOException | RuntimeException e) {
            return lost(transition, token, "health check", reason + "; then " + describe(e), health.services());
        }
        switch (undo.exit()) {
            case REVERTED -> {
                events.accept(new DeployEvent.RolledBack(Instant.now(), hostName, to, from, false, reason));
                if (from == 0) {
                    return new Result.HealthFailed(reason, Optional.empty(), health.services());
                }
                HealthResult restored;
                try {
                    restored = services.checkHealth(connection, transition.from().orElseThrow(),
                            ActivationScripts.back(transition), Keepalive.NONE);
                } catch (RuntimeException e) {
                    return new Result.HealthFailed(reason, Optional.of(describe(e)), health.services());
                }
                return new Result.HealthFailed(reason,
                        restored.healthy() ? Optional.empty() : Optional.of(restored.failure()), health.services());
            }
            case NOT_PENDING -> {
                if (Settled.of(undo, token) == Settled.REVERT_FAILED) {
                    return new Result.NotRestored("health check", reason, "the host's watchdog could not return to"
                            + " generation " + from + ": " + undo.line(), undo.liveOr(to), health.services());
                }
                return reverted(transition, undo, reason, health.services());
            }
            default -> {
                return new Result.NotRestored("health check", reason, "undoing generation " + to + " failed: "
                        + undo.line(), undo.liveOr(to), health.services());
            }
        }
    }

    /** Confirms over a new connection; without one the host reverts (now, through the old one, or by itself). */
    private Result confirm(Transition transition, String token, List<HealthResult.Check> health) {
        int to = transition.to().number();
        String script = ActivationScripts.confirm(layout, token, to);
        CommandResult result;
        try (HostConnection fresh = reconnect.get()) {
            result = fresh.run(script);
        } catch (IOException | RuntimeException e) {
            return notConfirmed(transition, token, "could not confirm over a new connection (" + describe(e) + ")",
                    health);
        }
        if (result.exitCode() == ActivationScripts.ConfirmExit.CONFIRMED.code()) {
            events.accept(new DeployEvent.Confirmed(Instant.now(), hostName, to));
            return new Result.Confirmed(health);
        }
        if (result.exitCode() == ActivationScripts.ConfirmExit.REVERTED.code()) {
            String why = "confirmed too late: the host had reverted (" + result.stdoutText().strip() + ")";
            events.accept(new DeployEvent.RolledBack(Instant.now(), hostName, to, transition.fromNumber(), true, why));
            return new Result.Reverted(why, transition.fromNumber(), health);
        }
        return notConfirmed(transition, token, "confirmation failed (exit " + result.exitCode() + ": "
                + oneLine(result.stdoutText()) + ")", health);
    }

    /**
     * Without a watchdog, the health checks passing is the confirmation: recorded over the same connection, which
     * removes the generation's "not confirmed" mark. If that fails, the host stays healthy on the new generation but
     * keeps the mark, so the next plan activates it again rather than take it for confirmed.
     */
    private Result recordConfirmed(Transition transition, String token, List<HealthResult.Check> health) {
        int to = transition.to().number();
        try {
            // No Confirmed event: that one means magic rollback's confirmation over a new connection.
            connection.run(ActivationScripts.confirm(layout, token, to));
        } catch (IOException | RuntimeException e) {
            // the mark stays: see above
        }
        return new Result.Confirmed(health);
    }

    /** Not confirmed: revert now over the old connection if it still works, else the watchdog does it. */
    private Result notConfirmed(Transition transition, String token, String reason, List<HealthResult.Check> health) {
        int from = transition.fromNumber();
        int to = transition.to().number();
        ActivationScripts.Undo undo;
        try {
            undo = undo(connection, token, "not confirmed: " + reason);
        } catch (IOException | RuntimeException e) {
            String why = reason + "; the host's watchdog returns to generation " + from + " within "
                    + confirmSeconds() + "s";
            events.accept(new DeployEvent.RolledBack(Instant.now(), hostName, to, from, true, why));
            return new Result.Reverted(why, from, health);
        }
        return switch (undo.exit()) {
            case REVERTED -> {
                events.accept(new DeployEvent.RolledBack(Instant.now(), hostName, to, from, true, reason));
                yield new Result.Reverted(reason, from, health);
            }
            case NOT_PENDING -> switch (Settled.of(undo, token)) {
                // The confirmation got through; only its answer was lost on the way back.
                case CONFIRMED -> {
                    events.accept(new DeployEvent.Confirmed(Instant.now(), hostName, to));
                    yield new Result.Confirmed(health);
                }
                case REVERT_FAILED -> new Result.NotRestored("confirm", reason, "the host's watchdog could not"
                        + " return to generation " + from + ": " + undo.line(), undo.liveOr(to), health);
                case REVERTED, OTHER -> reverted(transition, undo, reason, health);
            };
            default -> new Result.NotRestored("confirm", reason, "undoing generation " + to + " failed: "
                    + undo.line(), undo.liveOr(to), health);
        };
    }

    /**
     * The connection broke during {@code step}: undo over a new connection if one can be had; else, with a
     * watchdog, the host reverts by itself.
     */
    private Result lost(Transition transition, String token, String step, String detail,
                        List<HealthResult.Check> health) {
        int from = transition.fromNumber();
        int to = transition.to().number();
        String reason = "connection lost during " + step + " (" + detail + ")";
        ActivationScripts.Undo undo;
        try (HostConnection fresh = reconnect.get()) {
            undo = undo(fresh, token, reason);
        } catch (IOException | RuntimeException e) {
            if (guarded) {
                String why = reason + "; the host could not be reached again (" + describe(e) + "), "
                        + (step.equals("activate") ? "if it switched, " : "") + "its watchdog returns it to "
                        + (from == 0 ? "no generation" : "generation " + from) + " within " + confirmSeconds() + "s";
                events.accept(new DeployEvent.RolledBack(Instant.now(), hostName, to, from, true, why));
                return new Result.Reverted(why, from, health);
            }
            return new Result.NotRestored(step, reason, "the host could not be reached again to undo it ("
                    + describe(e) + "); it may be on generation " + to, to, health);
        }
        return switch (undo.exit()) {
            case REVERTED -> {
                events.accept(new DeployEvent.RolledBack(Instant.now(), hostName, to, from, false, reason));
                yield new Result.Restored(step, reason + "; undone over a new connection", health);
            }
            case NOT_PENDING -> {
                Settled settled = Settled.of(undo, token);
                if (settled == Settled.REVERTED) {
                    yield reverted(transition, undo, reason, health);
                }
                if (settled == Settled.REVERT_FAILED) {
                    yield new Result.NotRestored(step, reason, "the host's watchdog could not return to generation "
                            + from, undo.liveOr(to), health);
                }
                // The activation never got armed (or was aborted before the switch): nothing changed.
                throw DeployException.host(hostName, step, reason + "; the host did not switch (it is on "
                        + (from == 0 ? "no generation" : "generation " + from) + ")");
            }
            default -> new Result.NotRestored(step, reason, "undoing generation " + to + " failed: " + undo.line(),
                    undo.liveOr(to), health);
        };
    }

    /**
     * How an activation the revert program found nothing to do for had ended, read from the watchdog state it prints
     * ({@code nothing to revert (WORD TOKEN N P)}, revert.sh).
     */
    private enum Settled {
        CONFIRMED, REVERTED, REVERT_FAILED, OTHER;

        static Settled of(ActivationScripts.Undo undo, String token) {
            String line = undo.line();
            if (line.contains("(confirmed " + token + " ")) {
                return CONFIRMED;
            }
            if (line.contains("(reverted " + token + " ")) {
                return REVERTED;
            }
            if (line.contains("(revert-failed " + token + " ")) {
                return REVERT_FAILED;
            }
            return OTHER;
        }
    }

    private Result reverted(Transition transition, ActivationScripts.Undo undo, String reason, List<HealthResult.Check> health) {
        String why = reason + "; the host had already reverted";
        events.accept(new DeployEvent.RolledBack(Instant.now(), hostName, transition.to().number(),
                transition.fromNumber(), true, why));
        return new Result.Reverted(why, undo.liveOr(transition.fromNumber()), health);
    }

    private Result undoAfter(Transition transition, String token, String step, String detail,
                             List<HealthResult.Check> health) {
        int to = transition.to().number();
        ActivationScripts.Undo undo;
        try {
            undo = undo(connection, token, step + ": " + detail);
        } catch (IOException | RuntimeException e) {
            return lost(transition, token, step, detail, health);
        }
        if (undo.exit() == ActivationScripts.RevertExit.REVERTED) {
            events.accept(new DeployEvent.RolledBack(Instant.now(), hostName, to, transition.fromNumber(), false,
                    detail));
            return new Result.Restored(step, detail, health);
        }
        return new Result.NotRestored(step, detail, "undoing generation " + to + " failed: " + undo.line(),
                undo.liveOr(to), health);
    }

    private Result failBefore(String step, String detail) {
        throw DeployException.host(hostName, step, detail);
    }

    /**
     * Runs the stored revert program of the activation with {@code token} now, over {@code over}.
     *
     * @throws IOException when the connection breaks
     */
    private ActivationScripts.Undo undo(HostConnection over, String token, String reason) throws IOException {
        return ActivationScripts.parseUndo(over.run(ActivationScripts.undo(layout, oneLine(reason))));
    }

    /**
     * Settles an activation the host still holds armed (switched, never confirmed: the controller that started it
     * stopped) by running its revert program now, before anything else is planned on the host.
     *
     * @return true when the host was switched back
     */
    public static boolean settle(String hostName, HostConnection connection, HostLayout layout, int number,
                                 int previous, EventSink events) {
        String reason = "never confirmed: the deploy that activated it stopped before confirming";
        String script = ActivationScripts.undo(layout, reason);
        CommandResult result;
        try {
            result = connection.run(script);
        } catch (IOException e) {
            throw DeployException.host(hostName, "settle the last activation", e.getMessage(), e);
        }
        ActivationScripts.Undo undo = ActivationScripts.parseUndo(result);
        if (undo.exit() == ActivationScripts.RevertExit.INCOMPLETE) {
            throw DeployException.host(hostName, "settle the last activation", "generation " + number
                    + " was never confirmed and returning to generation " + previous + " failed: " + undo.line());
        }
        if (undo.exit() == ActivationScripts.RevertExit.REVERTED) {
            events.accept(new DeployEvent.RolledBack(Instant.now(), hostName, number, previous, false, reason));
            return true;
        }
        return false;
    }

    private int confirmSeconds() {
        return (int) policy.confirmTimeout().toSeconds();
    }

    private static String token() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String describe(Throwable e) {
        String message = e instanceof DeployException deploy ? deploy.detail() : e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : oneLine(message);
    }

    private static String oneLine(String text) {
        return DeployException.oneLine(text.strip());
    }

}
