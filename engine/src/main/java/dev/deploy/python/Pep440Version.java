package dev.deploy.python;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version, ordered the way PEP 440 orders them: epoch, release (trailing zeros do not count), then
 * dev &lt; pre-release &lt; final &lt; post-release, then the local label. Equality follows the ordering, so
 * {@code 1.0} equals {@code 1.0.0}. Versions that PEP 440 cannot parse (legacy versions) are rejected.
 */
public final class Pep440Version implements Comparable<Pep440Version> {

    private static final Pattern SYNTAX = Pattern.compile(
            "v?"
                    + "(?:(?<epoch>[0-9]+)!)?"
                    + "(?<release>[0-9]+(?:\\.[0-9]+)*)"
                    + "(?:[-_.]?(?<preLabel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preNumber>[0-9]+)?)?"
                    // the empty group postMarker records that a spelled-out post-release was present
                    + "(?:-(?<implicitPost>[0-9]+)|[-_.]?(?:post|rev|r)[-_.]?(?<postNumber>[0-9]+)?(?<postMarker>))?"
                    + "(?:[-_.]?(?<devMarker>dev)[-_.]?(?<devNumber>[0-9]+)?)?"
                    + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
            Pattern.CASE_INSENSITIVE);

    /** Pre-release phases in their PEP 440 order. */
    public enum Phase {
        ALPHA("a"), BETA("b"), RELEASE_CANDIDATE("rc");

        private final String spelling;

        Phase(String spelling) {
            this.spelling = spelling;
        }

        static Phase of(String label) {
            return switch (label.toLowerCase(Locale.ROOT)) {
                case "a", "alpha" -> ALPHA;
                case "b", "beta" -> BETA;
                default -> RELEASE_CANDIDATE;
            };
        }
    }

    /** The pre-release part, such as {@code rc1}. */
    public record PreRelease(Phase phase, long number) {
        @Override
        public String toString() {
            return phase.spelling + number;
        }
    }

    private final long epoch;
    private final long[] release;
    private final PreRelease pre;
    private final Long post;
    private final Long dev;
    private final String local;

    private Pep440Version(long epoch, long[] release, PreRelease pre, Long post, Long dev, String local) {
        this.epoch = epoch;
        this.release = release;
        this.pre = pre;
        this.post = post;
        this.dev = dev;
        this.local = local;
    }

