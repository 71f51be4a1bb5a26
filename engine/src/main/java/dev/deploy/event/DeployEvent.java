package dev.deploy.event;

import java.time.Instant;

/**
 * What happens during a run, as typed facts the engine emits and front ends render (the terminal view, {@code --json},
 * {@code --events ndjson}). The engine never formats text for them. Every event names its host (or none for
 * run-wide events) and when it happened.
 *
 * <p>This is a closed set; a front end handles each case. New cases are added as the engine grows, never removed.
 */
public sealed interface DeployEvent {

    /** When the event happened on the controller. */
    Instant at();

    /** The inventory name of the host concerned; empty for run-wide events. */
    String host();

    /** Work on a host began (its batch reached it). */
    record HostStarted(Instant at, String host) implements DeployEvent {
    }

    /** The host's connection is open (SSH: authenticated). */
    record Connected(Instant at, String host) implements DeployEvent {
    }

    /**
     * The host's plan is known (read under its lock): what this apply will push, switch and restart. Emitted before
     * any transfer, so a front end can show the plan ahead of the progress it belongs to.
     */
    record Planned(Instant at, String host, dev.deploy.plan.HostPlan plan) implements DeployEvent {
    }

    /** Content streamed to a host so far, out of what crosses the wire (reused files not counted). */
    record TransferProgress(Instant at, String host, long bytesSent, long totalBytes, int filesSent, int totalFiles)
            implements DeployEvent {
    }

    /** {@code current} now names generation {@code to} (was {@code from}, 0 when none). */
    record Switched(Instant at, String host, int from, int to) implements DeployEvent {
    }

    /** One service's health check ended. {@code detail} says what was checked and how it answered. */
    record HealthChecked(Instant at, String host, String service, boolean healthy, String detail)
            implements DeployEvent {
    }

    /** The controller confirmed the new generation; the host's watchdog is disarmed. */
    record Confirmed(Instant at, String host, int generation) implements DeployEvent {
    }

    /** The host was switched back from {@code from} to {@code to}; {@code byHost} when its watchdog did it. */
    record RolledBack(Instant at, String host, int from, int to, boolean byHost, String reason)
            implements DeployEvent {
    }

    /** Work on a host ended; {@code result} is the outcome's stable name (applied, unchanged, rolled-back, ...). */
    record HostFinished(Instant at, String host, String result) implements DeployEvent {
    }

    /** A batch of a rolling rollout started ({@code number} counts from 1). */
    record BatchStarted(Instant at, int number, java.util.List<String> hosts) implements DeployEvent {
        @Override
        public String host() {
            return "";
        }
    }

    /** A batch of a rolling rollout ended; {@code failed} hosts of it did not reach the desired generation. */
    record BatchFinished(Instant at, int number, java.util.List<String> failed) implements DeployEvent {
        @Override
        public String host() {
            return "";
        }
    }
}
