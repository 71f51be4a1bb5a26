package dev.deploy.secret;

import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;

/**
 * A secret as one host gets it: its role ({@code secret/MODULE.NAME}), how a service receives it, the owner, group
 * and mode of its file on the host, and its value. {@link #toString} shows no value.
 *
 * @param mode permission bits of the file on the host (e.g. {@code 0400}); never readable by others
 */
public record Secret(String role, Delivery delivery, String owner, String group, int mode, SecretValue value) {

    /** How a service receives a secret. */
    public sealed interface Delivery {
    }

    /**
     * As environment variable {@code variable}: the host keeps a file {@code variable="value"} (root, 0600) that the
     * unit names in {@code EnvironmentFile=}; systemd (as root) reads it when it starts the service.
     */
    public record Env(String variable) implements Delivery {
    }

    /** As a file with the declared owner, group and mode; {@code ${secrets.NAME}} is its path on the host. */
    public record File() implements Delivery {
    }

    /** {@code MODULE.NAME}, as plans print it. */
    public String name() {
        return role.substring("secret/".length());
    }

    /** The bytes of the file the host keeps: the value, or one {@code EnvironmentFile=} line for an env secret. */
    public byte[] content() {
        if (delivery instanceof Env env) {
            return environmentLine(env.variable(), value);
        }
        return value.bytes();
    }

    /**
     * {@code VAR="value"} and a line break, escaped for systemd's environment-file parser (systemd.exec(5),
     * EnvironmentFile=): inside double quotes a backslash before {@code " \ ` $} stands for that character; the
     * value has no line break or NUL (checked when the host was evaluated).
     */
    static byte[] environmentLine(String variable, SecretValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((variable + "=\"").getBytes(StandardCharsets.US_ASCII));
        for (byte b : value.bytes()) {
            if (b == '"' || b == '\\' || b == '`' || b == '$') {
                out.write('\\');
            }
            out.write(b);
        }
        out.writeBytes("\"\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