    /** Parses a version, or throws {@link IllegalArgumentException} naming the text. */
    public static Pep440Version parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not a PEP 440 version: '" + text + "'"));
    }

    /** Parses a version, or returns empty when the text is not a PEP 440 version. */
    public static Optional<Pep440Version> tryParse(String text) {
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long epoch = m.group("epoch") == null ? 0 : Long.parseLong(m.group("epoch"));
        long[] release = Arrays.stream(m.group("release").split("\\.")).mapToLong(Long::parseLong).toArray();
        PreRelease pre = m.group("preLabel") == null ? null
                : new PreRelease(Phase.of(m.group("preLabel")), number(m.group("preNumber")));
        Long post = null;
        if (m.group("implicitPost") != null) {
            post = Long.parseLong(m.group("implicitPost"));
        } else if (m.group("postMarker") != null) {
            post = number(m.group("postNumber"));
        }
        Long dev = m.group("devMarker") == null ? null : number(m.group("devNumber"));
        String local = m.group("local") == null ? null
                : m.group("local").toLowerCase(Locale.ROOT).replace('-', '.').replace('_', '.');
        return Optional.of(new Pep440Version(epoch, release, pre, post, dev, local));
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    public long epoch() {
        return epoch;
    }

    /** The release segments as written, e.g. {@code [3, 11, 2]}. */
    public List<Long> release() {
        List<Long> segments = new ArrayList<>(release.length);
        for (long segment : release) {
            segments.add(segment);
        }
        return segments;
    }

    public Optional<PreRelease> pre() {
        return Optional.ofNullable(pre);
    }

    public Optional<Long> post() {
        return Optional.ofNullable(post);
    }

    public Optional<Long> dev() {
        return Optional.ofNullable(dev);
    }

    public Optional<String> local() {
        return Optional.ofNullable(local);
    }

    /** A pre-release or a development release. */
    public boolean isPrerelease() {
        return pre != null || dev != null;
    }

    public boolean isPostrelease() {
        return post != null;
    }

    /** This version without its local label. */
    public Pep440Version publicVersion() {
        return local == null ? this : new Pep440Version(epoch, release, pre, post, dev, null);
    }

    /** Epoch and release only, e.g. {@code 1.0} for {@code 1.0rc1.post2+abc}. */
    public Pep440Version baseVersion() {
        return new Pep440Version(epoch, release, null, null, null, null);
    }

    /** Release segment {@code index}, counting missing trailing segments as zero. */
    long releaseSegment(int index) {
        return index < release.length ? release[index] : 0;
    }

    int releaseLength() {
        return release.length;
    }

    @Override
    public int compareTo(Pep440Version other) {
        int c = Long.compare(epoch, other.epoch);
        if (c != 0) {
            return c;
        }
        int length = Math.max(release.length, other.release.length);
        for (int i = 0; i < length; i++) {
            c = Long.compare(releaseSegment(i), other.releaseSegment(i));
            if (c != 0) {
                return c;
            }
        }
        c = Long.compare(preRank(), other.preRank());
        if (c == 0 && pre != null && other.pre != null) {
            c = Long.compare(pre.number(), other.pre.number());
        }
        if (c != 0) {
            return c;
        }
        c = Long.compare(post == null ? -1 : post, other.post == null ? -1 : other.post);
        if (c != 0) {
            return c;
        }
        c = Long.compare(dev == null ? Long.MAX_VALUE : dev, other.dev == null ? Long.MAX_VALUE : other.dev);
        if (c != 0) {
            return c;
        }
        return compareLocal(local, other.local);
    }

    /** A dev release of a final version sorts before its pre-releases; a final version after them. */
    private int preRank() {
        if (pre != null) {
            return pre.phase().ordinal();
        }
        return dev != null && post == null ? -1 : Phase.values().length;
    }

    private static int compareLocal(String left, String right) {
        if (left == null || right == null) {
            return left == null ? (right == null ? 0 : -1) : 1;
        }
        String[] a = left.split("\\.");
        String[] b = right.split("\\.");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int c = compareLocalSegment(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    /** Numeric segments sort after alphanumeric ones and compare as numbers. */
    private static int compareLocalSegment(String a, String b) {
        boolean aNumeric = a.chars().allMatch(Character::isDigit);
        boolean bNumeric = b.chars().allMatch(Character::isDigit);
        if (aNumeric && bNumeric) {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        if (aNumeric != bNumeric) {
            return aNumeric ? 1 : -1;
        }
        return a.compareTo(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pep440Version other && compareTo(other) == 0;
    }

    @Override
    public int hashCode() {
        int last = release.length;
        while (last > 1 && release[last - 1] == 0) {
            last--;
        }
        int h = Long.hashCode(epoch);
        for (int i = 0; i < last; i++) {
            h = 31 * h + Long.hashCode(release[i]);
        }
        return 31 * h + Objects.hash(pre, post, dev, local);
    }

    /** The normalized form, e.g. {@code 1!2.0rc1.post3.dev4+ubuntu.1}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (epoch != 0) {
            out.append(epoch).append('!');
        }
        for (int i = 0; i < release.length; i++) {
            out.append(i == 0 ? "" : ".").append(release[i]);
        }
        if (pre != null) {
            out.append(pre);
        }
        if (post != null) {
            out.append(".post").append(post);
        }
        if (dev != null) {
            out.append(".dev").append(dev);
        }
        if (local != null) {
            out.append('+').append(local);
        }
        return out.toString();
    }
}
