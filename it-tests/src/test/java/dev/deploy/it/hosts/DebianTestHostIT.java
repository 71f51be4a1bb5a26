package dev.deploy.it.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Smoke test of the test-host infrastructure: real systemd, real OpenSSH, the TCP-to-Unix-socket bridge, and the
 * two images. One host is shared by the tests that only look at it; tests that need another image or break
 * something start their own, one at a time.
 */
class DebianTestHostIT {

    private static DebianTestHost host;
    private static OpenSshClient ssh;

    @BeforeAll
    static void startHost() {
        host = DebianTestHost.start(TestHostImage.BOOKWORM);
        ssh = new OpenSshClient(host);
    }

    @AfterAll
    static void removeHost() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void hostBootsSystemdAndAcceptsOpenSshLogin() {
        ExecResult result = ssh.run("systemctl", "is-system-running");

        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout().strip()).isEqualTo("running");
        assertThat(result.exitCode()).isZero();
        assertThat(host.hostKeyLine()).matches("\\[127\\.0\\.0\\.1]:" + host.sshPort() + " ssh-ed25519 AAAA\\S+");
    }

    @Test
    void loginIsRootWithBashInTheHostsOwnHostname() {
        ExecResult result = ssh.run("sh", "-c", "id -un; getent passwd root | cut -d: -f7; hostname")
                .requireSuccess("ssh");

        assertThat(result.stdout().lines()).containsExactly("root", "/bin/bash", host.name());
    }

    @Test
    void transientServiceStartedWithSystemdRunIsActive() {
        ssh.run("systemd-run", "--unit=smoke-transient", "--", "sleep", "600").requireSuccess("systemd-run");

        assertThat(ssh.run("systemctl", "is-active", "smoke-transient").stdout().strip()).isEqualTo("active");
    }

    @Test
    void unitFileWrittenOverSshStartsAndIsActive() {
        String unit = """
                [Unit]
                Description=deploy smoke test service

                [Service]
                ExecStart=/bin/sleep infinity
                """;
        ssh.runWithInput(unit, "sh", "-c", "cat > /etc/systemd/system/smoke-file.service"
                + " && systemctl daemon-reload && systemctl start smoke-file.service")
                .requireSuccess("installing smoke-file.service");

        assertThat(ssh.run("systemctl", "is-active", "smoke-file.service").stdout().strip()).isEqualTo("active");
        assertThat(host.exec("systemctl", "show", "-p", "MainPID", "--value", "smoke-file.service").stdout().strip())
                .isNotEqualTo("0");
    }

    @Test
    void bookwormImageHasRsyncAndPython() {
        assertThat(ssh.run("rsync", "--version").stdout()).startsWith("rsync  version 3.");
        assertThat(ssh.run("python3", "-c", "print(6 * 7)").stdout().strip()).isEqualTo("42");
    }

    @Test
    void norsyncImageHasNoRsyncButAcceptsLogins() {
        try (DebianTestHost bare = DebianTestHost.start(TestHostImage.BOOKWORM_NORSYNC)) {
            OpenSshClient bareSsh = new OpenSshClient(bare);

            assertThat(bareSsh.run("systemctl", "is-system-running").stdout().strip()).isEqualTo("running");
            ExecResult lookup = bareSsh.run("sh", "-c", "command -v rsync");
            assertThat(lookup.exitCode()).isNotZero();
            assertThat(lookup.stdout()).isEmpty();
        }
    }

    @Test
    void eachHostGeneratesItsOwnHostKey() {
        try (DebianTestHost other = DebianTestHost.start(TestHostImage.BOOKWORM_NORSYNC)) {
            assertThat(keyOf(other)).isNotEqualTo(keyOf(host));
        }
    }

    @Test
    void droppingBridgeConnectionsCutsOpenSessionsAndNewLoginsStillWork() throws Exception {
        Process session = new ProcessBuilder(ssh.command("sleep", "123")).redirectErrorStream(true).start();
        try {
            awaitRemoteProcess("^sleep 123$");

            host.bridge().dropAllConnections();

            assertThat(session.waitFor(20, TimeUnit.SECONDS)).as("ssh ends once its connection is cut").isTrue();
            assertThat(session.exitValue()).isEqualTo(255);
        } finally {
            session.destroyForcibly();
        }
        assertThat(ssh.run("true").exitCode()).isZero();
    }

    @Test
    void rejectedConnectionsFailTheLoginUntilAcceptedAgain() {
        host.bridge().rejectNewConnections(true);
        try {
            assertThat(ssh.run("true").exitCode()).isEqualTo(255);
        } finally {
            host.bridge().rejectNewConnections(false);
        }
        assertThat(ssh.run("true").exitCode()).isZero();
    }

    @Test
    void closingAHostRemovesItsContainerAndStopsItsPort() throws Exception {
        DebianTestHost temporary = DebianTestHost.start(TestHostImage.BOOKWORM_NORSYNC);
        String name = temporary.name();
        int port = temporary.sshPort();

        temporary.close();

        DockerClient docker = DockerEnvironment.client();
        assertThat(docker.listContainersCmd().withShowAll(true).withNameFilter(List.of(name)).exec()).isEmpty();
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress("127.0.0.1", port), 1000))
                    .isInstanceOf(IOException.class);
        }
    }

    private static String keyOf(DebianTestHost h) {
        return h.hostKeyLine().substring(h.hostKeyLine().indexOf(' ') + 1);
    }

    /** Waits until a process matching {@code pattern} runs on the shared host: the session is fully up. */
    private static void awaitRemoteProcess(String pattern) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!host.exec("pgrep", "-f", pattern).ok()) {
            assertThat(System.nanoTime()).as("'%s' to run on the host", pattern).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(host.bridge().openConnections()).isEqualTo(1);
    }
}
