package dev.deploy.host;

import java.nio.charset.StandardCharsets;

/** Exit status and captured output of one remote command. */
public record CommandResult(int exitCode, byte[] stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** The last non-empty line of stderr, for one-line error messages. */
    public String lastErrorLine() {
        String[] lines = stderr.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        return last.isEmpty() ? "exit code " + exitCode : last;
    }
}
