package dev.deploy.fleet;

import static dev.deploy.fleet.TestHosts.applied;
import static dev.deploy.fleet.TestHosts.hosts;
import static dev.deploy.fleet.TestHosts.rolledBack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.event.DeployEvent;
import dev.deploy.inventory.BatchSize;
import dev.deploy.inventory.CanarySelector;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RolloutTest {

    private final List<DeployEvent> events = Collections.synchronizedList(new ArrayList<>());

    private RolloutReport roll(List<Host> hosts, int parallel, RolloutPolicy policy, Set<String> failing) {
        FleetExecutor executor = new FleetExecutor(parallel, TestHosts::deployer, events::add);
        List<Batch> batches = BatchPlanner.plan(hosts, policy.batch(), policy.canary());
        return new Rollout(executor, policy).run(batches,
                (host, sink) -> failing.contains(host.host().name()) ? rolledBack() : applied());
    }

    private static RolloutPolicy policy(String batch, String canary, Integer maxFailures) {
        return new RolloutPolicy(BatchSize.parse(batch), Optional.ofNullable(canary).map(CanarySelector::parse),
                maxFailures == null ? OptionalInt.empty() : OptionalInt.of(maxFailures), false, HostOrder.INVENTORY);
    }

    @Test
    void aRollingRolloutStopsAtItsFirstFailedHostAndSkipsTheRest() {
        RolloutReport report = roll(hosts(4), 1, policy("2", null, null), Set.of("h3"));

        assertThat(report.results()).extracting(Outcome::of)
                .containsExactly(Outcome.APPLIED, Outcome.APPLIED, Outcome.ROLLED_BACK, Outcome.SKIPPED);
        assertThat(report.abort()).contains(new RolloutReport.Abort(RolloutReport.Reason.FAILURE_LIMIT, 2, 1, 1));
    }

    @Test
    void aBatchWithAFailedHostClosesTheGateToTheNextBatch() {
        // h3 fails only once h4 runs beside it, so that h4 was started before the limit was reached.
        CountDownLatch h4Started = new CountDownLatch(1);
        FleetExecutor executor = new FleetExecutor(2, TestHosts::deployer, events::add);
        RolloutPolicy policy = policy("2", null, null);
        RolloutReport report = new Rollout(executor, policy).run(BatchPlanner.plan(hosts(6), policy.batch(),
                policy.canary()), (host, sink) -> {
                    switch (host.host().name()) {
                        case "h4" -> h4Started.countDown();
                        case "h3" -> {
                            await(h4Started);
                            return rolledBack();
                        }
                        default -> { }
                    }
                    return applied();
                });

        // h4 ran beside h3 in batch 2; batch 3 never started.
        assertThat(report.results()).extracting(Outcome::of).containsExactly(Outcome.APPLIED, Outcome.APPLIED,
                Outcome.ROLLED_BACK, Outcome.APPLIED, Outcome.SKIPPED, Outcome.SKIPPED);
        assertThat(report.batches()).extracting(RolloutReport.BatchReport::started).containsExactly(true, true, false);
        assertThat(events).filteredOn(e -> e instanceof DeployEvent.BatchStarted)
                .extracting(e -> ((DeployEvent.BatchStarted) e).number()).containsExactly(1, 2);
        assertThat(events).filteredOn(e -> e instanceof DeployEvent.BatchFinished)
                .extracting(e -> ((DeployEvent.BatchFinished) e).failed()).containsExactly(List.of(), List.of("h3"));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void maxFailuresLetsTheRolloutGoOnUntilTheLimitIsReached() {
        RolloutReport report = roll(hosts(6), 1, policy("2", null, 2), Set.of("h2", "h4"));

        assertThat(report.results()).extracting(Outcome::of).containsExactly(Outcome.APPLIED, Outcome.ROLLED_BACK,
                Outcome.APPLIED, Outcome.ROLLED_BACK, Outcome.SKIPPED, Outcome.SKIPPED);
        assertThat(report.abort().orElseThrow().failures()).isEqualTo(2);
    }

    @Test
    void aFailedCanaryStopsTheRolloutWhateverTheLimit() {
        RolloutReport report = roll(hosts(4), 4, policy("2", "1", 10), Set.of("h1"));

        assertThat(report.results()).extracting(Outcome::of)
                .containsExactly(Outcome.ROLLED_BACK, Outcome.SKIPPED, Outcome.SKIPPED, Outcome.SKIPPED);
        assertThat(report.abort().orElseThrow().reason()).isEqualTo(RolloutReport.Reason.CANARY_FAILED);
    }

    @Test
    void noHostOfABatchStartsBeforeEveryHostOfTheBatchBeforeItFinished() {
        roll(hosts(6), 3, policy("2", null, null), Set.of());

        List<String> sequence = new ArrayList<>();
        for (DeployEvent event : events) {
            if (event instanceof DeployEvent.HostStarted) {
                sequence.add("start " + event.host());
            } else if (event instanceof DeployEvent.HostFinished) {
                sequence.add("end " + event.host());
            }
        }
        for (int batch = 0; batch < 2; batch++) {
            int lastEnd = Math.max(sequence.indexOf("end h" + (2 * batch + 1)), sequence.indexOf("end h" + (2 * batch + 2)));
            int nextStart = Math.min(sequence.indexOf("start h" + (2 * batch + 3)),
                    sequence.indexOf("start h" + (2 * batch + 4)));
            assertThat(lastEnd).as(sequence.toString()).isLessThan(nextStart);
        }
    }

    @Test
    void aPlainApplyTriesEveryHostDespiteFailures() {
        RolloutReport report = roll(hosts(3), 1, RolloutPolicy.DEFAULT, Set.of("h1"));

        assertThat(report.results()).extracting(Outcome::of)
                .containsExactly(Outcome.ROLLED_BACK, Outcome.APPLIED, Outcome.APPLIED);
        assertThat(report.abort()).isEmpty();
    }
}
