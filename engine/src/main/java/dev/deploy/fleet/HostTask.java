package dev.deploy.fleet;

import dev.deploy.event.EventSink;

/**
 * The work a {@link FleetExecutor} runs on one host once its connection is open: apply, plan, rollback, gc, ...
 * It throws {@link dev.deploy.DeployException} for a failed step; {@code events} receives what it reports on the
 * way (already bound to the run's sink).
 *
 * @param <T> what the work returns when it ends
 */
@FunctionalInterface
public interface HostTask<T> {

    T run(HostDeployer host, EventSink events);
}
