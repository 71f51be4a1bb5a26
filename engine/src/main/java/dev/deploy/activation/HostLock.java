package dev.deploy.activation;

import dev.deploy.DeployException;
import dev.deploy.host.HostConnection;
import dev.deploy.host.HostScript;
import dev.deploy.plan.HostFacts;
import dev.deploy.plan.HostState;
import dev.deploy.store.HostLayout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-host deploy lock: an {@code flock} on {@code STATE/lock} held by a command that this controller keeps
 * alive with a {@link LockHeartbeat} on its standard input. When the input ends (the controller closed it, or the
 * connection was closed) or no heartbeat came for {@link LockHeartbeat.Timing#hostWait()} (the controller died or a
 * network cut silently, leaving the host's session open), the command exits and the kernel releases the lock, so a
 * vanished controller blocks the host for a bounded time only. A
 * second deploy fails at once and is told who holds the lock. Once the lock is held, the same command prints the
 * host's facts ({@link HostFacts}), so that locking and reading the state under the lock take one round trip.
 *
 * <p>Before locking, {@code lock.sh} refuses a state directory that is not safe for this user (owned by someone
 * else, writable by others, or with symbolic links where deploy's own directories belong) and creates the layout with
 * explicit modes; see {@code docs/security-host-state.md}.
 */
public final class HostLock implements AutoCloseable {

    private final HostConnection.RunningCommand holder;
    private final LockHeartbeat heartbeat;
    private final HostState facts;

    private HostLock(HostConnection.RunningCommand holder, LockHeartbeat heartbeat, HostState facts) {
        this.holder = holder;
        this.heartbeat = heartbeat;
        this.facts = facts;
    }

    /** Exit codes of {@code lock.sh} (the first output line says the same: {@code locked}, {@code busy}, {@code error}). */
    enum Exit implements HostScript.ExitCode {
        OK(0), UNSAFE(10), NO_FLOCK(11);

        private final int code;

        Exit(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** Takes the lock and reads the host's facts under it (no unit holders asked for). */
    public static HostLock acquire(HostConnection connection, HostLayout layout, String owner) {
        return acquire(connection, layout, owner, List.of());
    }

    /**
     * Checks the state directory, takes the lock and reads the host's facts under it, including who holds the unit
     * file of each of {@code units}.
     *
     * @throws DeployException of kind LOCKED naming the holder when another deploy holds the lock, of kind HOST when
     *                         the state directory is unsafe or cannot be created (the real cause, such as
     *                         {@code mkdir: ... Permission denied}), flock is missing, or the facts cannot be read
     */
    public static HostLock acquire(HostConnection connection, HostLayout layout, String owner, List<String> units) {
        return acquire(connection, layout, owner, units, HostFacts.program(layout, List.of(), units));
    }

    /** As above, with {@code facts} ({@link HostFacts#program}) as the facts program run under the lock. */
    public static HostLock acquire(HostConnection connection, HostLayout layout, String owner, List<String> units,
                                   String facts) {
        return acquire(connection, layout, owner, units, facts, LockHeartbeat.Timing.DEFAULT);
    }

    /** {@link #acquire(HostConnection, HostLayout, String, List, String)} with the heartbeat's timing (tests shorten it). */
    static HostLock acquire(HostConnection connection, HostLayout layout, String owner, List<String> units,
                            LockHeartbeat.Timing timing) {
        return acquire(connection, layout, owner, units, HostFacts.program(layout, List.of(), units), timing);
    }

    private static HostLock acquire(HostConnection connection, HostLayout layout, String owner, List<String> units,
                                    String facts, LockHeartbeat.Timing timing) {
        String script = HostScript.load(HostLock.class, "lock")
                .with("state", layout.stateDir())
                .with("store", layout.store())
                .with("meta", layout.meta())
                .with("generations", layout.generations())
                .with("watchdog", layout.watchdog())
                .with("takenover", layout.takenOver())
                .with("lock", layout.lock())
                .with("owner_file", layout.lockOwner())
                .with("owner", owner)
                .with("facts", facts)
                .with("hold_seconds", Long.toString(timing.hostWait().toSeconds()))
                .text();
        HostConnection.RunningCommand command;
        try {
            command = connection.start(script);
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "lock", e.getMessage(), e);
        }
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(command.stdout(), StandardCharsets.UTF_8));
            String first = reader.readLine();
            if ("locked".equals(first)) {
                // Beats from the start: reading the facts may take longer than the host waits.
                LockHeartbeat heartbeat = LockHeartbeat.start(connection.hostName(), command.stdin(), timing);
                try {
                    return new HostLock(command, heartbeat, readFacts(connection.hostName(), reader, command, units));
                } catch (RuntimeException | IOException e) {
                    heartbeat.close();
                    throw e;
                }
            }
            List<String> rest = new ArrayList<>();
            if ("busy".equals(first)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    rest.add(line);
                }
                command.close();
                String holder = rest.isEmpty() ? "an unknown deploy" : String.join(" ", rest).strip();
                throw DeployException.locked(connection.hostName(), "lock", "another deploy holds " + layout.lock()
                        + " (" + holder + "); try again when it ends");
            }
            command.close();
            if (first != null && first.startsWith("error ")) {
                throw DeployException.host(connection.hostName(), "state directory", first.substring(6));
            }
            throw DeployException.host(connection.hostName(), "lock", "could not take " + layout.lock()
                    + (first == null ? " (the lock command ended without a word)" : ": " + first));
        } catch (IOException e) {
            closeQuietly(command);
            throw DeployException.host(connection.hostName(), "lock", e.getMessage(), e);
        }
    }

    /** The host's state as read right after the lock was taken. */
    public HostState facts() {
        return facts;
    }

    /** Whether the holding command still runs (and so the lock is still held). */
    public boolean held() {
        return holder.isAlive();
    }

    /** Whether the heartbeat is still being sent (it stops on {@link #close()} or when the command ends). */
    boolean heartbeatRunning() {
        return heartbeat.running();
    }

    /** Stops the heartbeat and ends the holding command (end of input), which releases the lock. */
    @Override
    public void close() {
        heartbeat.close();
        closeQuietly(holder);
    }

    private static HostState readFacts(String hostName, BufferedReader reader, HostConnection.RunningCommand command,
                                       List<String> units) throws IOException {
        StringBuilder output = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            output.append(line).append('\n');
            if (line.equals(HostFacts.END_LINE)) {
                try {
                    return HostFacts.parse(hostName, output.toString(), List.of(), units);
                } catch (RuntimeException e) {
                    closeQuietly(command);
                    throw e;
                }
            }
        }
        closeQuietly(command);
        throw DeployException.host(hostName, "gather facts", "the lock command ended before it printed the facts");
    }

    private static void closeQuietly(HostConnection.RunningCommand command) {
        try {
            command.close();
        } catch (IOException e) {
            // The lock dies with the connection anyway.
        }
    }
}
