package dev.deploy.activation;

import dev.deploy.DeployException;
import dev.deploy.host.HostConnection;
import dev.deploy.host.ShellScript;
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
 * second deploy fails at once and is told who holds the lock.
 */
public final class HostLock implements AutoCloseable {

    private final HostConnection.RunningCommand holder;

    private HostLock(HostConnection.RunningCommand holder) {
        this.holder = holder;
    }

    public static HostLock acquire(HostConnection connection, HostLayout layout, String owner) {
        ShellScript script = ShellScript.strict()
                .let("state", layout.stateDir())
                .let("owner", owner)
                .raw("mkdir -p \"$state\"")
                .raw("exec 9>>\"$state/lock\"")
                .raw("if ! flock -n 9; then echo busy; cat \"$state/lock.owner\" 2>/dev/null || true; exit 0; fi")
                .raw("printf '%s\\n' \"$owner\" > \"$state/lock.owner\"")
                .raw("echo locked")
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
                return new HostLock(command);
            }
            List<String> rest = new ArrayList<>();
            if ("busy".equals(first)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    rest.add(line);
                }
                command.close();
                String holder = rest.isEmpty() ? "an unknown deploy" : String.join(" ", rest).strip();
                throw new DeployException(DeployException.Kind.LOCKED, connection.hostName()
                        + ": lock: another deploy holds " + layout.lock() + " (" + holder + "); try again when it ends");
            }
            command.close();
            throw DeployException.host(connection.hostName(), "lock",
                    "could not take " + layout.lock() + " (is flock from util-linux installed?)");
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "lock", e.getMessage(), e);
        }
    }

    /** Whether the holding command still runs (and so the lock is still held). */
    public boolean held() {
        return holder.isAlive();
    }

    @Override
    public void close() {
        try {
            holder.close();
        } catch (IOException e) {
            // The lock dies with the connection anyway.
        }
    }
}
