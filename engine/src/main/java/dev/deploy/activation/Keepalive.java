package dev.deploy.activation;

import dev.deploy.store.HostLayout;

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
}
