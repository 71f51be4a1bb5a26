package dev.deploy.yaml;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * "Did you mean ...?" for a name that must be one of a known set (a field, a module, an option, a host, a group, a
 * secret, a reference): the known names closest to what was typed, by Levenshtein edit distance (Apache Commons
 * Text), case-insensitively, with two swapped neighbouring letters counted as one edit. Only near misses count:
 * none for a single character, at most 1 edit for names of up to 3 characters, else at most
 * {@code max(2, length / 4)} edits, so a typo ({@code prot} for {@code port}, {@code wbe} for {@code web}) is found
 * and an unrelated name is not suggested. Names equally few edits away are told apart by Jaro-Winkler similarity, which favours
 * the same letters in another order and a common start ({@code prot}: {@code port}, not {@code root}). Every error
 * about an unknown name carries {@link #suggestion} right after the name.
 */
public final class NearMiss {

    private NearMiss() {
    }

    /** The known names nearest to {@code typed} (true ties: all of them, sorted), empty when none is a near miss. */
    public static List<String> closest(String typed, Collection<String> known) {
        String wanted = typed.toLowerCase(Locale.ROOT);
        int limit = wanted.length() <= 1 ? 0 : wanted.length() <= 3 ? 1 : Math.max(2, wanted.length() / 4);
        LevenshteinDistance distance = new LevenshteinDistance(limit);
        TreeMap<Integer, TreeSet<String>> byDistance = new TreeMap<>();
        for (String name : known) {
            if (name.equals(typed)) {
                continue;
            }
            String candidate = name.toLowerCase(Locale.ROOT);
            int d = swapped(wanted, candidate) ? 1 : distance.apply(wanted, candidate);
            if (d >= 0) {
                byDistance.computeIfAbsent(d, k -> new TreeSet<>()).add(name);
            }
        }
        if (byDistance.isEmpty()) {
            return List.of();
        }
        JaroWinklerSimilarity similarity = new JaroWinklerSimilarity();
        TreeMap<Double, TreeSet<String>> bySimilarity = new TreeMap<>();
        for (String name : byDistance.firstEntry().getValue()) {
            bySimilarity.computeIfAbsent(similarity.apply(wanted, name.toLowerCase(Locale.ROOT)), k -> new TreeSet<>())
                    .add(name);
        }
        return List.copyOf(bySimilarity.lastEntry().getValue());
    }

    /** Whether {@code a} is {@code b} with two neighbouring letters swapped ({@code wbe}, {@code web}): one slip. */
    private static boolean swapped(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        int first = 0;
        while (first < a.length() && a.charAt(first) == b.charAt(first)) {
            first++;
        }
        return first + 1 < a.length() && a.charAt(first) == b.charAt(first + 1)
                && a.charAt(first + 1) == b.charAt(first) && a.substring(first + 2).equals(b.substring(first + 2));
    }

    /**
     * {@code "; did you mean 'options'?"} (or {@code 'a' or 'b'}) to append to an error about {@code typed}; empty
     * when no known name is a near miss.
     */
    public static String suggestion(String typed, Collection<String> known) {
        List<String> names = closest(typed, known);
        if (names.isEmpty()) {
            return "";
        }
        return "; did you mean " + String.join(" or ", names.stream().map(n -> "'" + n + "'").toList()) + "?";
    }
}
