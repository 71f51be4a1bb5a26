package dev.deploy.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing {@code ssh -G} output and choosing the agent's keys; the real {@code ssh -G} runs in SshConfigIT. */
class OpenSshConfigTest {

    @Test
    void parsesKeywordsCaseInsensitivelyKeepingRepeatedValuesInOrder() {
        OpenSshConfig.Effective effective = OpenSshConfig.Effective.parse("""
                User deploy
                hostname 10.0.0.5
                identityfile ~/.ssh/a
                identityfile ~/.ssh/b
                proxycommand nc %h %p
                """);

        assertThat(effective.first("user")).contains("deploy");
        assertThat(effective.first("hostname")).contains("10.0.0.5");
        assertThat(effective.all("identityfile")).containsExactly("~/.ssh/a", "~/.ssh/b");
        assertThat(effective.first("proxycommand")).contains("nc %h %p");
        assertThat(effective.first("proxyjump")).isEmpty();
    }

    @Test
    void identitiesOnlyKeepsOnlyAgentKeysOfTheNamedFiles(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        byte[] mine = {0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1', '9', 1, 2, 3};
        byte[] other = {0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1', '9', 9, 9, 9};
        Path key = tmp.resolve("id_mine");
        java.nio.file.Files.writeString(tmp.resolve("id_mine.pub"), "ssh-ed25519 "
                + java.util.Base64.getEncoder().encodeToString(mine) + " me\n");
        List<AgentClient.Identity> agent = List.of(new AgentClient.Identity(other, "other"),
                new AgentClient.Identity(mine, "mine"));
        SshSettings settings = SshSettings.of("web1", "10.0.0.5", "deploy").withAgentSocket(Optional.empty());

        assertThat(SshConnector.offeredAgentKeys(agent, settings)).hasSize(2);
        assertThat(SshConnector.offeredAgentKeys(agent, settings.withConfigIdentityFiles(List.of(key), true)))
                .extracting(AgentClient.Identity::comment).containsExactly("mine");
        assertThat(agent.get(1).keyType()).isEqualTo("ssh-ed25519");
    }

    @Test
    void aMatchExecThatHangsIsStoppedAtTheDeadlineWithWhatItStarted(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        // A fake ssh (named as such): like ssh running a Match exec command that never returns. Before, ssh was
        // killed at the deadline but the command it ran stayed behind.
        Path pidFile = tmp.resolve("child.pid");
        Path ssh = java.nio.file.Files.writeString(tmp.resolve("ssh"), """
                #!/bin/sh
                sleep 300 &
                echo $! > '%s'
                wait
                """.formatted(pidFile));
        java.nio.file.Files.setPosixFilePermissions(ssh,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OpenSshConfig(ssh, java.time.Duration.ofSeconds(2))
                        .query(Optional.empty(), "web", Optional.empty(), Optional.empty()))
                .isInstanceOf(OpenSshConfig.ConfigProblem.class)
                .hasMessage("ssh -G web did not finish within 2s (a Match exec that hangs?)");

        long child = Long.parseLong(java.nio.file.Files.readString(pidFile).strip());
        Optional<ProcessHandle> left = ProcessHandle.of(child);
        if (left.isPresent()) {
            left.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).as("the command ssh started").isNotEqualTo(
                Optional.of(true));
    }
}
