package dev.deploy.activation;

import dev.deploy.host.HostConnection;
import dev.deploy.module.HealthUrl;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The service manager of hosts without systemd (and of the local target): units are part of the generation and
 * switch with it, but nothing is started. Plans still show what a service manager would do; HTTP health checks are
 * requested once and reported.
 */
public final class LinksOnlyServices implements ServiceManager {

    private static final Duration ONE_TRY = Duration.ofSeconds(2);

    @Override
    public boolean runsServices() {
        return false;
    }

    /**
     * Nothing was started, so nothing is waited for: each changed service's HTTP URL is requested once, directly
     * (through the connection), and the answer is reported. A URL that does not answer is reported, not a failure:
     * whatever serves it here is started by someone else.
     */
    @Override
    public HealthResult checkHealth(HostConnection connection, GenerationManifest next,
                                    List<HostPlan.ServiceChange> changes, Keepalive keepalive) {
        List<HealthResult.Check> checks = new ArrayList<>();
        for (HostPlan.ServiceChange change : changes) {
            GenerationManifest.Health health = change.action() == HostPlan.ServiceAction.STOP
                    ? null : next.services().get(change.service()).health();
            if (health == null || health.http() == null) {
                continue;
            }
            checks.add(new HealthResult.Check(change.service(), true,
                    "service " + change.service() + " " + probeOnce(connection, HealthUrl.parse(health.http())), 1));
        }
        return HealthResult.healthy(checks);
    }

    private static String probeOnce(HostConnection connection, HealthUrl url) {
        try (HostConnection.Forward forward = connection.forward(url.host(), url.port())) {
            HttpProbe probe = new HttpProbe(url, forward);
            String failure = probe.check(ONE_TRY);
            return failure == null
                    ? "(not started by deploy): " + probe.passed()
                    : "(not started by deploy on this host): " + url + ": " + failure;
        } catch (IOException e) {
            return "(not started by deploy on this host): " + url + ": " + e.getMessage();
        }
    }

    @Override
    public String name() {
        return "links only";
    }
}
