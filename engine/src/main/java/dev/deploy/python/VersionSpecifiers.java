package dev.deploy.python;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A comma-separated PEP 440 specifier set such as {@code >=3.9,<3.13}; satisfied when every clause is. */
public record VersionSpecifiers(List<VersionSpecifier> clauses) {

    public VersionSpecifiers {
        clauses = List.copyOf(clauses);
    }

    /** Parses a specifier set, or throws {@link IllegalArgumentException} naming the bad clause. */
    public static VersionSpecifiers parse(String text) {
        List<VersionSpecifier> clauses = new ArrayList<>();
        if (!text.isBlank()) {
            for (String clause : text.split(",", -1)) {
                clauses.add(VersionSpecifier.parse(clause));
            }
        }
        return new VersionSpecifiers(clauses);
    }

    public boolean contains(Pep440Version candidate) {
        return clauses.stream().allMatch(clause -> clause.contains(candidate));
    }

    @Override
    public String toString() {
        return clauses.stream().map(VersionSpecifier::toString).collect(Collectors.joining(", "));
    }
}
