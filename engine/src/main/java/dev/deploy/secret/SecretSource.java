package dev.deploy.secret;

import dev.deploy.Location;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the controller reads a secret's value: never from YAML text. Each source keeps where it was written
 * ({@code at}, {@code field}) for errors, which never include a value.
 */
public sealed interface SecretSource {

    Location at();

    /** The inventory field, e.g. {@code hosts.web1.secrets.lnbits.adminKey}. */
    String field();

    /** {@code {file: PATH}}: the file's bytes, exactly (PATH relative to the inventory's directory). */
    record FromFile(Path path, Location at, String field) implements SecretSource {
    }

    /**
     * {@code {command: "pass show lnbits/key", timeout: 30s}}: what {@code /bin/sh -c COMMAND} prints on stdout,
     * without trailing line breaks, run in {@code directory} (the inventory's); once per run, or once per host when
     * it names {@code $DEPLOY_HOST}.
     */
    record FromCommand(String command, Duration timeout, Path directory, Location at, String field)
            implements SecretSource {

        /** Whether the command reads the host's name ({@code $DEPLOY_HOST}), so that it runs once per host. */
        public boolean perHost() {
            return command.contains("DEPLOY_HOST");
        }
    }

    /** {@code {env: VAR}}: the controller's environment variable {@code VAR}. */
    record FromEnv(String variable, Location at, String field) implements SecretSource {
    }
}
