package dev.deploy.host;

import java.util.ArrayList;
import java.util.List;

/**
 * A POSIX shell script assembled from quoted commands. Fixed shell syntax (operators, control flow) is added with
 * {@link #raw(String)} and must never contain data; data goes through {@link #cmd(String...)} or {@link Shell#quote}.
 * Like every {@link HostScript}, it starts with {@code umask 022}, so that no mode it creates depends on the umask of
 * the controller (local target) or of the SSH session.
 */
public final class ShellScript {

    private final List<String> lines = new ArrayList<>(List.of(HostScript.PRELUDE.strip()));

    /** Starts a script that stops at the first failing command and treats unset variables as errors. */
    public static ShellScript strict() {
        ShellScript script = new ShellScript();
        script.raw("set -eu");
        return script;
    }

    /** Appends one command whose words are each quoted. */
    public ShellScript cmd(String... words) {
        lines.add(Shell.command(words));
        return this;
    }

    /** Appends one command whose words are each quoted. */
    public ShellScript cmd(List<String> words) {
        lines.add(Shell.command(words));
        return this;
    }

    /** Appends fixed shell syntax written by the engine itself (never inventory data). */
    public ShellScript raw(String shellSyntax) {
        lines.add(shellSyntax);
        return this;
    }

    /** Assigns a shell variable from a quoted value, for use as {@code "$name"} in later raw lines. */
    public ShellScript let(String variable, String value) {
        if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not a shell variable name: " + variable);
        }
        lines.add(variable + "=" + Shell.quote(value));
        return this;
    }

    public String text() {
        return String.join("\n", lines) + "\n";
    }

    @Override
    public String toString() {
        return text();
    }
}
