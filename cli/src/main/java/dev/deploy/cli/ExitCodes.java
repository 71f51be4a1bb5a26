package dev.deploy.cli;

/** Exit codes of {@code deploy}, stable for scripts (listed in every command's --help by {@link HelpLayout}). */
public final class ExitCodes {

    /** Success; for plan, also "no changes" when --detailed-exitcode is given. */
    public static final int OK = 0;
    /**
     * At least one host failed: unreachable, a step failed (a lost connection too), rolled back or reverted, or
     * skipped because the rollout stopped.
     */
    public static final int HOST_FAILED = 1;
    /** plan --detailed-exitcode: at least one host has changes; status --detailed-exitcode: a host drifted. */
    public static final int CHANGES = 2;
    /** Bad input: inventory, module or command line. Nothing was changed on any host. */
    public static final int INPUT = 3;
    /** Another deploy holds a host's lock. */
    public static final int LOCKED = 4;
    /** A bug in deploy itself. */
    public static final int INTERNAL = 70;
    /**
     * Interrupted by ctrl-C (SIGINT): the JVM's own exit status for the signal (128 + 2); {@link Main} says so on
     * stderr before it exits. SIGTERM gives 143 with the same line.
     */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
