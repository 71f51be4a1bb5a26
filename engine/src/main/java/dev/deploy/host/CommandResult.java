package dev.deploy.host;

import java.nio.charset.StandardCharsets;

/** Exit status and captured output of one remote command. */
public record CommandResult(int exitCode, byte[] stdout, String stderr) {

    /** strerror(ENOSPC) as glibc and busybox print it. */
    public static final String NO_SPACE = "No space left on device";

    public boolean ok() {
        return exitCode == 0;
    }

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /**
     * The line of stderr that says why a command failed, for one-line error messages: the first that reports a full
     * disk ({@code No space left on device}, which tools bury under a last line of their own such as tar's "Exiting
     * with failure status"), else the last non-empty line.
     */
    public String lastErrorLine() {
        String[] lines = stderr.strip().split("\n");
        for (String line : lines) {
            if (line.contains(NO_SPACE)) {
                return line.strip();
            }
        }
        String last = lines[lines.length - 1].strip();
        return last.isEmpty() ? "exit code " + exitCode : last;
    }
}
