package dev.deploy.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.event.DeployEvent;
import dev.deploy.host.CommandResult;
import dev.deploy.host.ForwardingConnection;
import dev.deploy.host.HostConnection;
import dev.deploy.host.LocalConnection;
import dev.deploy.inventory.ActivationPolicy;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import dev.deploy.store.HostLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The activation state machine on this machine with real {@code sh}, files and processes (a links-only host: no
 * systemd here). Faults are real host states or a connection that really breaks; only "the controller's connection"
 * is simulated, by a {@link LocalConnection} that stops delivering stdin or throws.
 */
class ActivationLocalTest {

    @TempDir
    Path dir;

    private HostLayout layout;
    private final List<DeployEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void lockOnce() {
        layout = new HostLayout(dir.resolve("state").toString());
        try (LocalConnection connection = new LocalConnection("box");
             HostLock lock = HostLock.acquire(connection, layout, "test")) {
            assertThat(lock.held()).isTrue(); // creates the layout
        }
    }

    private static GenerationManifest manifest(int number, String content) {
        TreeMap<String, String> roots = new TreeMap<>();
        roots.put("source/site.content", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-" + content);
        return new GenerationManifest(GenerationManifest.FORMAT, number, "2026-01-01T00:00:00Z", "box", roots,
                new TreeMap<>(), new TreeMap<>());
    }

    private Activation activation(HostConnection connection, ServiceManager services, boolean guarded,
                                  java.util.function.Supplier<HostConnection> reconnect) {
        return new Activation("box", connection, reconnect, layout, services,
                new ActivationPolicy(Duration.ofSeconds(5), guarded, List.of()), guarded, events::add);
    }

    private Activation.Result activate(HostConnection connection, Optional<GenerationManifest> from,
                                       GenerationManifest to) {
        return activation(connection, new LinksOnlyServices(), false, () -> new LocalConnection("box"))
                .activate(new Activation.Transition(from, to, true, List.<HostPlan.ServiceChange>of()));
    }

    private String current() throws IOException {
        return Files.readSymbolicLink(Path.of(layout.current())).toString();
    }

    @Test
    void aCutManifestNeverBecomesCurrent() throws Exception {
        GenerationManifest first = manifest(1, "one");
        assertThat(activate(new LocalConnection("box"), Optional.empty(), first))
                .isInstanceOf(Activation.Result.Confirmed.class);
        HostConnection cutting = new ForwardingConnection(new LocalConnection("box")) {
            @Override
            public CommandResult run(String script, StdinWriter stdin) throws IOException {
                // The controller dies half-way through sending the manifest: the script sees end of input.
                return delegate.run(script, out -> {
                    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                    stdin.writeTo(all);
                    byte[] bytes = all.toByteArray();
                    out.write(bytes, 0, bytes.length / 2);
                    throw new IOException("controller killed");
                });
            }
        };
        assertThatThrownBy(() -> activate(cutting, Optional.of(first), manifest(2, "two")))
                .isInstanceOfSatisfying(DeployException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST);
                    assertThat(e.getMessage()).matches("box: activate: prepare: the manifest arrived cut \\([0-9]+ of"
                            + " [0-9]+ bytes\\); nothing was switched");
                });
        assertThat(current()).isEqualTo("generations/1");
        assertThat(Path.of(layout.generation(2))).doesNotExist();
        assertThat(Path.of(layout.staging(2))).doesNotExist();
    }

    @Test
    void anEmptyManifestNeverBecomesCurrent() throws Exception {
        HostConnection nothing = new ForwardingConnection(new LocalConnection("box")) {
            @Override
            public CommandResult run(String script, StdinWriter stdin) throws IOException {
                return delegate.run(script, StdinWriter.NONE);
            }
        };
        assertThatThrownBy(() -> activate(nothing, Optional.empty(), manifest(1, "one")))
                .hasMessageMatching("box: activate: prepare: the manifest arrived cut \\(0 of [0-9]+ bytes\\); nothing"
                        + " was switched");
        assertThat(Path.of(layout.current())).doesNotExist();
    }

    @Test
    void aStepAfterArmingThatFailsIsUndoneAndTheGenerationMarkedFailed() throws Exception {
        GenerationManifest first = manifest(1, "one");
        activate(new LocalConnection("box"), Optional.empty(), first);
        Files.createDirectories(Path.of(layout.currentNew()));

        Activation.Result result = activate(new LocalConnection("box"), Optional.of(first), manifest(2, "two"));

        assertThat(result).isInstanceOfSatisfying(Activation.Result.Restored.class, restored -> {
            assertThat(restored.step()).isEqualTo("switch");
            assertThat(restored.reason()).contains(".current.new is in the way");
        });
        assertThat(current()).isEqualTo("generations/1");
        assertThat(Files.readString(Path.of(layout.failedMark(2)))).contains("switch: ", "is in the way");
        assertThat(Generations.list(new LocalConnection("box"), layout))
                .extracting(GenerationInfo::number, GenerationInfo::current, GenerationInfo::failed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, true, false),
                        org.assertj.core.groups.Tuple.tuple(2, false, true));
    }

    @Test
    void aFailedHealthCheckSwitchesBackAndMarksTheGeneration() throws Exception {
        GenerationManifest first = manifest(1, "one");
        activate(new LocalConnection("box"), Optional.empty(), first);
        ServiceManager unhealthy = new TestServices() {
            @Override
            public HealthResult checkHealth(HostConnection connection, GenerationManifest next,
                                            List<HostPlan.ServiceChange> changes, Keepalive keepalive) {
                return new HealthResult("service web.service failed", List.of(
                        new HealthResult.Check("web", false, "service web.service failed", 1)));
            }
        };
        Activation.Result result = activation(new LocalConnection("box"), unhealthy, false,
                () -> new LocalConnection("box"))
                .activate(new Activation.Transition(Optional.of(first), manifest(2, "two"), true, List.of()));

        assertThat(result).isInstanceOf(Activation.Result.HealthFailed.class);
        assertThat(current()).isEqualTo("generations/1");
        assertThat(Files.readString(Path.of(layout.failedMark(2)))).contains("health check: service web.service failed");
        assertThat(events).hasAtLeastOneElementOfType(DeployEvent.Switched.class)
                .hasAtLeastOneElementOfType(DeployEvent.RolledBack.class);
    }

    @Test
    void withoutConfirmationOverANewConnectionTheOldOneRevertsTheHost() throws Exception {
        GenerationManifest first = manifest(1, "one");
        activate(new LocalConnection("box"), Optional.empty(), first);
        Activation.Result result = activation(new LocalConnection("box"), new LinksOnlyServices(), true, () -> {
            throw DeployException.host("box", "connect", "Connection refused (sshd broken by the new generation)");
        }).activate(new Activation.Transition(Optional.of(first), manifest(2, "two"), true, List.of()));

        assertThat(result).isInstanceOfSatisfying(Activation.Result.Reverted.class, reverted -> {
            assertThat(reverted.live()).isEqualTo(1);
            assertThat(reverted.reason()).contains("could not confirm over a new connection", "Connection refused");
        });
        assertThat(current()).isEqualTo("generations/1");
        assertThat(Files.readString(Path.of(layout.watchdogState()))).startsWith("reverted ");
    }

    @Test
    void aConfirmedActivationStaysAndItsWatchdogEnds() throws Exception {
        GenerationManifest first = manifest(1, "one");
        activate(new LocalConnection("box"), Optional.empty(), first);
        Activation.Result result = activation(new LocalConnection("box"), new LinksOnlyServices(), true,
                () -> new LocalConnection("box"))
                .activate(new Activation.Transition(Optional.of(first), manifest(2, "two"), true, List.of()));

        assertThat(result).isInstanceOf(Activation.Result.Confirmed.class);
        assertThat(events).hasAtLeastOneElementOfType(DeployEvent.Confirmed.class);
        assertThat(Files.readString(Path.of(layout.watchdogState()))).startsWith("confirmed ");
        Thread.sleep(6500); // past the 5 s deadline: a watchdog that missed the confirmation would revert now
        assertThat(current()).isEqualTo("generations/2");
        assertThat(Path.of(layout.failedMark(2))).doesNotExist();
    }

    @Test
    void aConfirmationWhoseAnswerIsLostIsReportedAsConfirmedNotAsReverted() throws Exception {
        GenerationManifest first = manifest(1, "one");
        activate(new LocalConnection("box"), Optional.empty(), first);
        // The new connection confirms on the host, then breaks before its exit status reaches the controller.
        Activation.Result result = activation(new LocalConnection("box"), new LinksOnlyServices(), true,
                () -> new ForwardingConnection(new LocalConnection("box")) {
                    @Override
                    public CommandResult run(String script, StdinWriter stdin) throws IOException {
                        delegate.run(script, stdin);
                        throw new IOException("Connection reset");
                    }
                }).activate(new Activation.Transition(Optional.of(first), manifest(2, "two"), true, List.of()));

        assertThat(Files.readString(Path.of(layout.watchdogState()))).startsWith("confirmed ");
        assertThat(current()).isEqualTo("generations/2");
        assertThat(result).isInstanceOf(Activation.Result.Confirmed.class);
        assertThat(events).hasAtLeastOneElementOfType(DeployEvent.Confirmed.class)
                .doesNotHaveAnyElementsOfTypes(DeployEvent.RolledBack.class);
    }

    @Test
    void withoutMagicRollbackAGenerationWhoseDeployStoppedBeforeItsHealthChecksEndedIsMarkedNotConfirmed()
            throws Exception {
        GenerationManifest first = manifest(1, "one");
        activate(new LocalConnection("box"), Optional.empty(), first);
        assertThat(Path.of(layout.failedMark(1))).as("a generation that passed is not marked").doesNotExist();
        ServiceManager controllerGone = new TestServices() {
            @Override
            public HealthResult checkHealth(HostConnection connection, GenerationManifest next,
                                            List<HostPlan.ServiceChange> changes, Keepalive keepalive) {
                throw new IllegalStateException("Not connected");
            }
        };
        // No watchdog, and the host cannot be reached again: generation 2 stays live, never health-checked.
        activation(new LocalConnection("box"), controllerGone, false, () -> {
            throw DeployException.host("box", "connect", "Network is unreachable");
        }).activate(new Activation.Transition(Optional.of(first), manifest(2, "two"), true, List.of()));

        assertThat(current()).isEqualTo("generations/2");
        assertThat(dev.deploy.plan.HostFacts.gather(new LocalConnection("box"), layout, List.of()).currentFailure())
                .as("the next plan does not take generation 2 for a good one")
                .hasValueSatisfying(why -> assertThat(why).contains("not confirmed"));
        assertThat(Generations.list(new LocalConnection("box"), layout))
                .filteredOn(GenerationInfo::current).singleElement()
                .satisfies(live -> assertThat(live.failed()).isTrue());
    }

    @Test
    void theHostRevertsByItselfWhenTheControllerIsGone() throws Exception {
        GenerationManifest first = manifest(1, "one");
        activate(new LocalConnection("box"), Optional.empty(), first);
        ServiceManager lostDuringHealth = new TestServices() {
            @Override
            public HealthResult checkHealth(HostConnection connection, GenerationManifest next,
                                            List<HostPlan.ServiceChange> changes, Keepalive keepalive) {
                throw new IllegalStateException("Not connected");
            }
        };
        Activation.Result result = activation(new LocalConnection("box"), lostDuringHealth, true, () -> {
            throw DeployException.host("box", "connect", "Network is unreachable");
        }).activate(new Activation.Transition(Optional.of(first), manifest(2, "two"), true, List.of()));

        assertThat(result).isInstanceOfSatisfying(Activation.Result.Reverted.class, reverted ->
                assertThat(reverted.reason()).contains("connection lost during health check (Not connected)",
                        "its watchdog returns it to generation 1 within 5s"));
        assertThat(current()).as("nobody reverted it yet").isEqualTo("generations/2");
        long limit = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(Path.of(layout.watchdogState())).startsWith("reverted ")
                && System.nanoTime() < limit) {
            Thread.sleep(200);
        }
        assertThat(current()).as("the detached watchdog switched back").isEqualTo("generations/1");
        assertThat(Files.readString(Path.of(layout.failedMark(2)))).contains("not confirmed by the controller in time");
        assertThat(Files.readString(Path.of(layout.watchdogState()))).startsWith("reverted ");
    }

    @Test
    void httpChecksOnAHostWithoutSystemdThatOutlastTheConfirmTimeoutDoNotMakeTheWatchdogRevert() throws Exception {
        GenerationManifest first = manifest(1, "one");
        activate(new LocalConnection("box"), Optional.empty(), first);
        // A listener that never accepts: each request waits its whole try (2 s); four take longer than the 5 s
        // confirm timeout, during which the controller sends the host nothing.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/";
            TreeMap<String, GenerationManifest.ServiceEntry> services = new TreeMap<>();
            List<HostPlan.ServiceChange> changes = new java.util.ArrayList<>();
            for (String name : List.of("a", "b", "c", "d")) {
                services.put(name, new GenerationManifest.ServiceEntry("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-" + name
                        + ".service", new TreeMap<>(), new GenerationManifest.Health(url, null, 10)));
                changes.add(new HostPlan.ServiceChange(name, HostPlan.ServiceAction.START));
            }
            GenerationManifest second = new GenerationManifest(GenerationManifest.FORMAT, 2, "2026-01-01T00:00:00Z",
                    "box", manifest(2, "two").roots(), new TreeMap<>(), services);

            Activation.Result result = activation(new LocalConnection("box"), new LinksOnlyServices(), true,
                    () -> new LocalConnection("box"))
                    .activate(new Activation.Transition(Optional.of(first), second, true, changes));

            assertThat(result).isInstanceOf(Activation.Result.Confirmed.class);
            assertThat(result.health()).hasSize(4)
                    .allSatisfy(check -> assertThat(check.line()).contains("not started by deploy on this host"))
                    .as("a URL that did not answer is reported as such, not as healthy")
                    .allSatisfy(check -> assertThat(check.healthy()).isFalse());
        }
        assertThat(current()).isEqualTo("generations/2");
        assertThat(Files.readString(Path.of(layout.watchdogState()))).startsWith("confirmed ");
    }

    /** A links-only service manager whose health check a test replaces. */
    private abstract static class TestServices implements ServiceManager {
        @Override
        public boolean runsServices() {
            return false;
        }

        @Override
        public String name() {
            return "test";
        }
    }
}
