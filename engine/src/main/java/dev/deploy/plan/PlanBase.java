package dev.deploy.plan;

import dev.deploy.store.StorePath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The host state a plan was made from, as a saved plan records it: the live generation's number (null: none yet),
 * the SHA-256 of its {@code manifest.json} as deploy writes it (null: none), whether it is marked failed, and which
 * of the plan's store paths the host already had (sorted). Applying a saved plan is refused unless the host, read
 * under its lock, still has exactly this base: the plan's actions are only right for it.
 */
public record PlanBase(Integer generation, String manifestSha256, boolean failed, List<String> present) {

    public PlanBase {
        present = List.copyOf(present);
    }

    /** The base of a plan from {@code state} to {@code desired}. */
    public static PlanBase of(HostState state, DesiredGeneration desired) {
        List<String> present = desired.manifest().storePaths().stream().filter(state.store()::contains)
                .map(StorePath::toString).sorted().toList();
        return new PlanBase(state.currentNumber().orElse(null),
                state.current().map(m -> sha256(m.toJson())).orElse(null), state.currentFailure().isPresent(),
                present);
    }

    /** How {@code now} differs from this base, in words; empty when it does not. */
    public Optional<String> differenceFrom(PlanBase now) {
        if (!Objects.equals(generation, now.generation)) {
            return Optional.of("the live generation is " + describe(now.generation) + ", the plan was made on "
                    + describe(generation));
        }
        if (!Objects.equals(manifestSha256, now.manifestSha256)) {
            return Optional.of("generation " + describe(generation) + " has a different manifest than when the "
                    + "plan was made");
        }
        if (failed != now.failed) {
            return Optional.of("generation " + describe(generation) + (now.failed ? " was marked failed"
                    : " is no longer marked failed") + " since the plan was made");
        }
        if (!present.equals(now.present)) {
            List<String> gone = present.stream().filter(p -> !now.present.contains(p)).toList();
            List<String> added = now.present.stream().filter(p -> !present.contains(p)).toList();
            return Optional.of(gone.isEmpty() ? "the store now has " + added.get(0) + " (planned to be sent)"
                    : "the store no longer has " + gone.get(0));
        }
        return Optional.empty();
    }

    private static String describe(Integer number) {
        return number == null ? "none" : String.valueOf(number);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
