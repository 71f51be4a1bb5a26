package dev.deploy.python;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PEP 440 version clause such as {@code >=3.9}, {@code ==3.*} or {@code ~=2.2}. {@link #contains} admits
 * pre-releases, as marker evaluation and {@code requires-python} checks do.
 */
public record VersionSpecifier(Operator operator, String version) {

    /** The PEP 440 comparison operators. */
    public enum Operator {
        COMPATIBLE("~="), ARBITRARY("==="), EQUAL("=="), NOT_EQUAL("!="), LESS_EQUAL("<="), GREATER_EQUAL(">="),
        LESS("<"), GREATER(">");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    private static final Pattern SYNTAX = Pattern.compile("\\s*(~=|===|==|!=|<=|>=|<|>)\\s*(\\S+)\\s*");

    /** Parses one clause, or returns empty when it is not valid PEP 440. */
    public static Optional<VersionSpecifier> tryParse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        Operator operator = operatorOf(m.group(1));
        String version = m.group(2);
        return isValid(operator, version) ? Optional.of(new VersionSpecifier(operator, version)) : Optional.empty();
    }

    /** Parses one clause, or throws {@link IllegalArgumentException} naming it. */
    public static VersionSpecifier parse(String text) {
        return tryParse(text)
                .orElseThrow(() -> new IllegalArgumentException("not a PEP 440 version specifier: '" + text.strip() + "'"));
    }

    /** Builds the clause {@code operator version}, or returns empty when that is not valid PEP 440. */
    public static Optional<VersionSpecifier> of(Operator operator, String version) {
        return isValid(operator, version) ? Optional.of(new VersionSpecifier(operator, version)) : Optional.empty();
    }

    private static Operator operatorOf(String symbol) {
        for (Operator operator : Operator.values()) {
            if (operator.symbol.equals(symbol)) {
                return operator;
            }
        }
        throw new IllegalArgumentException(symbol);
    }

    private static boolean isValid(Operator operator, String version) {
        if (operator == Operator.ARBITRARY) {
            return !version.isBlank();
        }
        boolean wildcard = version.endsWith(".*");
        if (wildcard) {
            if (operator != Operator.EQUAL && operator != Operator.NOT_EQUAL) {
                return false;
            }
            return Pep440Version.tryParse(version.substring(0, version.length() - 2))
                    .filter(v -> v.local().isEmpty() && !v.isPrerelease() && !v.isPostrelease())
                    .isPresent();
        }
        Optional<Pep440Version> parsed = Pep440Version.tryParse(version);
        if (parsed.isEmpty()) {
            return false;
        }
        if (parsed.get().local().isPresent() && operator != Operator.EQUAL && operator != Operator.NOT_EQUAL) {
            return false;
        }
        return operator != Operator.COMPATIBLE || parsed.get().releaseLength() >= 2;
    }

    /** Whether {@code candidate} satisfies this clause. */
    public boolean contains(Pep440Version candidate) {
        return switch (operator) {
            case ARBITRARY -> candidate.toString().equalsIgnoreCase(version);
            case EQUAL -> equalsClause(candidate);
            case NOT_EQUAL -> !equalsClause(candidate);
            case LESS_EQUAL -> candidate.publicVersion().compareTo(target()) <= 0;
            case GREATER_EQUAL -> candidate.publicVersion().compareTo(target()) >= 0;
            case LESS -> lessThan(candidate);
            case GREATER -> greaterThan(candidate);
            case COMPATIBLE -> compatible(candidate);
        };
    }

    /** Whether {@code candidate}, which must be a PEP 440 version, satisfies this clause. */
    public boolean contains(String candidate) {
        if (operator == Operator.ARBITRARY) {
            return candidate.strip().equalsIgnoreCase(version);
        }
        return contains(Pep440Version.parse(candidate));
    }

    private Pep440Version target() {
        return Pep440Version.parse(version);
    }

    private boolean equalsClause(Pep440Version candidate) {
        if (version.endsWith(".*")) {
            return matchesPrefix(candidate, Pep440Version.parse(version.substring(0, version.length() - 2)));
        }
        Pep440Version target = target();
        Pep440Version compared = target.local().isPresent() ? candidate : candidate.publicVersion();
        return compared.equals(target);
    }

    /** {@code ==1.2.*}: same epoch, and the release starts with the prefix (shorter releases padded with zeros). */
    private static boolean matchesPrefix(Pep440Version candidate, Pep440Version prefix) {
        if (candidate.epoch() != prefix.epoch()) {
            return false;
        }
        for (int i = 0; i < prefix.releaseLength(); i++) {
            if (candidate.releaseSegment(i) != prefix.releaseSegment(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code <V} excludes pre-releases of V itself unless V is a pre-release. */
    private boolean lessThan(Pep440Version candidate) {
        Pep440Version target = target();
        if (candidate.compareTo(target) >= 0) {
            return false;
        }
        return target.isPrerelease() || !candidate.isPrerelease()
                || !candidate.baseVersion().equals(target.baseVersion());
    }

    /** {@code >V} excludes post-releases and local versions of V itself unless V is a post-release. */
    private boolean greaterThan(Pep440Version candidate) {
        Pep440Version target = target();
        if (candidate.compareTo(target) <= 0) {
            return false;
        }
        boolean sameBase = candidate.baseVersion().equals(target.baseVersion());
        if (!target.isPostrelease() && candidate.isPostrelease() && sameBase) {
            return false;
        }
        return candidate.local().isEmpty() || !sameBase;
    }

    /** {@code ~=2.2.1} means {@code >=2.2.1, ==2.2.*}. */
    private boolean compatible(Pep440Version candidate) {
        Pep440Version target = target();
        if (candidate.publicVersion().compareTo(target) < 0) {
            return false;
        }
        StringBuilder prefix = new StringBuilder();
        if (target.epoch() != 0) {
            prefix.append(target.epoch()).append('!');
        }
        for (int i = 0; i < target.releaseLength() - 1; i++) {
            prefix.append(i == 0 ? "" : ".").append(target.releaseSegment(i));
        }
        return matchesPrefix(candidate, Pep440Version.parse(prefix.toString()));
    }

    @Override
    public String toString() {
        return operator.symbol + version;
    }
}
