package dev.deploy.fleet;

/**
 * The stable name of how a host's part of a run ended, as {@code --json}, {@code --events ndjson} and the summary
 * table report it. Every {@link HostResult} (and, inside {@link HostResult.Done}, every {@link ApplyOutcome}) maps
 * to exactly one; only {@link #UNCHANGED}, {@link #APPLIED} and {@link #OK} are successes.
 */
public enum Outcome {
    /** apply: the host already had the desired generation. */
    UNCHANGED("unchanged", false),
    /** apply: switched to the new generation; its started or restarted services are healthy. */
    APPLIED("applied", false),
    /** Any other command's work ended normally. */
    OK("ok", false),
    /** apply: a health check failed after the switch; the controller switched the host back. */
    ROLLED_BACK("rolled-back", true),
    /** apply: not confirmed in time; the host's own watchdog switched it back. */
    REVERTED("reverted", true),
    /** apply: a step after the switch failed; the host was restored to its previous generation. */
    RESTORED("restored", true),
    /** apply: the host switched, something failed and it could not be (or was not) switched back. */
    NOT_RESTORED("not-restored", true),
    /** A step failed before anything on the host changed (for apply: before the switch). */
    FAILED("failed", true),
    /** The connection could not be opened. */
    UNREACHABLE("unreachable", true),
    /** Another deploy holds the host's lock. */
    LOCKED("locked", true),
    /** Never started: the run stopped starting hosts. */
    SKIPPED("skipped", true),
    /** apply: switched in this run, returned to its previous generation when the run was aborted. */
    ROLLED_BACK_ON_ABORT("rolled-back-on-abort", true),
    /** apply: switched in this run; returning it when the run was aborted failed. */
    UNDO_FAILED("undo-failed", true);

    private final String label;
    private final boolean failing;

    Outcome(String label, boolean failing) {
        this.label = label;
        this.failing = failing;
    }

    /** The stable name: {@code applied}, {@code rolled-back}, ... */
    public String label() {
        return label;
    }

    /** Whether the host did not end where the run meant it to (counts towards {@code --max-failures}). */
    public boolean failing() {
        return failing;
    }

    /** The outcome of {@code result}. */
    public static Outcome of(HostResult<?> result) {
        if (result instanceof HostResult.Done<?> done) {
            return done.value() instanceof ApplyOutcome apply ? of(apply) : OK;
        }
        if (result instanceof HostResult.Failed<?> failed) {
            return failed.afterSwitch() ? NOT_RESTORED : FAILED;
        }
        if (result instanceof HostResult.Unreachable<?>) {
            return UNREACHABLE;
        }
        if (result instanceof HostResult.Locked<?>) {
            return LOCKED;
        }
        if (result instanceof HostResult.Skipped<?>) {
            return SKIPPED;
        }
        if (result instanceof HostResult.Undone<?>) {
            return ROLLED_BACK_ON_ABORT;
        }
        if (result instanceof HostResult.UndoFailed<?>) {
            return UNDO_FAILED;
        }
        throw new IllegalStateException("unknown host result " + result.getClass().getName());
    }

    /** The outcome of an apply that reached its end on a host. */
    public static Outcome of(ApplyOutcome outcome) {
        if (outcome instanceof ApplyOutcome.Unchanged) {
            return UNCHANGED;
        }
        if (outcome instanceof ApplyOutcome.Applied) {
            return APPLIED;
        }
        if (outcome instanceof ApplyOutcome.RolledBack) {
            return ROLLED_BACK;
        }
        if (outcome instanceof ApplyOutcome.Reverted) {
            return REVERTED;
        }
        if (outcome instanceof ApplyOutcome.RestoredAfterFailure) {
            return RESTORED;
        }
        if (outcome instanceof ApplyOutcome.NotRestored) {
            return NOT_RESTORED;
        }
        throw new IllegalStateException("unknown apply outcome " + outcome.getClass().getName());
    }
}
