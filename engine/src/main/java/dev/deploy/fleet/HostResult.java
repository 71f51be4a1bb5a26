package dev.deploy.fleet;

import dev.deploy.DeployException;
import dev.deploy.inventory.Host;
import java.time.Duration;

/**
 * How the work of one run ended on one host: one of a closed set. {@link Done} carries the work's own value (for
 * {@code apply}: an {@link ApplyOutcome}, itself a closed set); every other case is decided by the
 * {@link FleetExecutor}, which never lets a host's problem end the whole run.
 *
 * @param <T> the value of the work when it ran to its end
 */
public sealed interface HostResult<T> {

    Host host();

    /** From the moment the host was started to its end; zero when it never started. */
    Duration duration();

    /** The work ran to its end and returned {@code value}. */
    record Done<T>(Host host, T value, Duration duration) implements HostResult<T> {
    }

    /** The connection could not be opened: connect, host key or login; nothing ran on the host. */
    record Unreachable<T>(Host host, DeployException error, Duration duration) implements HostResult<T> {
    }

    /** Another deploy holds the host's lock; nothing on the host changed. */
    record Locked<T>(Host host, DeployException error, Duration duration) implements HostResult<T> {
    }

    /**
     * A step failed. {@code afterSwitch}: the host had switched to the new generation in this run and was not
     * switched back, so it may be left on a generation that never passed its checks; otherwise the failure came
     * before the switch and the host's live generation did not change. Anything unexpected a host's work throws
     * (a dropped connection reported unchecked, odd output from the host that a parser choked on) is also this
     * host's {@code Failed}, with the exception as the error's cause: a host's problem never ends the run.
     */
    record Failed<T>(Host host, DeployException error, boolean afterSwitch, Duration duration)
            implements HostResult<T> {
    }

    /** Never started: the run had stopped starting hosts (failure limit reached, canary failed). */
    record Skipped<T>(Host host) implements HostResult<T> {
        @Override
        public Duration duration() {
            return Duration.ZERO;
        }
    }

    /**
     * The work ended with {@code value} (a host switched to a new generation), then the run was aborted and the host
     * was returned to its previous generation ({@code --rollback-run-on-abort}).
     */
    record Undone<T>(Host host, T value, RollbackOutcome rollback, Duration duration) implements HostResult<T> {
    }

    /** As {@link Undone}, but returning the host failed: it is still on the generation of {@code value}. */
    record UndoFailed<T>(Host host, T value, DeployException error, Duration duration) implements HostResult<T> {
    }
}
