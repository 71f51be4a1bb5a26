package dev.deploy.python;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Picks the wheel a host should install from a package's wheels: among those with a tag the host accepts, the one
 * whose best tag ranks highest in {@link WheelTags}; ties go to the higher build tag, then the file name, so the
 * choice never depends on the order of the lock.
 */
public final class WheelSelector {

    private final WheelTags tags;

    public WheelSelector(WheelTags tags) {
        this.tags = tags;
    }

    /** The best wheel for the host, or empty when none fits. */
    public Optional<LockedWheel> select(List<LockedWheel> wheels) {
        return wheels.stream()
                .map(wheel -> new Candidate(wheel, tags.bestPriorityOf(wheel.filename().tags())))
                .filter(candidate -> candidate.priority().isPresent())
                .min(Comparator.comparingInt((Candidate c) -> c.priority().getAsInt())
                        .thenComparing((Candidate c) -> c.wheel().filename().buildOrder(), Comparator.reverseOrder())
                        .thenComparing(c -> c.wheel().file().fileName()))
                .map(Candidate::wheel);
    }

    /** Whether the host accepts at least one tag of {@code wheel}. */
    public boolean fits(LockedWheel wheel) {
        return tags.bestPriorityOf(wheel.filename().tags()).isPresent();
    }

    private record Candidate(LockedWheel wheel, OptionalInt priority) {
    }
}
