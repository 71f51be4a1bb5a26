package dev.deploy.secret;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.HostScript;
import dev.deploy.store.HostLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes secret versions the host lacks ({@code secrets.sh}, one round trip, under the deploy lock and before the
 * switch): the naming key and every value go through the channel's stdin, never on a command line. Writes nothing
 * when there is nothing to write and the host already has the key.
 */
public final class SecretWriter {

    /** Owner and group names the script passes to chown: a user or group name, or a numeric id. */
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}|[0-9]{1,10}");

    /** Exit codes of {@code secrets.sh}. */
    enum Exit implements HostScript.ExitCode {
        KEY_DIFFERS(31), WRITE_FAILED(32);

        private final int code;

        Exit(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    private SecretWriter() {
    }

    /**
     * Writes {@code versions} (version name to secret) with {@code key}, which the host keeps if it has none.
     *
     * @throws DeployException of kind HOST (step {@code secrets}) when the host refused or failed; nothing was
     *                         switched
     */
    public static void write(HostConnection connection, HostLayout layout, SecretKey key,
                             Map<String, Secret> versions) {
        StringBuilder input = new StringBuilder(key.hex()).append('\n');
        versions.forEach((name, secret) -> {
            if (!ACCOUNT.matcher(secret.owner()).matches() || !ACCOUNT.matcher(secret.group()).matches()) {
                throw new IllegalArgumentException("owner or group not checked at evaluation: " + secret.role());
            }
            input.append(name).append(' ').append(secret.owner()).append(' ').append(secret.group()).append(' ')
                    .append(String.format("%04o", secret.mode())).append(' ')
                    .append(Base64.getEncoder().encodeToString(secret.content())).append('\n');
        });
        byte[] stdin = input.toString().getBytes(StandardCharsets.US_ASCII);
        String script = HostScript.load(SecretWriter.class, "secrets")
                .with("dir", layout.secrets())
                .with("key_file", layout.secretKey())
                .text();
        CommandResult result;
        try {
            result = connection.run(script, out -> out.write(stdin));
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "secrets", e.getMessage(), e);
        }
        if (!result.ok() || !result.stdoutText().contains("@@deploy:written " + versions.size())) {
            throw DeployException.host(connection.hostName(), "secrets", result.lastErrorLine());
        }
    }

    /** Whether {@code name} can own a secret's file (a user or group name, or a numeric id). */
    public static boolean isAccount(String name) {
        return ACCOUNT.matcher(name).matches();
    }
}
