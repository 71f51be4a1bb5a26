package dev.deploy.secret;

import dev.deploy.yaml.YamlMap;
import dev.deploy.yaml.YamlValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Parses an inventory's secret source: {@code {file: PATH}}, {@code {command: "...", timeout: 30s}} or
 * {@code {env: VAR}}. A value written in the YAML itself is refused, with how to give it instead, and the message
 * never repeats it.
 */
public final class SecretSources {

    /** How long a {@code command:} may run unless its {@code timeout} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Set<String> FIELDS = Set.of("file", "command", "env", "timeout");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** What a refused literal is told to do instead. */
    static final String HOW = "give it as {file: PATH}, {command: \"pass show NAME\"} or {env: VARIABLE}, read on the"
            + " controller at each run";

    private SecretSources() {
    }

    /**
     * @param durations parses the {@code timeout} field with the inventory's duration grammar
     */
    public static SecretSource parse(YamlValue value, Path baseDir, Function<YamlValue, Duration> durations) {
        if (!value.isMap()) {
            throw value.error("a secret's value is never written in YAML (it would sit in the inventory, in git and "
                    + "in backups): " + HOW);
        }
        YamlMap map = value.map().allowOnly(FIELDS);
        int given = (map.get("file").isPresent() ? 1 : 0) + (map.get("command").isPresent() ? 1 : 0)
                + (map.get("env").isPresent() ? 1 : 0);
        if (given != 1) {
            throw value.error("a secret source has exactly one of file, command, env: " + HOW);
        }
        if (map.get("timeout").isPresent() && map.get("command").isEmpty()) {
            throw map.require("timeout").error("timeout applies to a command: source only");
        }
        if (map.get("file").isPresent()) {
            YamlValue file = map.require("file");
            String text = file.string();
            if (text.isEmpty() || text.indexOf('\0') >= 0) {
                throw file.error("expected a file path");
            }
            return new SecretSource.FromFile(baseDir.resolve(text).normalize(), file.location(), file.field());
        }
        if (map.get("env").isPresent()) {
            YamlValue env = map.require("env");
            if (!ENV.matcher(env.string()).matches()) {
                throw env.error("not an environment variable name: " + YamlValue.quoted(env.string()));
            }
            return new SecretSource.FromEnv(env.string(), env.location(), env.field());
        }
        YamlValue command = map.require("command");
        if (command.string().isBlank()) {
            throw command.error("the command is empty");
        }
        Duration timeout = map.get("timeout").map(durations).orElse(DEFAULT_TIMEOUT);
        return new SecretSource.FromCommand(command.string(), timeout, baseDir, command.location(), command.field());
    }
}
