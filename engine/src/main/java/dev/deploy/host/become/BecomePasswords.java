package dev.deploy.host.become;

import dev.deploy.DeployException;
import dev.deploy.host.ProcessTree;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The become passwords of one run, each obtained once and shared by every host (and thread) that needs it: from the
 * host's {@code becomePasswordCommand} (run on the controller, first line of its output), else from
 * {@value Become#PASSWORD_VARIABLE}, else asked once on the terminal. Passwords live only in memory; they are never
 * put on a command line, in a file or in a message.
 */
public final class BecomePasswords {

    /** Limit for a password command, which may ask a password manager. */
    static final Duration COMMAND_DEADLINE = Duration.ofSeconds(60);

    private final Map<String, char[]> known = new HashMap<>();
    private final Map<String, String> environment;
    private final Supplier<Console> console;
    private final Duration commandDeadline;

    public BecomePasswords(Map<String, String> environment, Supplier<Console> console) {
        this(environment, console, COMMAND_DEADLINE);
    }

    /** {@code commandDeadline}: how long becomePasswordCommand may run (tests shorten it). */
    BecomePasswords(Map<String, String> environment, Supplier<Console> console, Duration commandDeadline) {
        this.environment = environment;
        this.console = console;
        this.commandDeadline = commandDeadline;
    }

    /** This process's environment and terminal. */
    public static BecomePasswords standard() {
        return new BecomePasswords(System.getenv(), System::console);
    }

    /**
     * The password for {@code become} on {@code host}, or empty when no source has one.
     *
     * @throws DeployException of kind HOST when the password command fails
     */
    public synchronized Optional<char[]> passwordFor(Become become, String host) {
        String key = become.passwordCommand().map(c -> "command:" + c).orElse("default");
        char[] password = known.get(key);
        if (password == null) {
            password = obtain(become, host).orElse(null);
            if (password == null) {
                return Optional.empty();
            }
            known.put(key, password);
        }
        return Optional.of(password.clone());
    }

    private Optional<char[]> obtain(Become become, String host) {
        if (become.passwordCommand().isPresent()) {
            return Optional.of(run(become.passwordCommand().get(), host));
        }
        String fromEnvironment = environment.get(Become.PASSWORD_VARIABLE);
        if (fromEnvironment != null) {
            return Optional.of(fromEnvironment.toCharArray());
        }
        Console terminal = console.get();
        if (terminal == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(terminal.readPassword("[%s] become password for the hosts of this run: ",
                become.method().program()));
    }

    /** Runs the password command; its first line is the password. Its stderr goes to deploy's stderr. */
    private char[] run(String command, String host) {
        Process process;
        try {
            process = new ProcessBuilder("/bin/sh", "-c", command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw DeployException.host(host, "become", "cannot run becomePasswordCommand: " + e.getMessage(), e);
        }
        byte[] output;
        try (InputStream out = process.getInputStream()) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try {
                    out.transferTo(buffer);
                } catch (IOException e) {
                    // The exit code tells.
                }
            }, "become-password-command");
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(commandDeadline.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessTree.stop(process);
                throw DeployException.host(host, "become", "becomePasswordCommand did not finish within "
                        + commandDeadline.toSeconds() + "s");
            }
            reader.join(commandDeadline.toMillis());
            output = buffer.toByteArray();
        } catch (IOException e) {
            throw DeployException.host(host, "become", "cannot read becomePasswordCommand's output", e);
        } catch (InterruptedException e) {
            ProcessTree.stop(process);
            Thread.currentThread().interrupt();
            throw DeployException.host(host, "become", "interrupted while running becomePasswordCommand", e);
        }
        if (process.exitValue() != 0) {
            throw DeployException.host(host, "become", "becomePasswordCommand exited with " + process.exitValue());
        }
        String text = new String(output, StandardCharsets.UTF_8);
        Arrays.fill(output, (byte) 0);
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw DeployException.host(host, "become", "becomePasswordCommand printed no password");
        }
        return line.toCharArray();
    }
}
