package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.fleet.Deployment;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.plan.DesiredGeneration;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet example of the README loads and evaluates (no host is contacted: its addresses are examples). */
class FleetExampleTest {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path cache;

    private Deployment open(String... selectors) {
        return Deployment.open(REPO.resolve("inventory-examples/fleet/inventory.yaml"), List.of(selectors),
                List.of(REPO.resolve("modules")), host -> {
                    throw new AssertionError("no host is contacted: " + host.name());
                }, cache);
    }

    private static HostTarget.Ssh ssh(Host host) {
        return (HostTarget.Ssh) host.target();
    }

    @Test
    void everyHostEvaluatesWithItsGroupAndHostOverrides() throws Exception {
        try (Deployment fleet = open()) {
            assertThat(fleet.hosts()).extracting(Host::name).containsExactly("web1", "web2", "web3");
            Map<String, DesiredGeneration> desired = new HashMap<>();
            for (Host host : fleet.hosts()) {
                desired.put(host.name(), fleet.desired(host));
            }
            Host web1 = fleet.hosts().get(0);
            Host web2 = fleet.hosts().get(1);
            Host web3 = fleet.hosts().get(2);

            assertThat(ssh(web1).port()).isEqualTo(22);
            assertThat(ssh(web2).port()).isEqualTo(2222);
            assertThat(ssh(web1).user()).isEqualTo("deploy");
            assertThat(ssh(web3).jump()).hasValueSatisfying(jump -> {
                assertThat(jump.address()).isEqualTo("198.51.100.7");
                assertThat(jump.user()).isEqualTo("jump");
            });
            assertThat(ssh(web3).stateDir()).isEqualTo("/srv/deploy");

            String site = "source/static-site.site";
            assertThat(desired.get("web2").manifest().roots().get(site))
                    .isEqualTo(desired.get("web1").manifest().roots().get(site));
            assertThat(desired.get("web3").manifest().roots().get(site))
                    .as("the canary group serves its own site")
                    .isNotEqualTo(desired.get("web1").manifest().roots().get(site));
            assertThat(desired.get("web2").manifest().services().get("static-site").health().http())
                    .isEqualTo("http://127.0.0.1:8081/");
            assertThat(desired.get("web1").manifest().services().get("static-site").health().http())
                    .isEqualTo("http://127.0.0.1:8080/");
        }
    }

    @Test
    void tagsAndGroupsSelectHosts() throws Exception {
        try (Deployment canary = open("@canary"); Deployment eu = open("@eu", "web3")) {
            assertThat(canary.hosts()).extracting(Host::name).containsExactly("web3");
            assertThat(eu.hosts()).extracting(Host::name).containsExactly("web1", "web2", "web3");
        }
    }
}
