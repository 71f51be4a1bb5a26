package dev.deploy.cli;

import dev.deploy.cache.CacheConfig;
import dev.deploy.event.DeployEvent;
import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.event.EventSink;
import dev.deploy.plan.HostPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@code deploy apply} shows while it runs, on a terminal or in a log: each host's plan on stdout as soon as it
 * is read under the host's lock (so it comes before the progress it belongs to), progress on stderr. Events arrive
 * from the hosts' threads; implementations serialize them.
 */
abstract class ApplyView implements EventSink, AutoCloseable {

    /** Shows nothing while running (for {@code --json}, or {@code --events ndjson} which has its own sink). */
    static ApplyView silent() {
        return new ApplyView() {
            @Override
            void show(DeployEvent event) {
            }

            @Override
            boolean healthShown(String host) {
                return false;
            }
        };
    }

    private final Set<String> healthReported = ConcurrentHashMap.newKeySet();
    private volatile CacheConfig cache = CacheConfig.NONE;

    /** The run's binary cache, so that plans say which hosts fetch from it; returns this view. */
    ApplyView cache(CacheConfig cache) {
        this.cache = cache;
        return this;
    }
    private final Set<String> healthAwaited = ConcurrentHashMap.newKeySet();

    @Override
    public final synchronized void accept(DeployEvent event) {
        if (event instanceof DeployEvent.HealthChecked) {
            healthReported.add(event.host());
        }
        if (event instanceof DeployEvent.Planned planned && checksHealth(planned.plan())) {
            healthAwaited.add(event.host());
        }
        show(event);
    }

    /** Whether the switch of {@code plan} starts or restarts services, whose health is then waited for. */
    static boolean checksHealth(HostPlan plan) {
        return plan.startsServices()
                && plan.serviceChanges().stream().anyMatch(c -> c.action() != HostPlan.ServiceAction.STOP);
    }

    abstract void show(DeployEvent event);

    /** Hosts whose health checks were already shown as they happened (the summary need not repeat them). */
    boolean healthShown(String host) {
        return healthReported.contains(host);
    }

    /** Ends the live part of the view (a live status region is erased); the summary follows. */
    @Override
    public synchronized void close() {
    }

    /** A host's plan as {@link PlanPrinter} prints it. */
    String planText(HostPlan plan, Style style) {
        StringWriter text = new StringWriter();
        PrintWriter writer = new PrintWriter(text);
        new PlanPrinter(writer, style, false, cache).print(plan);
        writer.flush();
        return text.toString();
    }

    /** A one-line status for an event, from the host's point of view; null for events that change nothing. */
    String status(DeployEvent event) {
        if (event instanceof DeployEvent.HostStarted) {
            return "connecting";
        }
        if (event instanceof DeployEvent.Connected) {
            return "connected, taking the lock";
        }
        if (event instanceof DeployEvent.Planned planned) {
            HostPlan plan = planned.plan();
            if (!plan.hasChanges()) {
                return "no changes";
            }
            int services = plan.serviceChanges().size();
            return "planned: " + Words.count(plan.toAdd().size(), "store path") + ", "
                    + Style.bytes(plan.bytesToAdd()) + ", " + (plan.startsServices()
                    ? Words.count(services, "service action") : Words.count(services, "service change")
                    + " recorded only");
        }
        if (event instanceof DeployEvent.TransferProgress p) {
            return progress(p);
        }
        if (event instanceof DeployEvent.Switched switched) {
            return "switched to generation " + switched.to()
                    + (healthAwaited.contains(event.host()) ? ", checking health" : "");
        }
        if (event instanceof DeployEvent.HealthChecked health) {
            return (health.healthy() ? "healthy: " : "unhealthy: ") + health.detail();
        }
        if (event instanceof DeployEvent.Confirmed confirmed) {
            return "confirmed generation " + confirmed.generation();
        }
        if (event instanceof DeployEvent.RolledBack back) {
            return (back.byHost() ? "reverted by the host" : "rolled back") + " to "
                    + ApplyOutcome.generation(back.to());
        }
        return null;
    }

    /** {@code sent 12/40 files, 1.2 MiB of 3.4 MiB}. */
    static String progress(DeployEvent.TransferProgress p) {
        return "sent " + p.filesSent() + "/" + p.totalFiles() + " files, " + Style.bytes(p.bytesSent()) + " of "
                + Style.bytes(p.totalBytes());
    }
}
