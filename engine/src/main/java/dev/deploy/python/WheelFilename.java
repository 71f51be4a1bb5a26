package dev.deploy.python;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed wheel file name, {@code name-version(-build)?-pythontags-abitags-platformtags.whl}. Each tag field may
 * hold several tags joined with dots (a compressed tag set); {@link #tags()} expands them.
 *
 * @param distribution the project name as written in the file name
 * @param version      the version as written
 * @param buildTag     the optional build tag, which starts with a digit
 */
public record WheelFilename(
        String distribution,
        String version,
        Optional<String> buildTag,
        List<String> pythonTags,
        List<String> abiTags,
        List<String> platformTags) {

    public WheelFilename {
        pythonTags = List.copyOf(pythonTags);
        abiTags = List.copyOf(abiTags);
        platformTags = List.copyOf(platformTags);
    }

    /** Parses a wheel file name, or throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static WheelFilename parse(String fileName) {
        if (!fileName.endsWith(".whl")) {
            throw new IllegalArgumentException("not a wheel file name (no .whl): '" + fileName + "'");
        }
        String[] parts = fileName.substring(0, fileName.length() - 4).split("-", -1);
        if (parts.length != 5 && parts.length != 6) {
            throw new IllegalArgumentException("not a wheel file name (expected 5 or 6 dash-separated parts): '"
                    + fileName + "'");
        }
        if (Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("not a wheel file name (empty part): '" + fileName + "'");
        }
        Optional<String> build = Optional.empty();
        if (parts.length == 6) {
            if (!Character.isDigit(parts[2].charAt(0))) {
                throw new IllegalArgumentException("not a wheel file name (build tag must start with a digit): '"
                        + fileName + "'");
            }
            build = Optional.of(parts[2]);
        }
        int tags = parts.length - 3;
        return new WheelFilename(parts[0], parts[1], build,
                split(parts[tags]), split(parts[tags + 1]), split(parts[tags + 2]));
    }

    private static List<String> split(String compressed) {
        return Arrays.stream(compressed.split("\\.")).map(tag -> tag.toLowerCase(Locale.ROOT)).toList();
    }

    /** The PEP 503 normalized project name. */
    public String normalizedName() {
        return PackageNames.normalize(distribution);
    }

    /** Every tag the wheel claims: the product of its python, ABI and platform tag sets. */
    public Set<WheelTag> tags() {
        Set<WheelTag> all = new LinkedHashSet<>();
        for (String python : pythonTags) {
            for (String abi : abiTags) {
                for (String platform : platformTags) {
                    all.add(new WheelTag(python, abi, platform));
                }
            }
        }
        return all;
    }

    /** The build tag split into its leading number and the rest, for ordering; (-1, "") without one. */
    BuildOrder buildOrder() {
        if (buildTag.isEmpty()) {
            return new BuildOrder(-1, "");
        }
        String tag = buildTag.get();
        int digits = 0;
        while (digits < tag.length() && Character.isDigit(tag.charAt(digits))) {
            digits++;
        }
        return new BuildOrder(Long.parseLong(tag.substring(0, Math.min(digits, 18))), tag.substring(digits));
    }

    /** A build tag as PEP 427 orders it: number first, then the suffix. */
    record BuildOrder(long number, String suffix) implements Comparable<BuildOrder> {
        @Override
        public int compareTo(BuildOrder other) {
            int c = Long.compare(number, other.number);
            return c != 0 ? c : suffix.compareTo(other.suffix);
        }
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>(List.of(distribution, version));
        buildTag.ifPresent(parts::add);
        parts.add(String.join(".", pythonTags));
        parts.add(String.join(".", abiTags));
        parts.add(String.join(".", platformTags));
        return String.join("-", parts) + ".whl";
    }
}
