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
 * The service manager of hosts without systemd (and of the local target): units are part of the generation and
 * switch with it, but nothing is started. Plans still show what a service manager would do; HTTP health checks are
 * requested once and reported.
 */
public final class LinksOnlyServices implements ServiceManager {

    private static final Duration ONE_TRY = Duration.ofSeconds(2);

    /** The longest one URL's check takes: the forward, connecting and {@link #ONE_TRY}. */
    private static final int MAX_SECONDS_PER_URL = HttpProbe.MAX_WAIT_SECONDS + (int) ONE_TRY.toSeconds();

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
        List<HostPlan.ServiceChange> withUrl = changes.stream()
                .filter(change -> change.action() != HostPlan.ServiceAction.STOP)
                .filter(change -> {
                    GenerationManifest.Health health = next.services().get(change.service()).health();
                    return health != null && health.http() != null;
                })
                .toList();
        if (!withUrl.isEmpty()) {
            // The requests send nothing the host's watchdog sees: it waits for all of them first.
            try {
                keepalive.send(connection, withUrl.size() * (MAX_SECONDS_PER_URL + 1));
            } catch (IOException e) {
                throw DeployException.host(connection.hostName(), "health check", e.getMessage(), e);
            }
        }
        for (HostPlan.ServiceChange change : withUrl) {
            GenerationManifest.Health health = next.services().get(change.service()).health();
            checks.add(probeOnce(connection, change.service(), HealthUrl.parse(health.http())));
        }
        return HealthResult.healthy(checks);
    }

    /**
     * One request to {@code url}: healthy when it answered as expected. Either way the result only reports (the
     * {@link HealthResult} stays healthy): whatever serves the URL here was started by someone else.
     */
    private static HealthResult.Check probeOnce(HostConnection connection, String service, HealthUrl url) {
        String failure;
        String passed = null;
        try (HostConnection.Forward forward = connection.forward(url.host(), url.port())) {
            HttpProbe probe = new HttpProbe(url, forward);
            failure = probe.check(ONE_TRY);
            if (failure == null) {
                passed = probe.passed();
            }
        } catch (IOException e) {
            failure = e.getMessage();
        }
        return failure == null
                ? new HealthResult.Check(service, true, "service " + service + " (not started by deploy): " + passed, 1)
                : new HealthResult.Check(service, false, "service " + service
                        + " (not started by deploy on this host): " + url + ": " + failure, 1);
    }

    @Override
    public String name() {
        return "links only";
    }
}
