package dev.deploy.it.hosts;

/** Exit code and text output of a command run for a test (locally, by docker exec or over ssh). */
public record ExecResult(int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** Returns this result, or throws with the output when the command failed. */
    public ExecResult requireSuccess(String what) {
        if (!ok()) {
            throw new IllegalStateException(what + " failed with exit code " + exitCode + "\nstdout: " + stdout
                    + "\nstderr: " + stderr);
        }
        return this;
    }
}
