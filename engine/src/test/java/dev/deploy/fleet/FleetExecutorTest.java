package dev.deploy.fleet;

import static dev.deploy.fleet.TestHosts.applied;
import static dev.deploy.fleet.TestHosts.host;
import static dev.deploy.fleet.TestHosts.hosts;
import static dev.deploy.fleet.TestHosts.rolledBack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.DeployException;
import dev.deploy.transfer.TransferResult;
import dev.deploy.event.DeployEvent;
import dev.deploy.event.EventSink;
import dev.deploy.inventory.Host;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FleetExecutorTest {

    /** Waits at most this long for something the test expects to happen (never a speed target). */
    private static final long PATIENCE_SECONDS = 30;

    private static FleetExecutor executor(int parallel, EventSink events) {
        return new FleetExecutor(parallel, TestHosts::deployer, events);
    }

    @Test
    void neverRunsMoreHostsAtOnceThanParallelAndKeepsThatManyBusy() throws Exception {
        List<Host> hosts = hosts(7);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        BlockingQueue<String> started = new LinkedBlockingQueue<>();
        Semaphore release = new Semaphore(0);
        CompletableFuture<List<HostResult<String>>> run = CompletableFuture.supplyAsync(() ->
                executor(3, EventSink.NONE).run(hosts, "test", (host, events) -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    started.add(host.host().name());
                    try {
                        if (!release.tryAcquire(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                            throw new AssertionError("never released");
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    } finally {
                        running.decrementAndGet();
                    }
                    return host.host().name();
                }));
        // Three start; the fourth cannot until one of them ends, however long we wait.
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            order.add(started.poll(PATIENCE_SECONDS, TimeUnit.SECONDS));
        }
        assertThat(started.poll(300, TimeUnit.MILLISECONDS)).as("a fourth host started while three run").isNull();
        assertThat(running.get()).isEqualTo(3);
        for (int i = 3; i < 7; i++) {
            release.release();
            order.add(started.poll(PATIENCE_SECONDS, TimeUnit.SECONDS));
            assertThat(running.get()).isLessThanOrEqualTo(3);
        }
        release.release(3);

        List<HostResult<String>> results = run.get(PATIENCE_SECONDS, TimeUnit.SECONDS);

        assertThat(maxRunning.get()).isEqualTo(3);
        assertThat(order.subList(0, 3)).containsExactlyInAnyOrder("h1", "h2", "h3");
        assertThat(order.subList(3, 7)).containsExactly("h4", "h5", "h6", "h7");
        assertThat(results).allMatch(r -> r instanceof HostResult.Done<String>);
    }

    @Test
    void connectsHostsInParallelNotOneAfterAnother() throws Exception {
        // Each connect waits until all three are connecting at the same time: serialized connects never get there.
        CountDownLatch allConnecting = new CountDownLatch(3);
        FleetExecutor executor = new FleetExecutor(3, host -> {
            allConnecting.countDown();
            try {
                if (!allConnecting.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                    throw DeployException.host(host.name(), "connect", "the other connects never overlapped this one");
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            throw DeployException.host(host.name(), "connect", "connection timed out");
        }, EventSink.NONE);

        List<HostResult<String>> results = executor.run(hosts(3), "test", (host, events) -> "never");

        assertThat(results).allSatisfy(r -> {
            assertThat(r).isInstanceOf(HostResult.Unreachable.class);
            assertThat(((HostResult.Unreachable<String>) r).error().detail()).isEqualTo("connection timed out");
        });
    }

    @Test
    void resultsKeepTheGivenOrderWhateverOrderHostsFinishIn() {
        List<Host> hosts = hosts(5);
        List<String> finished = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch h5Done = new CountDownLatch(1);

        List<HostResult<String>> results = executor(5, EventSink.NONE).run(hosts, "test", (host, events) -> {
            String name = host.host().name();
            if (!name.equals("h5")) {
                try {
                    h5Done.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            finished.add(name);
            if (name.equals("h5")) {
                h5Done.countDown();
            }
            return name;
        });

        assertThat(finished.get(0)).isEqualTo("h5");
        assertThat(results).extracting(r -> r.host().name()).containsExactly("h1", "h2", "h3", "h4", "h5");
        assertThat(results).extracting(r -> ((HostResult.Done<String>) r).value())
                .containsExactly("h1", "h2", "h3", "h4", "h5");
    }

    @Test
    void failFastAfterAHealthFailureStartsNoMoreHosts() {
        Set<String> started = ConcurrentHashMap.newKeySet();

        List<HostResult<ApplyOutcome>> results = executor(1, EventSink.NONE).run(hosts(3), "apply",
                (host, events) -> {
                    started.add(host.host().name());
                    return host.host().name().equals("h1") ? rolledBack() : applied();
                }, FailureBudget.of(1));

        assertThat(started).containsExactly("h1");
        assertThat(results).extracting(Outcome::of)
                .containsExactly(Outcome.ROLLED_BACK, Outcome.SKIPPED, Outcome.SKIPPED);
    }

    @Test
    void failFastStopsAfterEveryKindOfFailureNotOnlyAHealthCheck() {
        java.util.Map<Outcome, java.util.function.Function<Host, ApplyOutcome>> firstHost =
                new java.util.LinkedHashMap<>();
        firstHost.put(Outcome.UNREACHABLE, host -> {
            throw DeployException.host(host.name(), "connect", "Connection refused");
        });
        firstHost.put(Outcome.LOCKED, host -> {
            throw DeployException.locked(host.name(), "lock", "another deploy holds the lock");
        });
        firstHost.put(Outcome.FAILED, host -> {
            throw DeployException.host(host.name(), "transfer", "No space left on device");
        });
        firstHost.put(Outcome.REVERTED, host -> new ApplyOutcome.Reverted(null, 2, 1, TransferResult.NOTHING,
                "could not confirm over a new connection", List.of()));
        firstHost.put(Outcome.RESTORED, host -> new ApplyOutcome.RestoredAfterFailure(null, 2, 1,
                TransferResult.NOTHING, "daemon-reload", "Connection timed out", List.of()));
        firstHost.put(Outcome.NOT_RESTORED, host -> new ApplyOutcome.NotRestored(null, 2, TransferResult.NOTHING,
                "health check", "unit failed", "undoing generation 2 failed", List.of()));
        firstHost.put(Outcome.ROLLED_BACK, host -> rolledBack());
        firstHost.forEach((kind, outcome) -> {
            Set<String> started = ConcurrentHashMap.newKeySet();
            boolean atConnect = kind == Outcome.UNREACHABLE || kind == Outcome.LOCKED;
            FleetExecutor executor = new FleetExecutor(1, host -> {
                started.add(host.name());
                if (atConnect && host.name().equals("h1")) {
                    outcome.apply(host);
                }
                return TestHosts.deployer(host);
            }, EventSink.NONE);

            List<HostResult<ApplyOutcome>> results = executor.run(hosts(3), "apply",
                    (host, events) -> host.host().name().equals("h1") ? outcome.apply(host.host()) : applied(),
                    FailureBudget.of(1));

            assertThat(results).as(kind.label()).extracting(Outcome::of)
                    .containsExactly(kind, Outcome.SKIPPED, Outcome.SKIPPED);
            assertThat(started).as(kind.label()).containsExactly("h1");
        });
    }

    @Test
    void withoutALimitEveryHostIsTriedAfterAFailure() {
        List<HostResult<ApplyOutcome>> results = executor(1, EventSink.NONE).run(hosts(3), "apply",
                (host, events) -> host.host().name().equals("h1") ? rolledBack() : applied());

        assertThat(results).extracting(Outcome::of)
                .containsExactly(Outcome.ROLLED_BACK, Outcome.APPLIED, Outcome.APPLIED);
    }

    @Test
    void anUncheckedExceptionAfterTheConnectionDroppedIsThatHostsFailureNamingTheStep() {
        List<HostResult<String>> results = executor(2, EventSink.NONE).run(hosts(2), "apply", (host, events) -> {
            if (host.host().name().equals("h1")) {
                events.accept(new DeployEvent.Switched(java.time.Instant.now(), "h1", 1, 2));
                ((TestHosts.FakeConnection) host.connection()).open = false;
                throw new IllegalStateException("Not connected");
            }
            return "fine";
        });

        assertThat(results.get(0)).isInstanceOf(HostResult.Failed.class);
        HostResult.Failed<String> failed = (HostResult.Failed<String>) results.get(0);
        assertThat(failed.afterSwitch()).isTrue();
        assertThat(failed.error().kind()).isEqualTo(DeployException.Kind.HOST);
        assertThat(failed.error().getMessage())
                .isEqualTo("h1: activate: connection lost (IllegalStateException: Not connected)");
        assertThat(Outcome.of(failed)).isEqualTo(Outcome.NOT_RESTORED);
        assertThat(results.get(1)).isEqualTo(new HostResult.Done<>(results.get(1).host(), "fine",
                results.get(1).duration()));
    }

    @Test
    void anUnexpectedExceptionOnOneHostIsThatHostsFailureAndTheOthersGoOn() {
        // e.g. a parser choking on odd output from the host: the connection is fine, the host's result says what.
        List<HostResult<String>> results = executor(2, EventSink.NONE).run(hosts(2), "plan", (host, events) -> {
            if (host.host().name().equals("h2")) {
                throw new NumberFormatException("For input string: \"99999999999\"");
            }
            return "fine";
        });

        assertThat(results.get(0)).isInstanceOf(HostResult.Done.class);
        assertThat(results.get(1)).isInstanceOfSatisfying(HostResult.Failed.class, failed -> {
            assertThat(failed.afterSwitch()).isFalse();
            assertThat(failed.error().kind()).isEqualTo(DeployException.Kind.HOST);
            assertThat(failed.error().getMessage()).startsWith("h2: plan: unexpected NumberFormatException: "
                    + "For input string: \"99999999999\" (if the host is fine, this is a bug in deploy");
            assertThat(failed.error().getCause()).isInstanceOf(NumberFormatException.class);
        });
    }

    @Test
    void aLockHeldElsewhereAndAFailedStepAreTheirOwnCases() {
        List<HostResult<String>> results = executor(2, EventSink.NONE).run(hosts(2), "apply", (host, events) -> {
            if (host.host().name().equals("h1")) {
                throw DeployException.locked("h1", "lock", "another deploy holds /var/lib/deploy/lock");
            }
            throw DeployException.host("h2", "transfer", "disk full");
        });

        assertThat(results).extracting(Outcome::of).containsExactly(Outcome.LOCKED, Outcome.FAILED);
    }

    @Test
    void emitsStartedConnectedAndFinishedForEachHostInThatOrder() {
        List<DeployEvent> events = Collections.synchronizedList(new ArrayList<>());
        FleetExecutor executor = new FleetExecutor(2, host -> {
            if (host.name().equals("h2")) {
                throw DeployException.host("h2", "connect", "connection refused");
            }
            return TestHosts.deployer(host);
        }, events::add);

        executor.run(List.of(host("h1"), host("h2")), "apply", (host, sink) -> applied());

        assertThat(events.stream().filter(e -> e.host().equals("h1")).map(e -> e.getClass().getSimpleName()))
                .containsExactly("HostStarted", "Connected", "HostFinished");
        assertThat(events.stream().filter(e -> e.host().equals("h2")).map(e -> e.getClass().getSimpleName()))
                .containsExactly("HostStarted", "HostFinished");
        assertThat(events).filteredOn(e -> e instanceof DeployEvent.HostFinished)
                .extracting(e -> ((DeployEvent.HostFinished) e).host() + "=" + ((DeployEvent.HostFinished) e).result())
                .containsExactlyInAnyOrder("h1=applied", "h2=unreachable");
    }
}
