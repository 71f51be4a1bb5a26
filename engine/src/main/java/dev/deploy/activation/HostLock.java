package dev.deploy.activation;

import dev.deploy.DeployException;
import dev.deploy.host.HostConnection;
import dev.deploy.host.ShellScript;
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
 * The per-host deploy lock: an {@code flock} on {@code STATE/lock} held by a command whose standard input stays
 * open for as long as this controller holds the lock. If the controller dies or the connection drops, the command
 * sees end of input and exits, and the kernel releases the lock, so a dead controller never blocks the host. A
 * second deploy fails at once and is told who holds the lock. Once the lock is held, the same command prints the
 * host's facts ({@link HostFacts}), so that locking and reading the state under the lock take one round trip.
 */
public final class HostLock implements AutoCloseable {

    private final HostConnection.RunningCommand holder;
    private final HostState facts;

    private HostLock(HostConnection.RunningCommand holder, HostState facts) {
        this.holder = holder;
        this.facts = facts;
    }

    /**
     * Takes the lock and reads the host's facts under it.
     *
     * @throws DeployException of kind LOCKED naming the holder when another deploy holds the lock, of kind HOST when
     *                         the lock cannot be taken or the facts cannot be read
     */
    public static HostLock acquire(HostConnection connection, HostLayout layout, String owner) {
        ShellScript script = ShellScript.strict()
                .let("state", layout.stateDir())
                .let("owner", owner)
                .raw("mkdir -p \"$state\"")
                .raw("exec 9>>\"$state/lock\"")
                .raw("if ! flock -n 9; then echo busy; cat \"$state/lock.owner\" 2>/dev/null || true; exit 0; fi")
                .raw("printf '%s\\n' \"$owner\" > \"$state/lock.owner\"")
                .raw("echo locked")
                .raw("set +e");
        HostFacts.appendTo(script, List.of())
                .raw("cat >/dev/null")
                .raw("rm -f \"$state/lock.owner\"");
        HostConnection.RunningCommand command;
        try {
            command = connection.start(script.text());
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "lock", e.getMessage(), e);
        }
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(command.stdout(), StandardCharsets.UTF_8));
            String first = reader.readLine();
            if ("locked".equals(first)) {
                return new HostLock(command, readFacts(connection.hostName(), reader, command));
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
            throw DeployException.host(connection.hostName(), "lock",
                    "could not take " + layout.lock() + " (is flock from util-linux installed?)");
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

    @Override
    public void close() {
        closeQuietly(holder);
    }

    private static HostState readFacts(String hostName, BufferedReader reader, HostConnection.RunningCommand command)
            throws IOException {
        StringBuilder output = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            output.append(line).append('\n');
            if (line.equals(HostFacts.END_LINE)) {
                try {
                    return HostFacts.parse(hostName, output.toString(), List.of());
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
