package dev.deploy.activation;

import dev.deploy.DeployException;
import dev.deploy.host.HostConnection;
import dev.deploy.module.HealthUrl;
import dev.deploy.host.Shell;
import dev.deploy.host.ShellScript;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import dev.deploy.store.HostLayout;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * systemd: each unit is linked as {@code /etc/systemd/system/NAME.service -> STATE/current/units/NAME.service}, so
 * systemd sees units through the switched generation; then {@code daemon-reload}, restart what changed, start
 * what is new; removed services are stopped and unlinked before the switch.
 */
public final class SystemdServices implements ServiceManager {

    /** Seconds to wait for a service without a declared health check to be active. */
    private static final int DEFAULT_TIMEOUT_SECONDS = 10;

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
    public HealthResult checkHealth(HostConnection connection, GenerationManifest next,
                                    List<HostPlan.ServiceChange> changes) {
        List<String> checks = new ArrayList<>();
        for (HostPlan.ServiceChange change : changes) {
            if (change.action() == HostPlan.ServiceAction.STOP) {
                continue;
            }
            GenerationManifest.Health health = next.services().get(change.service()).health();
            String unit = change.service() + ".service";
            HealthWait.Outcome outcome = check(connection, unit, health);
            checks.add(outcome.line());
            if (!outcome.healthy()) {
                return new HealthResult(outcome.line(), checks);
            }
        }
        return HealthResult.healthy(checks);
    }

    private static HealthWait.Outcome check(HostConnection connection, String unit, GenerationManifest.Health health) {
        Duration timeout = Duration.ofSeconds(health == null ? DEFAULT_TIMEOUT_SECONDS : health.timeoutSeconds());
        List<HealthWait.Probe> probes = new ArrayList<>();
        probes.add(new UnitProbe(connection, unit, health == null ? null : health.command()));
        HostConnection.Forward forward = null;
        try {
            if (health != null && health.http() != null) {
                HealthUrl url;
                try {
                    url = HealthUrl.parse(health.http());
                } catch (IllegalArgumentException e) {
                    return new HealthWait.Outcome(false, "service " + unit + ": " + e.getMessage());
                }
                forward = connection.forward(url.host(), url.port());
                probes.add(new HttpProbe(url, forward));
            }
            return HealthWait.await(unit, timeout, probes);
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "health check", e.getMessage(), e);
        } finally {
            if (forward != null) {
                forward.close();
            }
        }
    }

    @Override
    public String name() {
        return "systemd";
    }
}
