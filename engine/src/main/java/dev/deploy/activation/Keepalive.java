package dev.deploy.activation;

import dev.deploy.store.HostLayout;

/**
 * What health polls tell the host's watchdog while an activation waits for confirmation: the activation's token
 * and how many seconds from now the watchdog should wait again. {@link #NONE} when no watchdog waits.
 */
public record Keepalive(HostLayout layout, String token, int seconds) {

    /** No watchdog waits; polls move no deadline. */
    public static final Keepalive NONE = new Keepalive(new HostLayout("/nonexistent"), "", 0);
}
