package dev.deploy.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.event.EventSink;
import dev.deploy.host.HostConnection;
import dev.deploy.inventory.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostMemoTest {

    @TempDir
    Path dir;

    @Test
    void aValueIsComputedOncePerHostAndAFailureIsThrownAgainToEveryLaterCaller() {
        HostMemo<String> memo = new HostMemo<>();
        AtomicInteger computed = new AtomicInteger();
        DeployException unreachable = DeployException.host("h2", "connect", "connection refused");

        assertThat(memo.get("h1", () -> "v" + computed.incrementAndGet())).isEqualTo("v1");
        assertThat(memo.get("h1", () -> "v" + computed.incrementAndGet())).isEqualTo("v1");
        assertThatThrownBy(() -> memo.get("h2", () -> {
            computed.incrementAndGet();
            throw unreachable;
        })).isSameAs(unreachable);
        assertThatThrownBy(() -> memo.get("h2", () -> "never")).isSameAs(unreachable);
        assertThat(computed.get()).isEqualTo(2);
        assertThat(memo.peek("h2")).containsInstanceOf(HostMemo.Failed.class);
        assertThat(memo.values()).containsExactly("v1");
    }

    @Test
    void aBugIsNotKeptAsAFactAboutTheHost() {
        HostMemo<String> memo = new HostMemo<>();

        assertThatThrownBy(() -> memo.get("h1", () -> {
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(memo.get("h1", () -> "fine")).isEqualTo("fine");
    }

    @Test
    void aDeploymentOpensTwoHostsConnectionsAtTheSameTime() throws Exception {
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                hosts:
                  a: {local: {root: a}}
                  b: {local: {root: b}}
                """);
        CountDownLatch bothConnecting = new CountDownLatch(2);
        HostConnector connector = host -> {
            bothConnecting.countDown();
            try {
                if (!bothConnecting.await(30, TimeUnit.SECONDS)) {
                    throw DeployException.host(host.name(), "connect", "the other host's connect never overlapped");
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return new TestHosts.FakeConnection(host.name());
        };
        try (Deployment deployment = Deployment.open(inventory, List.of(), List.of(), connector, dir.resolve("cache"))) {
            List<HostResult<HostConnection>> results = deployment.executor(2, EventSink.NONE)
                    .run(deployment.hosts(), "connect", (host, events) -> host.connection());

            assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(HostResult.Done.class));
            Host a = deployment.hosts().get(0);
            assertThat(deployment.on(a).connection()).as("the connection is reused")
                    .isSameAs(((HostResult.Done<HostConnection>) results.get(0)).value());
        }
    }
}
