package dev.deploy.it.hosts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.deploy.host.Shell;

/**
 * The real OpenSSH client, logging in to a {@link DebianTestHost} as root with strict host key checking against the
 * host's own known_hosts line, never prompting. Remote commands are given as argument words and quoted with
 * {@link Shell}, since sshd hands the command line to the remote shell.
 */
public final class OpenSshClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final DebianTestHost host;

    public OpenSshClient(DebianTestHost host) {
        this.host = host;
    }

    /** Runs one command, its words quoted for the remote shell. */
    public ExecResult run(String... remoteWords) {
        return LocalProcess.run(command(remoteWords), TIMEOUT);
    }

    /** Runs one command with {@code stdin} as its standard input. */
    public ExecResult runWithInput(String stdin, String... remoteWords) {
        return LocalProcess.run(command(remoteWords), stdin, TIMEOUT);
    }

    /** The ssh argument list, for tests that start the process themselves. */
    public List<String> command(String... remoteWords) {
        List<String> command = new ArrayList<>(List.of(
                "ssh", "-F", "/dev/null",
                "-p", Integer.toString(host.sshPort()),
                "-i", host.privateKey().toString(),
                "-o", "IdentitiesOnly=yes",
                "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + host.knownHostsFile(),
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "ConnectTimeout=10",
                "-o", "LogLevel=ERROR",
                "root@" + host.sshHost(),
                "--"));
        command.add(Shell.command(remoteWords));
        return command;
    }
}
