package dev.deploy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.DeployException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentConnectAheadTest {

    @TempDir
    Path dir;

    @Test
    void theFirstParallelHostsConnectWhileTheModulesAreStillBeingEvaluated() throws Exception {
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                hosts:
                  a: {local: {root: a}}
                  b: {local: {root: b}}
                  c: {local: {root: c}}
                """);
        CountDownLatch evaluationDone = new CountDownLatch(1);
        CountDownLatch twoConnecting = new CountDownLatch(2);
        Set<String> opened = ConcurrentHashMap.newKeySet();
        Set<String> openedBeforeEvaluationEnded = ConcurrentHashMap.newKeySet();
        HostConnector connector = host -> {
            opened.add(host.name());
            if (evaluationDone.getCount() > 0) {
                openedBeforeEvaluationEnded.add(host.name());
            }
            twoConnecting.countDown();
            return new TestHosts.FakeConnection(host.name());
        };
        try (Deployment deployment = Deployment.open(inventory, List.of(), List.of(), connector, dir.resolve("cache"))) {
            deployment.connectAhead(2);
            // stands for a slow evaluation: it ends only once both connections were opened meanwhile
            assertThat(twoConnecting.await(30, TimeUnit.SECONDS)).as("two connects started on their own").isTrue();
            deployment.evaluateAll();
            evaluationDone.countDown();

            assertThat(openedBeforeEvaluationEnded).containsExactlyInAnyOrder("a", "b");
            assertThat(opened).as("the third host waits for its turn in the run").doesNotContain("c");
            deployment.on(deployment.hosts().get(2)).connection();
            assertThat(opened).contains("c");
        }
    }

    @Test
    void aHostThatCouldNotBeReachedAheadFailsAtItsFirstUseWithTheSameError() throws Exception {
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                hosts:
                  a: {local: {root: a}}
                """);
        DeployException refused = DeployException.host("a", "connect", "connection refused");
        CountDownLatch tried = new CountDownLatch(1);
        HostConnector connector = host -> {
            tried.countDown();
            throw refused;
        };
        try (Deployment deployment = Deployment.open(inventory, List.of(), List.of(), connector, dir.resolve("cache"))) {
            deployment.connectAhead(4);
            assertThat(tried.await(30, TimeUnit.SECONDS)).isTrue();

            List<HostResult<Object>> results = deployment.executor(1, dev.deploy.event.EventSink.NONE)
                    .run(deployment.hosts(), "connect", (host, events) -> host.connection());
            assertThat(results.get(0)).isInstanceOfSatisfying(HostResult.Unreachable.class,
                    unreachable -> assertThat(unreachable.error()).isSameAs(refused));
        }
    }
}
