package dev.deploy.secret;

import dev.deploy.DeployException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads secret values on the controller, each source once per run ({@code command:} once per host when it names
 * {@code $DEPLOY_HOST}). A missing or unreadable file, an unset variable, a command that fails, outlives its
 * timeout or prints nothing, and an empty or oversized value are input errors naming the inventory field; no
 * message contains a value or a command's output.
 */
public final class SecretResolver {

    private final Function<String, String> environment;
    private final Map<Object, SecretValue> cache = new ConcurrentHashMap<>();
    private final boolean reads;

    /** Reads {@code env:} sources from this process's environment. */
    public SecretResolver() {
        this(System::getenv);
    }

    public SecretResolver(Function<String, String> environment) {
        this(environment, true);
    }

    private SecretResolver(Function<String, String> environment, boolean reads) {
        this.environment = environment;
        this.reads = reads;
    }

    /**
     * A resolver that reads nothing and gives every secret the same placeholder value: for commands that evaluate
     * hosts but deploy nothing ({@code deploy lock}), so that a password manager is not asked and an unavailable one
     * does not stop them.
     */
    public static SecretResolver unread() {
        return new SecretResolver(name -> null, false);
    }

    /** Whether this resolver reads values (not {@link #unread}, whose placeholders are no one's values). */
    public boolean reads() {
        return reads;
    }

    /** The value of {@code source} for host {@code hostName} (given to commands as {@code DEPLOY_HOST}). */
    public SecretValue resolve(SecretSource source, String hostName) {
        if (!reads) {
            return SecretValue.of("unread".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        Object key = source instanceof SecretSource.FromCommand command
                ? List.of(command.command(), command.timeout(), command.directory(), command.perHost() ? hostName : "")
                : source instanceof SecretSource.FromFile file ? file.path() : source;
        if (source instanceof SecretSource.FromEnv env) {
            key = List.of("env", env.variable());
        }
        SecretValue cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        SecretValue value = read(source, hostName);
        if (value.isEmpty()) {
            throw error(source, hostName, "the secret's value is empty (" + describe(source) + ")");
        }
        if (value.length() > SecretValue.MAX_BYTES) {
            throw error(source, hostName, "the secret's value has " + value.length() + " bytes, more than "
                    + SecretValue.MAX_BYTES + " (" + describe(source) + ")");
        }
        cache.put(key, value);
        return value;
    }

    private SecretValue read(SecretSource source, String hostName) {
        if (source instanceof SecretSource.FromFile file) {
            try {
                if (!Files.isRegularFile(file.path())) {
                    throw error(source, hostName, Files.exists(file.path(), LinkOption.NOFOLLOW_LINKS)
                            ? file.path() + " is not a regular file" : "no such file: " + file.path());
                }
                if (Files.size(file.path()) > SecretValue.MAX_BYTES) {
                    throw error(source, hostName, file.path() + " has more than " + SecretValue.MAX_BYTES + " bytes");
                }
                return SecretValue.of(Files.readAllBytes(file.path()));
            } catch (NoSuchFileException e) {
                throw error(source, hostName, "no such file: " + file.path());
            } catch (IOException e) {
                throw error(source, hostName, "cannot read " + file.path() + ": " + e.getClass().getSimpleName());
            }
        }
        if (source instanceof SecretSource.FromEnv env) {
            String value = environment.apply(env.variable());
            if (value == null) {
                throw error(source, hostName, "the controller's environment has no variable " + env.variable());
            }
            return SecretValue.of(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return run((SecretSource.FromCommand) source, hostName);
    }

    /** Runs the command with {@code /bin/sh -c}; stdin is empty, stderr goes to deploy's stderr (prompts, errors). */
    private SecretValue run(SecretSource.FromCommand command, String hostName) {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command.command())
                .directory(command.directory().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("DEPLOY_HOST", hostName);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw error(command, hostName, "cannot start /bin/sh: " + e.getMessage());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copyBounded(process.getInputStream(), out), "secret-command");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw error(command, hostName, "the command did not finish within "
                        + command.timeout().toMillis() + " ms (set timeout: under command:) and was killed");
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw error(command, hostName, "interrupted while the command ran");
        }
        if (process.exitValue() != 0) {
            throw error(command, hostName, "the command exited with status " + process.exitValue()
                    + " (its stderr is above)");
        }
        synchronized (out) {
            if (out.size() > SecretValue.MAX_BYTES) {
                throw error(command, hostName, "the command printed more than " + SecretValue.MAX_BYTES + " bytes");
            }
            return SecretValue.of(out.toByteArray()).withoutTrailingNewlines();
        }
    }

    /** Copies at most one byte more than the largest secret, then drains (so the command never blocks on a pipe). */
    private static void copyBounded(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (out) {
                    int room = SecretValue.MAX_BYTES + 1 - out.size();
                    out.write(buffer, 0, Math.max(0, Math.min(room, n)));
                }
            }
        } catch (IOException e) {
            // the process was killed; its exit status says what happened
        }
    }

    private static String describe(SecretSource source) {
        if (source instanceof SecretSource.FromFile file) {
            return "file " + file.path();
        }
        if (source instanceof SecretSource.FromEnv env) {
            return "environment variable " + env.variable();
        }
        return "the command's stdout";
    }

    private static DeployException error(SecretSource source, String hostName, String detail) {
        return DeployException.input(hostName, source.at(), source.field(), detail);
    }
}
