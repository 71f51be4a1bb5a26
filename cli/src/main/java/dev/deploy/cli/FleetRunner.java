package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.inventory.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Runs one operation on many hosts with at most {@code parallel} at a time. A host's failure is recorded and the
 * others go on, unless {@code failFast}, which skips hosts not yet started. Results keep inventory order.
 */
final class FleetRunner {

    /** One host's result: a value, or the error that stopped it, or skipped after a fail-fast. */
    record HostResult<T>(Host host, T value, DeployException error, boolean skipped, Duration duration) {
        boolean ok() {
            return error == null && !skipped;
        }
    }

    private FleetRunner() {
    }

    static <T> List<HostResult<T>> run(List<Host> hosts, int parallel, boolean failFast, Function<Host, T> operation) {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, hosts.size())));
        try {
            List<Future<HostResult<T>>> futures = new ArrayList<>();
            for (Host host : hosts) {
                futures.add(pool.submit(() -> {
                    if (stop.get()) {
                        return new HostResult<T>(host, null, null, true, Duration.ZERO);
                    }
                    long start = System.nanoTime();
                    try {
                        T value = operation.apply(host);
                        return new HostResult<>(host, value, null, false, Duration.ofNanos(System.nanoTime() - start));
                    } catch (DeployException e) {
                        if (failFast) {
                            stop.set(true);
                        }
                        return new HostResult<T>(host, null, e, false, Duration.ofNanos(System.nanoTime() - start));
                    }
                }));
            }
            List<HostResult<T>> results = new ArrayList<>();
            for (Future<HostResult<T>> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException(cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The exit code for a set of results: lock conflicts and host failures, else OK. */
    static int exitCode(List<? extends HostResult<?>> results) {
        boolean locked = results.stream().anyMatch(r -> r.error() != null
                && r.error().kind() == DeployException.Kind.LOCKED);
        boolean failed = results.stream().anyMatch(r -> r.error() != null || r.skipped());
        if (results.stream().anyMatch(r -> r.error() != null && r.error().kind() == DeployException.Kind.INPUT)) {
            return ExitCodes.INPUT;
        }
        return failed ? (locked ? ExitCodes.LOCKED : ExitCodes.HOST_FAILED) : ExitCodes.OK;
    }
}
