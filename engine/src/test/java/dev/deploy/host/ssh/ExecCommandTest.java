package dev.deploy.host.ssh;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The exec request is parsed by the remote login shell first; the script must come out of it unchanged. */
class ExecCommandTest {

    @Test
    void scriptSurvivesTheLoginShell() throws Exception {
        String hostile = "it's \"$(id)\" `uname` $HOME \\n\n  two  spaces\t*";
        String script = "printf '%s' " + dev.deploy.host.Shell.quote(hostile);

        // What sshd does with an exec request: <login shell> -c <command>.
        Process loginShell = new ProcessBuilder("/bin/sh", "-c", SshConnection.execCommand(script)).start();
        String out = new String(loginShell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(loginShell.waitFor()).isZero();
        assertThat(out).isEqualTo(hostile);
    }
}
