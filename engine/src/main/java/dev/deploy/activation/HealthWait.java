package dev.deploy.activation;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The health-check loop of one service: runs every probe about once a second until all pass in the same poll, a
 * probe gives up (its unit failed: waiting cannot help), or the timeout passes. Knows nothing about what a probe
 * checks.
 */
final class HealthWait {

    static final Duration INTERVAL = Duration.ofSeconds(1);

    /** One thing to check, such as the unit's state or an HTTP URL. */
    interface Probe {
        /** What is checked, for messages, like {@code http://127.0.0.1:8080/}. */
        String what();

        /**
         * Checks once, within {@code budget}; returns null when healthy, else a short reason such as
         * {@code answered 503}.
         *
         * @throws IOException when the host itself cannot be reached
         */
        String check(Duration budget) throws IOException;

        /** What the last passing check saw, for the report, like {@code http://127.0.0.1:8080/ answered 200}. */
        default String passed() {
            return what();
        }

        /** Whether the last check found a state that waiting cannot cure (a unit that failed): the wait ends. */
        default boolean gaveUp() {
            return false;
        }
    }

    /**
     * How a wait ended: healthy or not, one line saying what was checked and the last answers, and how many polls
     * it took.
     */
    record Outcome(boolean healthy, String line, int polls) {
    }

    private HealthWait() {
    }

    /**
     * Waits for {@code service} (named in the outcome's line). There is always at least one poll.
     *
     * @throws IOException when a probe cannot reach the host, or the wait is interrupted
     */
    static Outcome await(String service, Duration timeout, List<Probe> probes) throws IOException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int polls = 0;
        while (true) {
            Duration budget = Duration.ofNanos(Math.max(deadline - System.nanoTime(), INTERVAL.toNanos()));
            List<String> reasons = failures(probes, budget);
            polls++;
            if (reasons.isEmpty()) {
                return new Outcome(true, "service " + service + " is healthy after "
                        + seconds(System.nanoTime() - start) + " (" + describe(probes) + ")", polls);
            }
            if (probes.stream().anyMatch(Probe::gaveUp)) {
                return new Outcome(false, "service " + service + " failed (gave up after " + polls
                        + (polls == 1 ? " check" : " checks") + ": " + String.join("; ", reasons) + ")", polls);
            }
            if (System.nanoTime() >= deadline) {
                return new Outcome(false, "service " + service + " is not healthy after " + timeout.toSeconds() + "s ("
                        + String.join("; ", reasons) + ")", polls);
            }
            sleep();
        }
    }

    private static List<String> failures(List<Probe> probes, Duration budget) throws IOException {
        List<String> reasons = new ArrayList<>();
        for (Probe probe : probes) {
            String reason = probe.check(budget);
            if (reason != null) {
                reasons.add(probe.what() + ": " + reason);
            }
        }
        return reasons;
    }

    private static String describe(List<Probe> probes) {
        return String.join(", ", probes.stream().map(Probe::passed).toList());
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during a health check");
        }
    }
}
