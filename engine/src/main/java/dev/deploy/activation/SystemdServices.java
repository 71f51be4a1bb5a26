package dev.deploy.activation;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.Shell;
import dev.deploy.host.ShellScript;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import dev.deploy.store.HostLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * systemd: each unit is linked as {@code /etc/systemd/system/NAME.service -> STATE/current/units/NAME.service}, so
 * systemd sees units through the switched generation; then {@code daemon-reload}, restart what changed, start
 * what is new; removed services are stopped and unlinked before the switch.
 */
public final class SystemdServices implements ServiceManager {

    private final String unitDir;

    public SystemdServices() {
        this("/etc/systemd/system");
    }

    public SystemdServices(String unitDir) {
        this.unitDir = unitDir;
    }

    @Override
    public void beforeSwitch(ShellScript script, HostLayout layout, List<HostPlan.ServiceChange> changes) {
        for (HostPlan.ServiceChange change : changes) {
            if (change.action() == HostPlan.ServiceAction.STOP) {
                String unit = change.service() + ".service";
                script.raw("systemctl stop " + Shell.quote(unit) + " || true");
                script.cmd("rm", "-f", unitDir + "/" + unit, unitDir + "/multi-user.target.wants/" + unit);
            }
        }
    }

    @Override
    public void afterSwitch(ShellScript script, HostLayout layout, GenerationManifest next,
                            List<HostPlan.ServiceChange> changes) {
        script.cmd("mkdir", "-p", unitDir + "/multi-user.target.wants");
        for (String service : next.services().keySet()) {
            String unit = service + ".service";
            script.cmd("ln", "-sfn", layout.current() + "/units/" + unit, unitDir + "/" + unit);
            script.cmd("ln", "-sfn", unitDir + "/" + unit, unitDir + "/multi-user.target.wants/" + unit);
        }
        script.raw("systemctl daemon-reload");
        List<String> restart = new ArrayList<>(List.of("systemctl", "restart"));
        List<String> start = new ArrayList<>(List.of("systemctl", "start"));
        for (HostPlan.ServiceChange change : changes) {
            switch (change.action()) {
                case RESTART -> restart.add(change.service() + ".service");
                case START -> start.add(change.service() + ".service");
                case STOP -> { }
            }
        }
        // A unit that fails to start is caught by the health check, which rolls the host back.
        if (restart.size() > 2) {
            script.raw(Shell.command(restart) + " || true");
        }
        if (start.size() > 2) {
            script.raw(Shell.command(start) + " || true");
        }
    }

    @Override
    public String checkHealth(HostConnection connection, GenerationManifest next, List<HostPlan.ServiceChange> changes) {
        ShellScript script = new ShellScript().raw("set -u");
        boolean any = false;
        for (HostPlan.ServiceChange change : changes) {
            if (change.action() == HostPlan.ServiceAction.STOP) {
                continue;
            }
            any = true;
            GenerationManifest.ServiceEntry entry = next.services().get(change.service());
            GenerationManifest.Health health = entry.health();
            int timeout = health == null ? 10 : health.timeoutSeconds();
            String unit = change.service() + ".service";
            String command = health == null || health.command() == null ? "true" : health.command();
            script.let("unit", unit)
                    .let("check", command)
                    .raw("deadline=$(( $(date +%s) + " + timeout + " ))")
                    .raw("while :; do")
                    .raw("  if systemctl is-active --quiet \"$unit\" && sh -c \"$check\" >/dev/null 2>&1; then")
                    .raw("    sleep 1; systemctl is-active --quiet \"$unit\" && break")
                    .raw("  fi")
                    .raw("  if [ \"$(date +%s)\" -ge \"$deadline\" ]; then")
                    .raw("    echo \"service $unit is not healthy after " + timeout + "s"
                            + " ($(systemctl is-active \"$unit\"))\"; exit 4")
                    .raw("  fi")
                    .raw("  sleep 1")
                    .raw("done");
        }
        if (!any) {
            return null;
        }
        try {
            CommandResult result = connection.run(script.text());
            return result.ok() ? null : result.stdoutText().strip().lines().reduce((a, b) -> b).orElse(result.lastErrorLine());
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "health check", e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "systemd";
    }
}
