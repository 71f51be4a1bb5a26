package dev.deploy.fleet;

import static dev.deploy.fleet.TestHosts.host;
import static dev.deploy.fleet.TestHosts.hosts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.inventory.BatchSize;
import dev.deploy.inventory.CanarySelector;
import dev.deploy.inventory.Host;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

    private static List<List<String>> names(List<Batch> batches) {
        return batches.stream().map(Batch::hostNames).toList();
    }

    @Test
    void aCountSplitsHostsInOrderWithASmallerLastBatch() {
        List<Batch> batches = BatchPlanner.plan(hosts(5), BatchSize.parse("2"), Optional.empty());

        assertThat(names(batches)).containsExactly(List.of("h1", "h2"), List.of("h3", "h4"), List.of("h5"));
        assertThat(batches).extracting(Batch::number).containsExactly(1, 2, 3);
        assertThat(batches).noneMatch(Batch::canary);
    }

    @Test
    void aPercentageIsOfAllSelectedHostsRoundedDownButAtLeastOne() {
        assertThat(names(BatchPlanner.plan(hosts(10), BatchSize.parse("25%"), Optional.empty())))
                .containsExactly(List.of("h1", "h2"), List.of("h3", "h4"), List.of("h5", "h6"), List.of("h7", "h8"),
                        List.of("h9", "h10"));
        assertThat(names(BatchPlanner.plan(hosts(3), BatchSize.parse("10%"), Optional.empty())))
                .containsExactly(List.of("h1"), List.of("h2"), List.of("h3"));
        assertThat(names(BatchPlanner.plan(hosts(3), BatchSize.parse("100%"), Optional.empty())))
                .containsExactly(List.of("h1", "h2", "h3"));
    }

    @Test
    void withoutABatchSizeEveryHostIsInOneBatch() {
        assertThat(names(BatchPlanner.plan(hosts(4), BatchSize.ALL, Optional.empty())))
                .containsExactly(List.of("h1", "h2", "h3", "h4"));
    }

    @Test
    void aCanaryCountTakesTheFirstHostsAsBatchOne() {
        List<Batch> batches = BatchPlanner.plan(hosts(5), BatchSize.parse("2"), Optional.of(CanarySelector.parse("1")));

        assertThat(names(batches)).containsExactly(List.of("h1"), List.of("h2", "h3"), List.of("h4", "h5"));
        assertThat(batches).extracting(Batch::canary).containsExactly(true, false, false);
    }

    @Test
    void aCanaryTagTakesTheTaggedHostsWhereverTheyAreThenTheRestInOrder() {
        List<Host> hosts = List.of(host("a"), host("b", "canary"), host("c"), host("d", "canary"), host("e"));

        List<Batch> batches = BatchPlanner.plan(hosts, BatchSize.ALL, Optional.of(CanarySelector.parse("@canary")));

        assertThat(names(batches)).containsExactly(List.of("b", "d"), List.of("a", "c", "e"));
    }

    @Test
    void aCanaryTagNoSelectedHostHasIsAnInputError() {
        assertThatThrownBy(() -> BatchPlanner.plan(hosts(2), BatchSize.ALL, Optional.of(CanarySelector.parse("@eu"))))
                .isInstanceOfSatisfying(DeployException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT);
                    assertThat(e.getMessage()).isEqualTo("canary @eu: no selected host has that tag or group");
                });
        assertThatThrownBy(() -> BatchPlanner.plan(List.of(host("a", "canary"), host("b")), BatchSize.ALL,
                Optional.of(CanarySelector.parse("@canray"))))
                .hasMessage("canary @canray: no selected host has that tag or group; did you mean 'canary'?");
    }

    @Test
    void badBatchAndCanaryTextIsRejectedWithTheAcceptedForms() {
        assertThatThrownBy(() -> BatchSize.parse("two")).hasMessage(
                "expected a number of hosts (2) or a percentage (25%), got \"two\"");
        assertThatThrownBy(() -> BatchSize.parse("0")).hasMessage("a batch needs at least 1 host, got 0");
        assertThatThrownBy(() -> BatchSize.parse("150%")).hasMessage(
                "a batch percentage must be between 1% and 100%, got 150%");
        assertThatThrownBy(() -> CanarySelector.parse("canary")).hasMessage(
                "expected a number of hosts (1) or a tag (@canary), got \"canary\"");
    }
}
