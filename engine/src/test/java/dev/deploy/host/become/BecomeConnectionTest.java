package dev.deploy.host.become;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.TransportStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * How {@link BecomeConnection} decides between passwordless and password mode and what it sends. The transport is a
 * fake that records scripts and stdin and answers like sudo would (the real sudo runs in {@code BecomeIT}).
 */
class BecomeConnectionTest {

    /** A fake transport: answers each script with {@code answer}, recording script and stdin. */
    private static final class FakeHost implements HostConnection {
        final List<String> scripts = new ArrayList<>();
        final List<String> stdins = new ArrayList<>();
        final BiFunction<String, String, CommandResult> answer;

        FakeHost(BiFunction<String, String, CommandResult> answer) {
            this.answer = answer;
        }

        @Override
        public String hostName() {
            return "web1";
        }

        @Override
        public CommandResult run(String script, StdinWriter stdin) throws IOException {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            stdin.writeTo(in);
            scripts.add(script);
            stdins.add(in.toString(StandardCharsets.UTF_8));
            return answer.apply(script, in.toString(StandardCharsets.UTF_8));
        }

        @Override
        public RunningCommand start(String script) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RunningCommand start(String script, byte[] firstInput) {
            scripts.add(script);
            stdins.add(new String(firstInput, StandardCharsets.UTF_8));
            return new RunningCommand() {
                @Override
                public InputStream stdout() {
                    return InputStream.nullInputStream();
                }

                @Override
                public java.io.OutputStream stdin() {
                    return java.io.OutputStream.nullOutputStream();
                }

                @Override
                public boolean isAlive() {
                    return false;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Forward forward(String address, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TransportStats stats() {
            return new TransportStats(0, 0, 0);
        }

        @Override
        public void close() {
        }
    }

    private static CommandResult result(int exit, String stderr) {
        return new CommandResult(exit, new byte[0], stderr);
    }

    private static BecomePasswords passwords(String password, AtomicInteger asked) {
        return new BecomePasswords(password == null ? Map.of() : Map.of(Become.PASSWORD_VARIABLE, password), () -> {
            asked.incrementAndGet();
            return null;
        });
    }

    @Test
    void passwordlessSudoWrapsEveryScriptAndSendsNothingExtra() throws Exception {
        FakeHost host = new FakeHost((script, stdin) -> result(0, ""));
        BecomeConnection root = BecomeConnection.open(host, Become.of(Become.Method.SUDO),
                passwords("unused", new AtomicInteger()), "deploy");

        root.run("echo hi", out -> out.write("data".getBytes(StandardCharsets.UTF_8)));
        root.start("flock ...");

        assertThat(root.usesPassword()).isFalse();
        assertThat(host.scripts.get(0)).isEqualTo("sudo -k -n -- /bin/sh -c true");
        assertThat(host.scripts.get(1)).isEqualTo("exec sudo -k -n -- /bin/sh -c 'echo hi'");
        assertThat(host.stdins.get(1)).isEqualTo("data");
        assertThat(host.scripts.get(2)).isEqualTo("exec sudo -k -n -- /bin/sh -c 'flock ...'");
        assertThat(host.stdins.get(2)).isEmpty();
    }

    @Test
    void withAPasswordSudoReadsItFirstOnStdinNeverOnTheCommandLine() throws Exception {
        FakeHost host = new FakeHost((script, stdin) -> script.contains(" -n ") ? result(1,
                "sudo: a password is required\n") : result(stdin.startsWith("s3cret\n") ? 0 : 1, ""));
        BecomeConnection root = BecomeConnection.open(host, Become.of(Become.Method.SUDO),
                passwords("s3cret", new AtomicInteger()), "deploy");

        root.run("cat", out -> out.write("data".getBytes(StandardCharsets.UTF_8)));
        root.start("lock");

        assertThat(root.usesPassword()).isTrue();
        assertThat(host.scripts.get(1)).isEqualTo("sudo -k -S -p '' -- /bin/sh -c true");
        assertThat(host.scripts.get(2)).isEqualTo("exec sudo -k -S -p '' -- /bin/sh -c cat");
        assertThat(host.stdins.get(2)).isEqualTo("s3cret\ndata");
        assertThat(host.stdins.get(3)).isEqualTo("s3cret\n");
        assertThat(host.scripts).noneMatch(script -> script.contains("s3cret"));
    }

    @Test
    void noPasswordAnywhereIsAOneLineErrorSayingWhatToConfigure() {
        FakeHost host = new FakeHost((script, stdin) -> result(1, "sudo: a password is required\n"));
        AtomicInteger asked = new AtomicInteger();

        assertThatThrownBy(() -> BecomeConnection.open(host, Become.of(Become.Method.SUDO), passwords(null, asked),
                "deploy"))
                .isInstanceOfSatisfying(DeployException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST);
                    assertThat(e.step()).contains("become");
                })
                .hasMessage("web1: become: deploy needs a password for sudo (sudo -n: sudo: a password is required);"
                        + " set becomePasswordCommand or DEPLOY_BECOME_PASSWORD, run deploy from a terminal, or allow"
                        + " it without one (sudoers: 'deploy ALL=(root) NOPASSWD: ALL')");
        assertThat(asked).hasValue(1);
    }

    @Test
    void aWrongPasswordIsRefusedBeforeAnyScriptRuns() {
        FakeHost host = new FakeHost((script, stdin) -> result(1, script.contains("-n")
                ? "sudo: a password is required\n" : "Sorry, try again.\nsudo: 1 incorrect password attempt\n"));

        assertThatThrownBy(() -> BecomeConnection.open(host, Become.of(Become.Method.SUDO),
                passwords("wrong", new AtomicInteger()), "deploy"))
                .hasMessageStartingWith("web1: become: sudo refused deploy with the become password"
                        + " (sudo: 1 incorrect password attempt)");
        assertThat(host.scripts).hasSize(2);
    }

    @Test
    void doasWithoutANopassRuleSaysSo() {
        FakeHost host = new FakeHost((script, stdin) -> result(1, "doas: Authentication failed\n"));

        assertThatThrownBy(() -> BecomeConnection.open(host, Become.of(Become.Method.DOAS),
                passwords("pw", new AtomicInteger()), "deploy"))
                .hasMessageContaining("add 'permit nopass deploy as root' to /etc/doas.conf");
    }

    @Test
    void aMissingSudoIsNamed() {
        FakeHost host = new FakeHost((script, stdin) -> result(127, "sh: 1: sudo: not found\n"));

        assertThatThrownBy(() -> BecomeConnection.open(host, Become.of(Become.Method.SUDO),
                passwords("pw", new AtomicInteger()), "deploy"))
                .hasMessage("web1: become: sudo is not installed on the host (become: sudo)");
    }

    @Test
    void thePasswordIsObtainedOncePerRunForAllHosts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path runs = tmp.resolve("runs");
        AtomicInteger asked = new AtomicInteger();
        BecomePasswords shared = new BecomePasswords(Map.of(), () -> {
            asked.incrementAndGet();
            return null;
        });
        Become viaCommand = new Become(Become.Method.SUDO, Optional.of("echo run >> '" + runs + "'; echo s3cret"));

        assertThat(shared.passwordFor(viaCommand, "web1")).hasValueSatisfying(p ->
                assertThat(new String(p)).isEqualTo("s3cret"));
        assertThat(shared.passwordFor(viaCommand, "web2")).hasValueSatisfying(p ->
                assertThat(new String(p)).isEqualTo("s3cret"));
        assertThat(java.nio.file.Files.readAllLines(runs)).hasSize(1);
        assertThat(shared.passwordFor(Become.of(Become.Method.SUDO), "web3")).isEmpty();
        assertThat(asked).hasValue(1);
    }

