package dev.deploy.it.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.activation.HostLock;
import dev.deploy.host.HostConnection;
import dev.deploy.host.IdleWatch;
import dev.deploy.host.ssh.PassphraseSource;
import dev.deploy.host.ssh.SshConnection;
import dev.deploy.host.ssh.SshSettings;
import dev.deploy.host.ssh.SshTimeouts;
import dev.deploy.it.local.CliRun;
import dev.deploy.store.HostLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 3 / issue 11.6: no network phase without a deadline. A port that accepts and never speaks (directly
 * or as a jump host), and a host that stops answering in the middle of a command, end with a one-line error naming
 * the host and the step, and the other hosts of the run go on. The {@code @Timeout}s only keep a regression from
 * hanging the build; the assertions are on what the errors say.
 */
@Timeout(120)
class SshDeadlinesIT {

    @TempDir
    static Path shared;
    private static Path key;
    private static OpenSshServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        key = SshKeygen.generate(shared.resolve("id_ed25519"), "");
        server = OpenSshServer.start(shared.resolve("sshd"), List.of(key));
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private Path knownHosts() throws IOException {
        return Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine() + "\n");
    }

    private SshSettings settings(String name, int port) throws IOException {
        return SshSettings.of(name, OpenSshServer.ADDRESS, port, System.getProperty("user.name"))
                .withIdentityFile(key)
                .withKnownHostsFile(knownHosts())
                .withPassphrases(PassphraseSource.none())
                .withAgentSocket(java.util.Optional.empty());
    }

    @Test
    void aPortThatAcceptsAndNeverSpeaksTimesOutAtTheBanner() throws Exception {
        try (FreezableRelay silent = FreezableRelay.silent()) {
            SshSettings web1 = settings("web1", silent.port()).withConnectTimeout(Duration.ofSeconds(2));

            assertThatThrownBy(() -> SshConnection.open(web1))
                    .isInstanceOfSatisfying(DeployException.class,
                            e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST))
                    .hasMessage("web1: connect: no SSH banner from 127.0.0.1:" + silent.port() + " within 2s");
        }
    }

    @Test
    void aSilentJumpHostTimesOutAndIsNamed() throws Exception {
        try (FreezableRelay silent = FreezableRelay.silent()) {
            SshSettings bastion = settings("bastion", silent.port()).withConnectTimeout(Duration.ofSeconds(2));
            SshSettings web1 = settings("web1", server.port()).withJumpHost(bastion);

            assertThatThrownBy(() -> SshConnection.open(web1))
                    .isInstanceOf(DeployException.class)
                    .hasMessage("web1: connect: jump host bastion: no SSH banner from 127.0.0.1:" + silent.port()
                            + " within 2s");
        }
    }

    /**
     * A command stuck on a host whose sshd still answers keep-alives (a hung mount under {@code df}): no output and no
     * input for its idle limit stop it with an error naming the host, and the connection serves the next command.
     */
    @Test
    void aCommandStuckOnALiveHostIsStoppedAtItsIdleLimitAndTheConnectionGoesOn() throws Exception {
        try (SshConnection ssh = SshConnection.open(settings("web1", server.port()))) {
            assertThatThrownBy(() -> ssh.run("sleep 300", HostConnection.StdinWriter.NONE, Duration.ofSeconds(2)))
                    .isInstanceOf(IdleWatch.CommandStalled.class)
                    .hasMessageStartingWith("web1: a command on the host made no progress for 2 s");

            assertThat(ssh.run("echo still here").stdoutText()).isEqualTo("still here\n");
        }
    }

    @Test
    void aHostThatStopsAnsweringMidCommandIsNoticedByKeepAlives() throws Exception {
        try (FreezableRelay relay = FreezableRelay.to(server.port())) {
            SshSettings web1 = settings("web1", relay.port())
                    .withTimeouts(new SshTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), 2));
            // Known under the relay's port: the relay is the host as far as the client can tell.
            Files.writeString(web1.knownHostsFile(), server.knownHostsLine().replace(":" + server.port() + " ",
                    ":" + relay.port() + " ") + "\n");
            try (SshConnection ssh = SshConnection.open(web1)) {
                CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
                    try {
                        // Streams for 60 s unless the connection dies first.
                        return ssh.run("i=0; while [ $i -lt 600 ]; do echo tick; sleep 0.1; i=$((i+1)); done");
                    } catch (IOException e) {
                        return e;
                    }
                });
                Thread.sleep(500);
                relay.freeze();

                Object outcome = running.get();
                assertThat(outcome).isInstanceOf(IOException.class);
                assertThat(((IOException) outcome).getMessage())
                        .isEqualTo("web1: SSH connection lost: 127.0.0.1:" + relay.port()
                                + " stopped answering: nothing received for 2s");
            }
        }
    }

    /**
     * A real sshd that completes the key exchange and then never answers the login: its AuthorizedKeysCommand
     * (run for the client's key) sleeps. sshd's own LoginGraceTime (120 s) is far later than the login deadline. The
     * error names the deadline, not a refused key (sshj reports the closed stream as a failed authentication).
     */
    @Test
    void aServerThatStallsAfterTheKeyExchangeTimesOutAtLogin() throws Exception {
        try (OpenSshServer stalling = OpenSshServer.start(dir.resolve("stalling"), List.of(key), "VERBOSE", "ed25519",
                List.of("AuthorizedKeysFile none", "AuthorizedKeysCommand /bin/sleep 3600",
                        "AuthorizedKeysCommandUser nobody"))) {
            SshSettings web1 = settings("web1", stalling.port()).withConnectTimeout(Duration.ofSeconds(2));
            Files.writeString(web1.knownHostsFile(), stalling.knownHostsLine() + "\n");

            assertThatThrownBy(() -> SshConnection.open(web1))
                    .isInstanceOfSatisfying(DeployException.class,
                            e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST))
                    .hasMessage("web1: authenticate: login at 127.0.0.1:" + stalling.port()
                            + " got no answer within 2s");
        }
    }

    @Test
    void aSilentHostFailsAloneAndTheOtherHostsOfTheRunGoOn() throws Exception {
        try (FreezableRelay silent = FreezableRelay.silent()) {
            knownHosts();
            Files.createDirectories(dir.resolve("www"));
            Files.writeString(dir.resolve("www/index.html"), "hello\n");
            Files.writeString(dir.resolve("site.yaml"), """
                    module: site
                    options:
                      content: {type: source}
                    files:
                      marker: {name: marker.txt, text: "${content}"}
                    """);
            Path inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                    defaults:
                      user: %s
                      identity: %s
                      knownHosts: known_hosts
                      connectTimeout: 2s
                      modules: [site]
                      options: {site.content: "path:www"}
                    hosts:
                      silent: {address: 127.0.0.1, port: %d, stateDir: %s}
                      alive: {address: 127.0.0.1, port: %d, stateDir: %s}
                      behind-silent: {address: 127.0.0.1, port: %d, stateDir: %s, jump: silent}
                    """.formatted(System.getProperty("user.name"), key, silent.port(), dir.resolve("s1"),
                    server.port(), dir.resolve("s2"), server.port(), dir.resolve("s3")));

            CliRun run = CliRun.against(inventory, "apply", "--parallel", "3");

            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
            assertThat(run.stderr()).contains("silent: connect: no SSH banner from 127.0.0.1:" + silent.port()
                    + " within 2s");
            assertThat(run.stderr()).contains("behind-silent: connect: jump host silent: no SSH banner from"
                    + " 127.0.0.1:" + silent.port() + " within 2s");
            assertThat(dir.resolve("s2/current")).as("the reachable host was deployed").exists();
        }
    }

    /**
     * Issue 10: a controller cut off by a network that silently drops packets leaves its sshd session, and so the
     * shell holding the deploy lock, open on the host until TCP keepalive (about two hours). The lock's heartbeat
     * stops arriving, so the host lets go of the lock within its wait, and the next apply through a fresh connection
     * takes it. The deadline only tells "released" from "held until keepalive".
     */
    @Test
    @Timeout(300)
    void aLockStrandedBehindAFrozenNetworkIsReleasedAndAFreshConnectionTakesIt() throws Exception {
        HostLayout layout = new HostLayout(dir.resolve("state").toString());
        try (FreezableRelay relay = FreezableRelay.to(server.port())) {
            SshSettings cutOff = settings("web1", relay.port())
                    .withTimeouts(new SshTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), 2));
            Files.writeString(cutOff.knownHostsFile(), server.knownHostsLine().replace(":" + server.port() + " ",
                    ":" + relay.port() + " ") + "\n");
            try (SshConnection vanished = SshConnection.open(cutOff);
                 HostLock stranded = HostLock.acquire(vanished, layout, "deploy apply cut off")) {
                assertThat(stranded.held()).isTrue();
                relay.freeze();

                try (SshConnection fresh = SshConnection.open(settings("web1", server.port()))) {
                    assertThatThrownBy(() -> HostLock.acquire(fresh, layout, "deploy apply right after the cut"))
                            .as("the frozen session still holds the lock")
                            .isInstanceOfSatisfying(DeployException.class,
                                    e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.LOCKED));

                    long giveUp = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                    HostLock next = null;
                    while (next == null) {
                        try {
                            next = HostLock.acquire(fresh, layout, "deploy apply after the network came back");
                        } catch (DeployException e) {
                            if (e.kind() != DeployException.Kind.LOCKED || System.nanoTime() > giveUp) {
                                throw e;
                            }
                            Thread.sleep(1000);
                        }
                    }
                    try (HostLock taken = next) {
                        assertThat(taken.held()).isTrue();
                        assertThat(Files.readString(dir.resolve("state/lock.owner")))
                                .isEqualTo("deploy apply after the network came back\n");
                    }
                }
            }
        }
    }
}
