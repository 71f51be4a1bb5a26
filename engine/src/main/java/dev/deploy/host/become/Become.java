package dev.deploy.host.become;

import java.util.Objects;
import java.util.Optional;

/**
 * Privilege escalation for a host whose login user is not root: every script deploy runs there goes through
 * {@code sudo} or {@code doas} ({@link BecomeConnection}).
 *
 * @param method          the program used
 * @param passwordCommand a command run on the controller ({@code /bin/sh -c}) whose first line of output is the
 *                        password, when the inventory sets {@code becomePasswordCommand}
 */
public record Become(Method method, Optional<String> passwordCommand) {

    /** Environment variable holding the become password for non-interactive runs. */
    public static final String PASSWORD_VARIABLE = "DEPLOY_BECOME_PASSWORD";

    /** The escalation programs deploy knows, by their inventory name. */
    public enum Method {
        SUDO("sudo"),
        DOAS("doas");

        private final String program;

        Method(String program) {
            this.program = program;
        }

        public String program() {
            return program;
        }

        /** The method named {@code name} ({@code sudo}, {@code doas}), if any. */
        public static Optional<Method> named(String name) {
            for (Method method : values()) {
                if (method.program.equals(name)) {
                    return Optional.of(method);
                }
            }
            return Optional.empty();
        }
    }

    public Become {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(passwordCommand, "passwordCommand");
    }

    public static Become of(Method method) {
        return new Become(method, Optional.empty());
    }
}