    @Test
    void aFailingPasswordCommandIsAHostError() {
        BecomePasswords passwords = new BecomePasswords(Map.of(), () -> null);

        assertThatThrownBy(() -> passwords.passwordFor(new Become(Become.Method.SUDO, Optional.of("exit 3")),
                "web1"))
                .hasMessage("web1: become: becomePasswordCommand exited with 3");
    }

    @Test
    void aPasswordCommandThatHangsIsStoppedAtItsDeadlineWithWhatItStarted(@org.junit.jupiter.api.io.TempDir
                                                                          java.nio.file.Path tmp) throws Exception {
        // Before, only the shell was killed: the command it ran (a password manager waiting for a touch) stayed.
        java.nio.file.Path pidFile = tmp.resolve("child.pid");
        BecomePasswords passwords = new BecomePasswords(Map.of(), () -> null, java.time.Duration.ofSeconds(1));
        Become become = new Become(Become.Method.SUDO,
                Optional.of("sleep 300 & echo $! > '" + pidFile + "'; wait"));

        assertThatThrownBy(() -> passwords.passwordFor(become, "web1"))
                .isInstanceOf(DeployException.class)
                .hasMessage("web1: become: becomePasswordCommand did not finish within 1s");

        long child = Long.parseLong(java.nio.file.Files.readString(pidFile).strip());
        Optional<ProcessHandle> left = ProcessHandle.of(child);
        if (left.isPresent()) {
            left.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    }
}
