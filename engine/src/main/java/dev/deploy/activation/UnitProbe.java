package dev.deploy.activation;

import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.HostScript;
import dev.deploy.host.IdleWatch;
import java.io.IOException;
import java.time.Duration;

/**
 * Probes a systemd unit on the host in one round trip ({@code unit-probe.sh}): it must be {@code active}, the check
 * command, if any, must exit 0, and the unit must still be active a second later (a service that dies right after
 * starting is caught). A unit in state {@code failed}, or {@code inactive} after it was started (it exited and its
 * {@code Restart=} policy does not start it again), makes the probe give up at once. While an activation waits for
 * confirmation, each probe also tells the host's watchdog that the controller is alive ({@link Keepalive}).
 */
final class UnitProbe implements HealthWait.Probe {

    /** Exit codes of {@code unit-probe.sh}. */
    enum Exit implements HostScript.ExitCode {
        HEALTHY(0), UNHEALTHY(3), FAILED(4);

        private final int code;

        Exit(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    private final HostConnection connection;
    private final String unit;
    private final String command;
    private final Keepalive keepalive;
    private boolean gaveUp;

    UnitProbe(HostConnection connection, String unit, String command, Keepalive keepalive) {
        this.connection = connection;
        this.unit = unit;
        this.command = command;
        this.keepalive = keepalive;
    }

    @Override
    public String what() {
        return command == null ? "unit" : "unit and command";
    }

    @Override
    public String passed() {
        return command == null ? "active" : "active, command exited 0";
    }

    @Override
    public boolean gaveUp() {
        return gaveUp;
    }

    @Override
    public String check(Duration budget) throws IOException {
        String script = HostScript.load(UnitProbe.class, "unit-probe")
                .with("unit", unit)
                .with("check", command == null ? "" : command)
                .with("limit", String.valueOf(limitSeconds(budget)))
                .with("wd_state", keepalive.layout().watchdogState())
                .with("wd_deadline", keepalive.layout().watchdogDeadline())
                .with("token", keepalive.token())
                .with("keepalive", keepalive.seconds() > 0 ? Integer.toString(keepalive.seconds()) : "")
                .text();
        // the probe waits silently up to its limit: its idle deadline is that limit and a minute more, at least the
        // default
        Duration idle = Duration.ofSeconds(limitSeconds(budget)).plusMinutes(1);
        CommandResult result = connection.run(script, HostConnection.StdinWriter.NONE,
                idle.compareTo(IdleWatch.DEFAULT_LIMIT) > 0 ? idle : IdleWatch.DEFAULT_LIMIT);
        if (result.ok()) {
            gaveUp = false;
            return null;
        }
        gaveUp = result.exitCode() == Exit.FAILED.code();
        String out = result.stdoutText().strip();
        return out.isEmpty() ? "exit " + result.exitCode() + ": " + result.lastErrorLine() : out;
    }

    /** Whole seconds, at least 1: the host's {@code timeout} takes no fractions everywhere. */
    static long limitSeconds(Duration budget) {
        return Math.max(1, (budget.toMillis() + 999) / 1000);
    }
}
