package dev.deploy.source;

import dev.deploy.store.FileNames;
import java.nio.charset.StandardCharsets;
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
 * Like git's wildmatch, matching is on bytes, not characters: {@code ?}, {@code *} and a bracket expression see a
 * name's bytes, so {@code caf?.txt} matches the Latin-1 {@code caf\xe9.txt} but not the UTF-8 {@code caf\u00e9.txt}
 * (two bytes), and an ignore file's patterns are its bytes. Patterns and paths are handed to jgit as one char per
 * byte (ISO-8859-1) for that. (A POSIX class such as {@code [[:alpha:]]} still follows Java's idea of a letter for
 * bytes 0x80-0xff, where git's C-locale one says no.)
 * Records which patterns matched something, so that a pattern that matched nothing can be reported.
 */
final class ExcludeRules {

    /** What the rules say about one path. */
    enum Decision { EXCLUDED, INCLUDED, NONE }

    private final List<String> patterns;
    private final List<FastIgnoreRule> rules;
    private final boolean[] matched;

    /** Patterns as written in an inventory or module (text, matched as its UTF-8 bytes). */
    ExcludeRules(List<String> patterns) {
        this(patterns, patterns.stream().map(ExcludeRules::utf8AsBytes).toList());
    }

    /** {@code shown}: the patterns for messages; {@code bytePatterns}: the same, one char per byte. */
    private ExcludeRules(List<String> shown, List<String> bytePatterns) {
        this.patterns = List.copyOf(shown);
        this.rules = new ArrayList<>(bytePatterns.size());
        for (String pattern : bytePatterns) {
            rules.add(new FastIgnoreRule(pattern));
        }
        this.matched = new boolean[bytePatterns.size()];
    }

    /**
     * Rules read from ignore files of one directory, in order: comments, blank lines and invalid patterns are dropped
     * and a leading UTF-8 byte order mark is skipped, as git does; lines are bytes, in whatever encoding.
     */
    static ExcludeRules ofFiles(List<byte[]> files) {
        List<String> shown = new ArrayList<>();
        List<String> bytePatterns = new ArrayList<>();
        for (byte[] file : files) {
            String text = new String(file, StandardCharsets.ISO_8859_1);
            if (text.startsWith("\u00ef\u00bb\u00bf")) {
                text = text.substring(3);
            }
            for (String line : text.split("\n", -1)) {
                String pattern = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                if (!new FastIgnoreRule(pattern).isEmpty()) {
                    bytePatterns.add(pattern);
                    shown.add(FileNames.decode(pattern.getBytes(StandardCharsets.ISO_8859_1)));
                }
            }
        }
        return new ExcludeRules(shown, bytePatterns);
    }

    /** One char per UTF-8 byte of {@code text}. */
    private static String utf8AsBytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
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
        if (new FastIgnoreRule(utf8AsBytes(pattern)).isEmpty()) {
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
     * What the rules decide for {@code path} ({@code /}-separated, relative to the rules' directory, as
     * {@link FileNames#decode} gives names): the last
     * pattern that matches wins.
     */
    Decision decide(String path, boolean directory) {
        String bytes = new String(FileNames.encode(path), StandardCharsets.ISO_8859_1);
        Decision decision = Decision.NONE;
        for (int i = rules.size() - 1; i >= 0; i--) {
            FastIgnoreRule rule = rules.get(i);
            if (decision != Decision.NONE && matched[i]) {
                continue; // decided, and this rule is known to match something: no need to test it
            }
            if (rule.isMatch(bytes, directory, true)) {
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
