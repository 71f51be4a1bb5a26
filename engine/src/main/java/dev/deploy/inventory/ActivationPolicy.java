package dev.deploy.inventory;

import java.time.Duration;
import java.util.List;

/**
 * How a host's activations are guarded, from the inventory (host over groups over {@code defaults}):
 * <ul>
 *   <li>{@code magicRollback} (default true): after the switch the host arms a watchdog that returns it to the
 *       previous generation unless the controller confirms over a new SSH connection after the health checks;</li>
 *   <li>{@code confirmTimeout} (default 30s, 5s to 1h): how long the host waits after the controller was last
 *       heard of (the switch, each health poll) before it reverts by itself;</li>
 *   <li>{@code takeOver} (accumulates): service names whose unit file deploy may replace although deploy did not
 *       create it (an administrator's {@code /etc/systemd/system/NAME.service}, or a vendor unit it then
 *       shadows); the administrator's file is kept and put back when deploy stops managing the service.</li>
 * </ul>
 */
public record ActivationPolicy(Duration confirmTimeout, boolean magicRollback, List<String> takeOver) {

    public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MIN_CONFIRM_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration MAX_CONFIRM_TIMEOUT = Duration.ofHours(1);

    /** Magic rollback on, 30 s, nothing taken over. */
    public static final ActivationPolicy DEFAULT = new ActivationPolicy(DEFAULT_CONFIRM_TIMEOUT, true, List.of());

    public ActivationPolicy {
        takeOver = List.copyOf(takeOver);
    }
}
