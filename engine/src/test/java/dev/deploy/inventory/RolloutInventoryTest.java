package dev.deploy.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory's {@code rollout} section and the rollout order of its hosts. */
class RolloutInventoryTest {

    @TempDir
    Path dir;

    private Inventory load(String yaml) throws Exception {
        return InventoryLoader.load(Files.writeString(dir.resolve("inventory.yaml"), yaml));
    }

    private static final String HOSTS = """
            groups:
              canary: {}
              web: {}
              db: {}
            hosts:
              solo: {local: {root: s}}
              db1: {local: {root: d}, groups: [db]}
              web1: {local: {root: w1}, groups: [web]}
              web2: {local: {root: w2}, groups: [db, web]}
              can: {local: {root: c}, groups: [canary]}
            """;

    @Test
    void theInventoryOrderIsGroupsAsDeclaredThenHostsWithoutAGroup() throws Exception {
        Inventory inventory = load(HOSTS);

        assertThat(HostOrder.INVENTORY.sort(inventory, inventory.hosts())).extracting(Host::name)
                .containsExactly("can", "web1", "web2", "db1", "solo");
        assertThat(HostOrder.HOSTS.sort(inventory, inventory.hosts())).extracting(Host::name)
                .containsExactly("solo", "db1", "web1", "web2", "can");
        assertThat(HostOrder.NAME.sort(inventory, inventory.hosts())).extracting(Host::name)
                .containsExactly("can", "db1", "solo", "web1", "web2");
    }

    @Test
    void theRolloutSectionGivesApplyItsDefaults() throws Exception {
        Inventory inventory = load("""
                rollout:
                  batch: 25%
                  canary: "@canary"
                  maxFailures: 2
                  order: name
                  rollbackRunOnAbort: true
                """ + HOSTS);

        RolloutDefaults rollout = inventory.rollout();
        assertThat(rollout.batch()).contains(new BatchSize.Percent(25));
        assertThat(rollout.canary()).contains(new CanarySelector.Tagged("canary"));
        assertThat(rollout.maxFailures()).isEqualTo(OptionalInt.of(2));
        assertThat(rollout.order()).contains(HostOrder.NAME);
        assertThat(rollout.rollbackRunOnAbort()).contains(true);
        assertThat(inventory.groups()).isEqualTo(List.of("canary", "web", "db"));
    }

    @Test
    void aBadRolloutValueNamesItsFileLineColumnAndField() {
        assertThatThrownBy(() -> load("rollout:\n  batch: lots\n" + HOSTS))
                .isInstanceOfSatisfying(DeployException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT);
                    assertThat(e.getMessage()).endsWith("inventory.yaml:2:10: rollout.batch: expected a number of "
                            + "hosts (2) or a percentage (25%), got \"lots\"");
                });
        assertThatThrownBy(() -> load("rollout:\n  maxFailures: 0\n" + HOSTS))
                .hasMessageEndingWith("inventory.yaml:2:16: rollout.maxFailures: maxFailures must be at least 1, got 0");
        assertThatThrownBy(() -> load("rollout:\n  batches: 2\n" + HOSTS))
                .isInstanceOf(DeployException.class).hasMessageContaining("batches");
    }
}
