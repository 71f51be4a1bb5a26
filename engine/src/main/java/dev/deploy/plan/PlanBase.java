package dev.deploy.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deploy.store.StorePath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The host state a plan was made from, as a saved plan records it: the live generation's number (null: none yet),
 * the SHA-256 of its {@code manifest.json} as deploy writes it (null: none), whether it is marked failed, which
 * of the plan's store paths the host already had (sorted), and, for a generation with secrets on a host that has a
 * secret-naming key, the SHA-256 of that key ({@code secretKey}) and the secret versions planned ({@code secrets}:
 * role to keyed name, {@link dev.deploy.secret.SecretKey#version}), which pin the values read when the plan was
 * made without revealing them (both null otherwise: a host without a key yet cannot pin values). Applying a saved
 * plan is refused unless the host, read under its lock, still has exactly this base and the values read now name
 * the same versions: the plan's actions are only right for them.
 */
public record PlanBase(Integer generation, String manifestSha256, boolean failed, List<String> present,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String secretKey,
                       @JsonInclude(JsonInclude.Include.NON_NULL) SortedMap<String, String> secrets) {

    public PlanBase {
        present = List.copyOf(present);
        secrets = secrets == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(secrets));
    }

    /**
     * The base of a plan from {@code state} to {@code desired}, which is keyed with the host's key when it has
     * secrets ({@link DesiredGeneration#keyed}).
     */
    public static PlanBase of(HostState state, DesiredGeneration desired) {
        List<String> present = desired.manifest().storePaths().stream().filter(state.store()::contains)
                .map(StorePath::toString).sorted().toList();
        SortedMap<String, String> versions = desired.manifest().secretVersions();
        if (versions.containsValue(DesiredGeneration.UNKEYED)) {
            throw new IllegalArgumentException("the base of a plan with secrets is taken once it is keyed");
        }
        Optional<String> key = versions.isEmpty() ? Optional.empty()
                : state.secrets().key().map(k -> sha256(k.hex()));
        return new PlanBase(state.currentNumber().orElse(null),
                state.current().map(m -> sha256(m.toJson())).orElse(null), state.currentFailure().isPresent(),
                present, key.orElse(null), key.isPresent() ? versions : null);
    }

    /** Whether the plan pins its secret values (it has secrets and the host had a key when it was made). */
    public boolean pinsSecrets() {
        return secretKey != null;
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
        if (secretKey != null && !secretKey.equals(now.secretKey)) {
            return Optional.of("the host's secret key is not the one the plan was made with (secret values cannot be "
                    + "compared)");
        }
        if (secretKey != null && !Objects.equals(secrets, now.secrets)) {
            java.util.TreeSet<String> roles = new java.util.TreeSet<>(secrets.keySet());
            roles.addAll(now.secrets.keySet());
            String role = roles.stream().filter(r -> !Objects.equals(secrets.get(r), now.secrets.get(r)))
                    .findFirst().orElseThrow();
            return Optional.of("the value of " + role.replaceFirst("^secret/", "secret ")
                    + " differs from the one planned");
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
