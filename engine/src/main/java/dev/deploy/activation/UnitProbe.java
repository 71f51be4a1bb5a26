package dev.deploy.activation;

import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.ShellScript;
import java.io.IOException;
import java.time.Duration;

/**
 * Probes a systemd unit on the host in one round trip: it must be {@code active}, the check command, if any, must
 * exit 0, and the unit must still be active a second later (a service that dies right after starting is caught).
 */
final class UnitProbe implements HealthWait.Probe {

    private final HostConnection connection;
    private final String unit;
    private final String command;

    UnitProbe(HostConnection connection, String unit, String command) {
        this.connection = connection;
        this.unit = unit;
        this.command = command;
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
    public String check(Duration budget) throws IOException {
        ShellScript script = new ShellScript().raw("set -u")
                .let("unit", unit)
                .let("check", command == null ? "" : command)
                .let("limit", String.valueOf(limitSeconds(budget)))
                .raw("state=$(systemctl is-active \"$unit\" 2>/dev/null) || true")
                .raw("if [ \"$state\" != active ]; then echo \"${state:-unknown}\"; exit 3; fi")
                .raw("if [ -n \"$check\" ]; then")
                // The command gets what is left of the health timeout; timeout(1) kills its process group then.
                .raw("  if timeout -k 2 \"$limit\" sh -c \"$check\" </dev/null >/dev/null 2>&1; then :; else status=$?")
                .raw("    case $status in")
                .raw("      124|137) echo \"active, command did not finish within ${limit}s\" ;;")
                .raw("      *) echo \"active, command exited $status\" ;;")
                .raw("    esac")
                .raw("    exit 3")
                .raw("  fi")
                .raw("fi")
                .raw("sleep 1")
                .raw("state=$(systemctl is-active \"$unit\" 2>/dev/null) || true")
                .raw("if [ \"$state\" != active ]; then echo \"${state:-unknown} a second after being active\"; exit 3; fi");
        CommandResult result = connection.run(script.text());
        if (result.ok()) {
            return null;
        }
        String out = result.stdoutText().strip();
        return out.isEmpty() ? "exit " + result.exitCode() + ": " + result.lastErrorLine() : out;
    }

    /** Whole seconds, at least 1: the host's {@code timeout} takes no fractions everywhere. */
    static long limitSeconds(Duration budget) {
        return Math.max(1, (budget.toMillis() + 999) / 1000);
    }
}
