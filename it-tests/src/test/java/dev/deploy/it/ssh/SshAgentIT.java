package dev.deploy.it.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.host.ssh.PassphraseSource;
import dev.deploy.host.ssh.SshConnection;
import dev.deploy.host.ssh.SshSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11.2: keys held only by a real {@code ssh-agent} (loaded with {@code ssh-add}, private key file deleted
 * afterwards) log in; {@code IdentitiesOnly} keeps the agent's other keys out.
 */
@Timeout(60)
class SshAgentIT {

    @TempDir
    Path dir;

    private Process agent;
    private Path socket;
    private OpenSshServer server;
    private Path knownHosts;
    private String realHome;

    @BeforeEach
    void start() throws Exception {
        Path agentKey = SshKeygen.generate(dir.resolve("agent_key"), "");
        server = OpenSshServer.start(dir.resolve("sshd"), List.of(agentKey));
        knownHosts = Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine() + "\n");
        socket = dir.resolve("agent.sock");
        agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        for (int i = 0; i < 100 && !Files.exists(socket); i++) {
            Thread.sleep(50);
        }
        sshAdd(agentKey.toString());
        Files.delete(agentKey); // from now on the key exists only inside the agent
        realHome = System.getProperty("user.home");
        Path home = Files.createDirectories(dir.resolve("home/.ssh")).getParent();
        System.setProperty("user.home", home.toString()); // no default key files either
    }

    private void sshAdd(String argument) throws Exception {
        ProcessBuilder addKey = new ProcessBuilder("ssh-add", argument).redirectErrorStream(true);
        // ssh-add finds the agent through SSH_AUTH_SOCK only: set it for the child.
        addKey.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process add = addKey.start();
        add.getOutputStream().close();
        String addOutput = new String(add.getInputStream().readAllBytes());
        assertThat(add.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(add.exitValue()).as(addOutput).isZero();
    }

    @AfterEach
    void stop() throws Exception {
        System.setProperty("user.home", realHome);
        agent.destroy();
        agent.waitFor(5, TimeUnit.SECONDS);
        server.close();
    }

    private SshSettings settings() {
        return SshSettings.of("web1", OpenSshServer.ADDRESS, server.port(), System.getProperty("user.name"))
                .withKnownHostsFile(knownHosts)
                .withPassphrases(PassphraseSource.none())
                .withAgentSocket(Optional.of(socket));
    }

    @Test
    void aKeyHeldOnlyByTheAgentLogsIn() throws Exception {
        try (SshConnection ssh = SshConnection.open(settings())) {
            assertThat(ssh.run("echo via agent").stdoutText()).isEqualTo("via agent\n");
        }
    }

    @Test
    void identitiesOnlyOffersOnlyTheAgentKeysOfTheNamedFiles() throws Exception {
        Path other = SshKeygen.generate(dir.resolve("other_key"), "");
        SshSettings settings = settings().withConfigIdentityFiles(List.of(other), true);

        assertThatThrownBy(() -> SshConnection.open(settings))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("web1: authenticate: " + settings.target() + " did not accept key " + other);
    }

    @Test
    void anAgentThatTakesLongerThanTheConnectTimeoutToSignStillLogsIn() throws Exception {
        // An agent waiting for a confirmation or a token's touch: the host is not silent meanwhile.
        try (AgentRelay slow = AgentRelay.slowSigner(dir.resolve("slow.sock"), socket, Duration.ofSeconds(8))) {
            SshSettings settings = settings().withAgentSocket(Optional.of(dir.resolve("slow.sock")))
                    .withConnectTimeout(Duration.ofSeconds(3));
            try (SshConnection ssh = SshConnection.open(settings)) {
                assertThat(ssh.run("echo signed slowly").stdoutText()).isEqualTo("signed slowly\n");
            }
        }
    }

    @Test
    @Timeout(120) // the agent's own deadline is 30 s
    void anAgentThatNeverAnswersIsSkippedForTheKeyFilesAndNotBlamedOnTheHost() throws Exception {
        Path fileKey = SshKeygen.generate(dir.resolve("file_key"), "");
        Path authorizedKeys = dir.resolve("sshd/authorized_keys");
        Files.write(authorizedKeys, SshKeygen.publicKeyLines(List.of(fileKey)), StandardOpenOption.APPEND);
        try (AgentRelay mute = AgentRelay.mute(dir.resolve("mute.sock"))) {
            SshSettings settings = settings().withAgentSocket(Optional.of(dir.resolve("mute.sock")))
                    .withIdentityFile(fileKey)
                    .withConnectTimeout(Duration.ofSeconds(3));
            // Before, the hop's 3 s login deadline closed the connection while deploy waited for the agent, and the
            // error said the host had not answered.
            try (SshConnection ssh = SshConnection.open(settings)) {
                assertThat(ssh.run("echo by key file").stdoutText()).isEqualTo("by key file\n");
            }
        }
    }

    @Test
    void anAgentWithMoreKeysThanTheHostAllowsAttemptsFailsAtOnceWithTheHostsReason() throws Exception {
        // sshd's MaxAuthTries is 6: after six refused agent keys it disconnects. Before, deploy went on to the key
        // files over the closed connection and reported, after the whole login deadline, that the host was silent.
        sshAdd("-D");
        for (int i = 0; i < 7; i++) {
            sshAdd(SshKeygen.generate(dir.resolve("refused_" + i), "").toString());
        }
        Path fileKey = SshKeygen.generate(dir.resolve("file_key"), "");
        SshSettings settings = settings().withIdentityFile(fileKey);

        assertThatThrownBy(() -> SshConnection.open(settings))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("web1: authenticate: " + settings.target() + " closed the connection")
                .hasMessageContaining("Too many authentication failures")
                .hasMessageContaining("IdentitiesOnly")
                .hasMessageNotContaining("no answer");
    }

    @Test
    void anAgentSocketThatPointsNowhereIsNamedWhenNoKeyLogsIn() throws Exception {
        // SSH_AUTH_SOCK left over from an earlier login: before, it was dropped silently and the error only said
        // that no key file existed.
        Path stale = dir.resolve("gone/agent.sock");
        SshSettings settings = settings().withAgentSocket(Optional.of(stale));

        assertThatThrownBy(() -> SshConnection.open(settings))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("web1: authenticate: no identity file is set")
                .hasMessageContaining("(ssh-agent at " + stale + ": ");
    }
}
