package dev.deploy.inventory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many hosts a batch of a rolling rollout takes: every host at once, a count, or a percentage of the selected
 * hosts (rounded down, at least 1), written {@code N} or {@code P%} on the command line and in the inventory.
 */
public sealed interface BatchSize {

    /** Every host in one batch (no rolling rollout). */
    record All() implements BatchSize {
        @Override
        public int hostsPerBatch(int selected) {
            return Math.max(1, selected);
        }

        @Override
        public String toString() {
            return "all";
        }
    }

    /** {@code count} hosts per batch, at least 1. */
    record Count(int count) implements BatchSize {
        public Count {
            if (count < 1) {
                throw new IllegalArgumentException("a batch needs at least 1 host, got " + count);
            }
        }

        @Override
        public int hostsPerBatch(int selected) {
            return count;
        }

        @Override
        public String toString() {
            return String.valueOf(count);
        }
    }

    /** {@code percent} (1 to 100) of the selected hosts per batch, rounded down, at least 1. */
    record Percent(int percent) implements BatchSize {
        public Percent {
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("a batch percentage must be between 1% and 100%, got " + percent
                        + "%");
            }
        }

        @Override
        public int hostsPerBatch(int selected) {
            return Math.max(1, (int) ((long) selected * percent / 100));
        }

        @Override
        public String toString() {
            return percent + "%";
        }
    }

    BatchSize ALL = new All();

    /** Hosts per batch when {@code selected} hosts take part in the rollout. */
    int hostsPerBatch(int selected);

    /** Whether this splits a fleet into more than one batch at all. */
    default boolean rolling() {
        return !(this instanceof All);
    }

    /**
     * Parses {@code N} (a positive integer) or {@code P%} (1 to 100).
     *
     * @throws IllegalArgumentException with a one-line reason when the text is neither
     */
    static BatchSize parse(String text) {
        Matcher matcher = Pattern.compile("([0-9]{1,9})(%?)").matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("expected a number of hosts (2) or a percentage (25%), got \""
                    + text + "\"");
        }
        int value = Integer.parseInt(matcher.group(1));
        return matcher.group(2).isEmpty() ? new Count(value) : new Percent(value);
    }
}
