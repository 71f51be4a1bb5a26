package dev.deploy.activation;

import dev.deploy.host.HostConnection;
import dev.deploy.host.HostScript;
import dev.deploy.store.HostLayout;
import java.io.IOException;

/**
 * What health polls tell the host's watchdog while an activation waits for confirmation: the activation's token
 * and how many seconds from now the watchdog should wait again. {@link #NONE} when no watchdog waits.
 */
public record Keepalive(HostLayout layout, String token, int seconds) {

    /** No watchdog waits; polls move no deadline. */
    public static final Keepalive NONE = new Keepalive(new HostLayout("/nonexistent"), "", 0);

    /**
     * The same keepalive waiting {@code more} seconds longer: what the rest of a poll may take after the host last
     * heard of the controller (NONE stays NONE).
     */
    public Keepalive plus(int more) {
        return seconds == 0 ? this : new Keepalive(layout, token, seconds + more);
    }

    /**
     * Moves the watchdog's deadline to now + {@link #seconds()} + {@code more} ({@code keepalive.sh}, one round
     * trip), before work that sends nothing to the host for up to {@code more} seconds. Nothing for {@link #NONE}.
     *
     * @throws IOException when the connection breaks
     */
    public void send(HostConnection connection, int more) throws IOException {
        if (seconds == 0) {
            return;
        }
        connection.run(HostScript.load(Keepalive.class, "keepalive")
                .with("wd_state", layout.watchdogState())
                .with("wd_deadline", layout.watchdogDeadline())
                .with("token", token)
                .with("seconds", Integer.toString(seconds + more))
                .text());
    }
}
