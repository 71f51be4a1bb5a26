package dev.deploy.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.ignore.FastIgnoreRule;

/**
 * An ordered list of gitignore patterns (https://git-scm.com/docs/gitignore, "PATTERN FORMAT"), matched with jgit's
 * implementation ({@link FastIgnoreRule}) against paths relative to the directory the patterns belong to:
 * <ul>
 *   <li>{@code *.log}: a name anywhere below; {@code node_modules/}: a directory of that name anywhere (a trailing
 *       {@code /} matches directories only);</li>
 *   <li>{@code /build}, {@code doc/*.txt}: a leading or middle {@code /} anchors the pattern at this directory;</li>
 *   <li>{@code **}: any number of directories ({@code a/**}{@code /b}, {@code **}{@code /cache});</li>
 *   <li>{@code !pattern} re-includes what an earlier pattern excluded (the last matching pattern decides; what is
 *       inside an excluded directory cannot be re-included, as in git);</li>
 *   <li>{@code \#}, {@code \!}, a trailing {@code \ } escape; a line starting with {@code #} is a comment.</li>
 * </ul>
 * Records which patterns matched something, so that a pattern that matched nothing can be reported.
 */
final class ExcludeRules {

    /** What the rules say about one path. */
    enum Decision { EXCLUDED, INCLUDED, NONE }

    private final List<String> patterns;
    private final List<FastIgnoreRule> rules;
    private final boolean[] matched;

    ExcludeRules(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.rules = new ArrayList<>(patterns.size());
        for (String pattern : patterns) {
            rules.add(new FastIgnoreRule(pattern));
        }
        this.matched = new boolean[patterns.size()];
    }

    /** Rules read from an ignore file: comments, blank lines and invalid patterns are dropped, as git does. */
    static ExcludeRules ofFile(String text) {
        List<String> patterns = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String pattern = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (!new FastIgnoreRule(pattern).isEmpty()) {
                patterns.add(pattern);
            }
        }
        return new ExcludeRules(patterns);
    }

    /** Why {@code pattern}, given in an inventory or module, would match nothing whatever the tree; else empty. */
    static Optional<String> problem(String pattern) {
        if (pattern.isBlank()) {
            return Optional.of("an empty exclude pattern matches nothing");
        }
        if (pattern.startsWith("#")) {
            return Optional.of("'" + pattern + "' is a comment in gitignore syntax; write '\\" + pattern
                    + "' to match a name starting with '#'");
        }
        if (new FastIgnoreRule(pattern).isEmpty()) {
            return Optional.of("'" + pattern + "' is not a valid gitignore pattern (an unclosed '[' or a lone '!'?)");
        }
        return Optional.empty();
    }

    List<String> patterns() {
        return patterns;
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * What the rules decide for {@code path} ({@code /}-separated, relative to the rules' directory): the last
     * pattern that matches wins.
     */
    Decision decide(String path, boolean directory) {
        Decision decision = Decision.NONE;
        for (int i = rules.size() - 1; i >= 0; i--) {
            FastIgnoreRule rule = rules.get(i);
            if (decision != Decision.NONE && matched[i]) {
                continue; // decided, and this rule is known to match something: no need to test it
            }
            if (rule.isMatch(path, directory, true)) {
                matched[i] = true;
                if (decision == Decision.NONE) {
                    decision = rule.getResult() ? Decision.EXCLUDED : Decision.INCLUDED;
                }
            }
        }
        return decision;
    }

    /** The patterns that matched no path given to {@link #decide}, in their order. */
    List<String> unmatched() {
        List<String> none = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            if (!matched[i]) {
                none.add(patterns.get(i));
            }
        }
        return none;
    }
}
