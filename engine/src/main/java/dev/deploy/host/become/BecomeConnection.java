package dev.deploy.host.become;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.IdleWatch;
import dev.deploy.host.Shell;
import dev.deploy.host.TransportStats;

import java.io.IOException;
import java.time.Duration;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A connection whose every script runs as root through {@code sudo} or {@code doas}: {@link #run}, {@link #start}
 * (so the deploy lock too) and anything built on them, so no step can forget it. Forwards are opened by sshd itself
 * and need no privilege; they pass through unchanged.
 *
 * <p>Which mode is used is decided once, when the connection is opened, by probes that run the exact command form
 * later used ({@code sudo -k -n /bin/sh -c true}):
 * <ul>
 *   <li>passwordless: {@code sudo -k -n -- /bin/sh -c SCRIPT} (or {@code doas -n}); nothing extra on stdin; {@code -k}
 *       so that only a {@code NOPASSWD} rule counts, never credentials sudo happens to have cached;</li>
 *   <li>password: {@code sudo -k -S -p '' -- /bin/sh -c SCRIPT}, with the password and a newline written to stdin
 *       before the script's own input. {@code -k} makes sudo ask every time, so the password line is always
 *       consumed by sudo (never by the script, as it would be with cached credentials), and sudo reads it byte by
 *       byte up to the newline, leaving the rest of stdin to the script. The password is checked by a probe first,
 *       so a wrong one can never make sudo read the script's input as further attempts.</li>
 * </ul>
 * doas cannot read a password from stdin: with doas only passwordless rules ({@code permit nopass}) work.
 */
public final class BecomeConnection implements HostConnection {

    private final HostConnection inner;
    private final List<String> prefix;
    private final byte[] passwordLine;

    private BecomeConnection(HostConnection inner, List<String> prefix, byte[] passwordLine) {
        this.inner = inner;
        this.prefix = prefix;
        this.passwordLine = passwordLine;
    }

    /**
     * Decides the mode with one or two round trips and returns the escalating connection.
     *
     * @param user the login user, for messages
     * @throws DeployException of kind HOST (step {@code become}) naming what to configure when the user may not
     *                         become root
     */
    public static BecomeConnection open(HostConnection inner, Become become, BecomePasswords passwords, String user) {
        String host = inner.hostName();
        String program = become.method().program();
        List<String> passwordless = passwordlessPrefix(become.method());
        CommandResult probe = probe(inner, Shell.command(concat(passwordless, "true")), new byte[0]);
        if (probe.exitCode() == 0) {
            return new BecomeConnection(inner, passwordless, new byte[0]);
        }
        if (probe.exitCode() == 127 || probe.stderr().contains("not found")) {
            throw DeployException.host(host, "become", program + " is not installed on the host (become: "
                    + program + ")");
        }
        String refusal = lastLine(probe.stderr());
        if (refusal.contains("must have a tty")) {
            // sudoers' requiretty: no password can help, and deploy's channels have no terminal (a pty would echo
            // the password and mangle the scripts' binary input).
            throw DeployException.host(host, "become", "sudoers require a terminal for " + user + " (" + refusal
                    + "); deploy runs " + program + " without one: add 'Defaults:" + user + " !requiretty' to sudoers");
        }
        if (become.method() == Become.Method.DOAS) {
            throw DeployException.host(host, "become", user + " may not run commands as root without a password"
                    + " (doas -n: " + refusal + "); doas cannot take a password from deploy: add 'permit nopass "
                    + user + " as root' to /etc/doas.conf");
        }
        Optional<char[]> password = passwords.passwordFor(become, host);
        if (password.isEmpty()) {
            throw DeployException.host(host, "become", user + " needs a password for sudo (sudo -n: " + refusal
                    + "); set becomePasswordCommand or " + Become.PASSWORD_VARIABLE + ", run deploy from a terminal,"
                    + " or allow it without one (sudoers: '" + user + " ALL=(root) NOPASSWD: ALL')");
        }
        byte[] line = passwordLine(password.get());
        List<String> withPassword = List.of("sudo", "-k", "-S", "-p", "", "--", "/bin/sh", "-c");
        CommandResult check = probe(inner, Shell.command(concat(withPassword, "true")), line);
        if (check.exitCode() != 0) {
            Arrays.fill(line, (byte) 0);
            String why = lastLine(check.stderr().replace("Sorry, try again.", "").strip());
            throw DeployException.host(host, "become", "sudo refused " + user + " with the become password"
                    + (why.isEmpty() ? "" : " (" + why + ")") + "; check the password"
                    + (become.passwordCommand().isPresent() ? " from becomePasswordCommand" : "")
                    + " and that " + user + " may run commands as root in sudoers");
        }
        return new BecomeConnection(inner, withPassword, line);
    }

    /**
     * The passwordless form, probe and scripts alike. For sudo it carries {@code -k}: credentials sudo cached from
     * an earlier password (with {@code timestamp_type=global}, or a caller's earlier {@code sudo}) must not make the
     * probe succeed, or a later script would fail with "a password is required" once they expire, perhaps after
     * the switch. So only a sudoers rule that needs no password ({@code NOPASSWD}) makes deploy passwordless.
     */
    private static List<String> passwordlessPrefix(Become.Method method) {
        return method == Become.Method.SUDO
                ? List.of("sudo", "-k", "-n", "--", "/bin/sh", "-c")
                : List.of(method.program(), "-n", "--", "/bin/sh", "-c");
    }

    /** The script as the inner connection runs it: {@code exec sudo ... /bin/sh -c SCRIPT}. */
    String wrap(String script) {
        return "exec " + Shell.command(concat(prefix, script));
    }

    /** Whether scripts get a password on stdin (sudo with a password) or not (passwordless). */
    public boolean usesPassword() {
        return passwordLine.length > 0;
    }

    @Override
    public String hostName() {
        return inner.hostName();
    }

    @Override
    public CommandResult run(String script, StdinWriter stdin) throws IOException {
        return run(script, stdin, IdleWatch.DEFAULT_LIMIT);
    }

    @Override
    public CommandResult run(String script, StdinWriter stdin, Duration idleLimit) throws IOException {
        if (passwordLine.length == 0) {
            return inner.run(wrap(script), stdin, idleLimit);
        }
        return inner.run(wrap(script), out -> {
            out.write(passwordLine);
            stdin.writeTo(out);
        }, idleLimit);
    }

    @Override
    public RunningCommand start(String script) throws IOException {
        return inner.start(wrap(script), passwordLine);
    }

    @Override
    public RunningCommand start(String script, byte[] firstInput) throws IOException {
        byte[] input = new byte[passwordLine.length + firstInput.length];
        System.arraycopy(passwordLine, 0, input, 0, passwordLine.length);
        System.arraycopy(firstInput, 0, input, passwordLine.length, firstInput.length);
        return inner.start(wrap(script), input);
    }

    @Override
    public Forward forward(String address, int port) throws IOException {
        return inner.forward(address, port);
    }

    @Override
    public TransportStats stats() {
        return inner.stats();
    }

    @Override
    public void close() throws IOException {
        Arrays.fill(passwordLine, (byte) 0);
        inner.close();
    }

    private static CommandResult probe(HostConnection inner, String script, byte[] stdin) {
        try {
            return inner.run(script, out -> out.write(stdin));
        } catch (IOException e) {
            throw DeployException.host(inner.hostName(), "become", e.getMessage(), e);
        }
    }

    static byte[] passwordLine(char[] password) {
        if (new String(password).indexOf('\n') >= 0 || new String(password).indexOf('\r') >= 0) {
            Arrays.fill(password, '\0');
            throw new IllegalArgumentException("a become password cannot contain a line break");
        }
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] line = new byte[encoded.remaining() + 1];
        encoded.get(line, 0, line.length - 1);
        line[line.length - 1] = '\n';
        Arrays.fill(encoded.array(), (byte) 0);
        Arrays.fill(password, '\0');
        return line;
    }

    /** sudo's verdict is its last line; warnings (such as "unable to resolve host") come before it. */
    private static String lastLine(String text) {
        String stripped = text.strip();
        int start = stripped.lastIndexOf('\n');
        return start < 0 ? stripped : stripped.substring(start + 1).strip();
    }

    private static List<String> concat(List<String> words, String last) {
        List<String> all = new java.util.ArrayList<>(words);
        all.add(last);
        return all;
    }
}
