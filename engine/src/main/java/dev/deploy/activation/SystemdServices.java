package dev.deploy.activation;

import dev.deploy.DeployException;
import dev.deploy.host.HostConnection;
import dev.deploy.module.HealthUrl;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * systemd: {@code activate.sh} links each unit as {@code /etc/systemd/system/NAME.service ->
 * STATE/current/units/NAME.service}, so systemd sees units through the switched generation, runs
 * {@code daemon-reload} when a unit file changed, restarts what changed and starts what is new; removed services are
 * stopped before the switch and unlinked after it. Health: {@link UnitProbe} and {@link HttpProbe} per service.
 */
public final class SystemdServices implements ServiceManager {

    /** Seconds to wait for a service without a declared health check to be active. */
    static final int DEFAULT_TIMEOUT_SECONDS = 10;

    @Override
    public boolean runsServices() {
        return true;
    }

    @Override
    public HealthResult checkHealth(HostConnection connection, GenerationManifest next,
                                    List<HostPlan.ServiceChange> changes, Keepalive keepalive) {
        List<HealthResult.Check> checks = new ArrayList<>();
        for (HostPlan.ServiceChange change : changes) {
            if (change.action() == HostPlan.ServiceAction.STOP) {
                continue;
            }
            GenerationManifest.Health health = next.services().get(change.service()).health();
            String unit = change.service() + ".service";
            HealthWait.Outcome outcome = check(connection, unit, health, keepalive);
            checks.add(new HealthResult.Check(change.service(), outcome.healthy(), outcome.line(), outcome.polls()));
            if (!outcome.healthy()) {
                return new HealthResult(outcome.line(), checks);
            }
        }
        return HealthResult.healthy(checks);
    }

    private static HealthWait.Outcome check(HostConnection connection, String unit, GenerationManifest.Health health,
                                            Keepalive keepalive) {
        Duration timeout = Duration.ofSeconds(health == null ? DEFAULT_TIMEOUT_SECONDS : health.timeoutSeconds());
        List<HealthWait.Probe> probes = new ArrayList<>();
        // The unit probe is the poll's sign of life; after it the host also waits for the rest of the poll: the
        // probe's own second, the HTTP request and the interval to the next poll.
        boolean http = health != null && health.http() != null;
        int restOfPoll = 1 + (int) HealthWait.INTERVAL.toSeconds() + (http ? HttpProbe.MAX_WAIT_SECONDS : 0);
        probes.add(new UnitProbe(connection, unit, health == null ? null : health.command(),
                keepalive.plus(restOfPoll)));
        HostConnection.Forward forward = null;
        try {
            if (health != null && health.http() != null) {
                HealthUrl url;
                try {
                    url = HealthUrl.parse(health.http());
                } catch (IllegalArgumentException e) {
                    return new HealthWait.Outcome(false, "service " + unit + ": " + e.getMessage(), 0);
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
