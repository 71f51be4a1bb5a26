package dev.deploy.fleet;

import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many failed hosts a run tolerates before it stops starting hosts ({@code --max-failures K};
 * {@code --fail-fast} is K = 1). Shared by every batch of a rollout; thread-safe.
 */
public final class FailureBudget {

    private final OptionalInt limit;
    private final AtomicInteger failures = new AtomicInteger();

    private FailureBudget(OptionalInt limit) {
        this.limit = limit;
    }

    /** Every host is started whatever happens to the others. */
    public static FailureBudget unlimited() {
        return new FailureBudget(OptionalInt.empty());
    }

    /** No host starts once {@code limit} (at least 1) hosts have failed. */
    public static FailureBudget of(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a failure limit must be at least 1, got " + limit);
        }
        return new FailureBudget(OptionalInt.of(limit));
    }

    /** Counts a host that ended with {@code outcome}. */
    void record(Outcome outcome) {
        if (outcome.failing() && outcome != Outcome.SKIPPED) {
            failures.incrementAndGet();
        }
    }

    /** Whether the limit is reached: no more hosts may start. */
    public boolean exhausted() {
        return limit.isPresent() && failures.get() >= limit.getAsInt();
    }

    /** Failed hosts so far. */
    public int failures() {
        return failures.get();
    }

    public OptionalInt limit() {
        return limit;
    }
}
