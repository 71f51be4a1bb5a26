package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.fleet.HostResult;
import dev.deploy.fleet.RollbackOutcome;
import dev.deploy.fleet.Outcome;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/** What the CLI makes of executor results for any command: the exit code and one error line per failed host. */
final class HostResults {

    private HostResults() {
    }

    /**
     * The exit code of a run: 3 when a host's step was refused as bad input and no host was changed (exit 3 says
     * nothing changed anywhere), else 4 when another deploy holds a lock (and nothing worse than skipped hosts
     * happened), else 1 when any host did not end where it should, else 0. Never 70: whatever happened on a host is
     * that host's result.
     */
    static int exitCode(List<? extends HostResult<?>> results) {
        if (results.stream().anyMatch(r -> error(r).map(e -> e.kind() == DeployException.Kind.INPUT).orElse(false))
                && results.stream().noneMatch(HostResults::changedItsHost)) {
            return ExitCodes.INPUT;
        }
        boolean locked = results.stream().anyMatch(r -> r instanceof HostResult.Locked<?>);
        boolean otherFailure = results.stream().map(Outcome::of)
                .anyMatch(o -> o.failing() && o != Outcome.LOCKED && o != Outcome.SKIPPED);
        if (locked && !otherFailure) {
            return ExitCodes.LOCKED;
        }
        return results.stream().map(Outcome::of).anyMatch(Outcome::failing) ? ExitCodes.HOST_FAILED : ExitCodes.OK;
    }

    /** Whether the host's generation or services were switched in this run (even if switched back). */
    private static boolean changedItsHost(HostResult<?> result) {
        if (result instanceof HostResult.Done<?> done) {
            if (done.value() instanceof ApplyOutcome apply) {
                return !(apply instanceof ApplyOutcome.Unchanged);
            }
            return done.value() instanceof RollbackOutcome rollback && rollback.from() != rollback.to();
        }
        return result instanceof HostResult.Undone<?> || result instanceof HostResult.UndoFailed<?>
                || result instanceof HostResult.Failed<?> failed && failed.afterSwitch();
    }

    /** The error that ended a host's work, when it was one. */
    static Optional<DeployException> error(HostResult<?> result) {
        if (result instanceof HostResult.Failed<?> failed) {
            return Optional.of(failed.error());
        }
        if (result instanceof HostResult.Unreachable<?> unreachable) {
            return Optional.of(unreachable.error());
        }
        if (result instanceof HostResult.Locked<?> locked) {
            return Optional.of(locked.error());
        }
        if (result instanceof HostResult.UndoFailed<?> undoFailed) {
            return Optional.of(undoFailed.error());
        }
        return Optional.empty();
    }

    /**
     * What went wrong on a host that ended with an error or a crash, one line starting with the host's name
     * ({@code web1: lock: another deploy holds ...}); empty for any other result.
     */
    static Optional<String> message(HostResult<?> result) {
        if (result instanceof HostResult.Failed<?> failed && failed.afterSwitch()) {
            return Optional.of(failed.error().getMessage()
                    + " (after the switch to the new generation; the host was not switched back)");
        }
        return error(result).map(DeployException::getMessage);
    }

    /** {@link #message} as printed on stderr: {@code deploy: error: ...}. */
    static Optional<String> errorLine(HostResult<?> result) {
        return message(result).map(m -> "deploy: error: " + m);
    }

    /**
     * Prints the error line of every failed host to {@code err}; with {@code verbose}, also the stack trace of an
     * unexpected exception behind one (not of an I/O error, whose message says it all).
     */
    static void printErrors(List<? extends HostResult<?>> results, PrintWriter err, boolean verbose) {
        for (HostResult<?> result : results) {
            errorLine(result).ifPresent(err::println);
            Throwable cause = error(result).map(Throwable::getCause).orElse(null);
            if (verbose && cause instanceof RuntimeException && !(cause instanceof DeployException)) {
                cause.printStackTrace(err);
            }
        }
        err.flush();
    }
}
