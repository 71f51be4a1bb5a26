package dev.deploy.fleet;

import dev.deploy.DeployException;
import dev.deploy.event.DeployEvent;
import dev.deploy.event.EventSink;
import dev.deploy.inventory.Host;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The one place that runs work on many hosts: at most {@code parallel} hosts at a time, started in the order given,
 * each host connected by the worker that runs it (so connecting is parallel too), results in the order given.
 *
 * <p>Every host ends as a {@link HostResult}: a failed step, a lock held elsewhere, an unreachable host, even an
 * unexpected exception are that host's result and never end the run for the others (only an {@link Error} does). A {@link FailureBudget} stops
 * starting hosts once enough have failed (any failing {@link Outcome} counts, a failed health check included); hosts
 * not started then are {@link HostResult.Skipped}. It emits {@link DeployEvent.HostStarted},
 * {@link DeployEvent.Connected} and {@link DeployEvent.HostFinished} for every host it starts.
 */
public final class FleetExecutor {

    private final int parallel;
    private final Function<Host, HostDeployer> connect;
    private final EventSink events;

    /**
     * @param parallel hosts at a time, at least 1
     * @param connect  opens (or reuses) a host's connection; throws {@link DeployException} when it cannot
     * @param events   receives the run's events, from the workers' threads
     */
    public FleetExecutor(int parallel, Function<Host, HostDeployer> connect, EventSink events) {
        if (parallel < 1) {
            throw DeployException.input("--parallel must be at least 1, got " + parallel);
        }
        this.parallel = parallel;
        this.connect = connect;
        this.events = events;
    }

    public int parallel() {
        return parallel;
    }

    public EventSink events() {
        return events;
    }

    /** The same executor reporting to {@code other} instead. */
    public FleetExecutor withEvents(EventSink other) {
        return new FleetExecutor(parallel, connect, other);
    }

    /** Runs {@code task} on every host, whatever happens to the others. */
    public <T> List<HostResult<T>> run(List<Host> hosts, String work, HostTask<T> task) {
        return run(hosts, work, task, FailureBudget.unlimited());
    }

    /**
     * Runs {@code task} on {@code hosts}, starting no host once {@code budget} is exhausted.
     *
     * @param work names the task in errors whose step is unknown ({@code apply}, {@code plan}, ...)
     * @return one result per host, in the order of {@code hosts}
     */
    public <T> List<HostResult<T>> run(List<Host> hosts, String work, HostTask<T> task, FailureBudget budget) {
        if (hosts.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, hosts.size()), runnable -> {
            Thread thread = new Thread(runnable, "deploy-host");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<HostResult<T>>> futures = new ArrayList<>();
            for (Host host : hosts) {
                futures.add(pool.submit(() -> runOne(host, work, task, budget)));
            }
            List<HostResult<T>> results = new ArrayList<>();
            for (Future<HostResult<T>> future : futures) {
                results.add(await(future));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private <T> HostResult<T> runOne(Host host, String work, HostTask<T> task, FailureBudget budget) {
        if (budget.exhausted()) {
            return new HostResult.Skipped<>(host);
        }
        Thread thread = Thread.currentThread();
        String threadName = thread.getName();
        thread.setName("deploy " + work + " " + host.name());
        try {
            long start = System.nanoTime();
            events.accept(new DeployEvent.HostStarted(Instant.now(), host.name()));
            HostResult<T> result = attempt(host, work, task, start);
            Outcome outcome = Outcome.of(result);
            budget.record(outcome);
            events.accept(new DeployEvent.HostFinished(Instant.now(), host.name(), outcome.label()));
            return result;
        } finally {
            thread.setName(threadName);
        }
    }

    private <T> HostResult<T> attempt(Host host, String work, HostTask<T> task, long start) {
        HostDeployer deployer;
        try {
            deployer = connect.apply(host);
        } catch (DeployException e) {
            return switch (e.kind()) {
                case LOCKED -> new HostResult.Locked<>(host, e, since(start));
                case INPUT -> new HostResult.Failed<>(host, e, false, since(start));
                case HOST -> new HostResult.Unreachable<>(host, e, since(start));
            };
        } catch (RuntimeException e) {
            return new HostResult.Unreachable<>(host, DeployException.host(host.name(), "connect",
                    "unexpected " + describe(e), e), since(start));
        }
        events.accept(new DeployEvent.Connected(Instant.now(), host.name()));
        StepTracker tracker = new StepTracker(work, events);
        try {
            return new HostResult.Done<>(host, task.run(deployer, tracker), since(start));
        } catch (DeployException e) {
            if (e.kind() == DeployException.Kind.LOCKED) {
                return new HostResult.Locked<>(host, e, since(start));
            }
            return new HostResult.Failed<>(host, e, tracker.leftSwitched(), since(start));
        } catch (RuntimeException e) {
            // Not a DeployException: a transport that reported a dead connection unchecked, or a parser that choked on
            // what the host printed. Either way it happened on this host; the others go on.
            String detail = deployer.connection().isOpen()
                    ? "unexpected " + describe(e) + " (if the host is fine, this is a bug in deploy: run with"
                            + " --verbose and report it)"
                    : "connection lost (" + describe(e) + ")";
            DeployException failure = DeployException.host(host.name(), tracker.step(), detail, e);
            return new HostResult.Failed<>(host, failure, tracker.leftSwitched(), since(start));
        }
    }

    private static <T> HostResult<T> await(Future<HostResult<T>> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            // runOne catches every RuntimeException; what is left is an Error (out of memory, ...).
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for hosts", e);
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * Passes a host's events on and remembers where the host got to: the step to name in an error that does not
     * name one, and whether the host is left switched to the new generation.
     */
    private static final class StepTracker implements EventSink {
        private final EventSink next;
        private volatile String step;
        private volatile boolean switched;

        StepTracker(String work, EventSink next) {
            this.step = work;
            this.next = next;
        }

        @Override
        public void accept(DeployEvent event) {
            if (event instanceof DeployEvent.Planned || event instanceof DeployEvent.TransferProgress) {
                step = "transfer";
            } else if (event instanceof DeployEvent.Switched) {
                step = "activate";
                switched = true;
            } else if (event instanceof DeployEvent.HealthChecked) {
                step = "health check";
            } else if (event instanceof DeployEvent.RolledBack) {
                step = "roll back";
                switched = false;
            } else if (event instanceof DeployEvent.Confirmed) {
                step = "confirm";
            }
            next.accept(event);
        }

        String step() {
            return step;
        }

        boolean leftSwitched() {
            return switched;
        }
    }
}
