package dev.deploy.render;

import dev.deploy.yaml.YamlValue;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders a command template as the value of {@code ExecStart=} (systemd.service(5), "COMMAND LINES") so that every
 * substituted value is data: exactly one argument, or part of the argument it is written in.
 *
 * <p>The author's text is read as systemd reads a command line: words separated by white space, {@code "..."} or
 * {@code '...'} grouping, and the escapes {@code \\ \" \' \;} and backslash-space. Values are placed into those
 * words, then every word is written again in one canonical form: bare when it holds only
 * {@code [A-Za-z0-9_@+=:,./-]}, else in double quotes with {@code \} and {@code "} escaped. In every word {@code %}
 * is written {@code %%} (no specifier expansion), and a value's {@code $} is written {@code $$} (no environment
 * variable expansion); the author's own {@code $VAR} is left to systemd. The prefixes {@code @ - : + ! |} are only
 * taken from the author's text at the start of the command; a value there that would read as one is refused.
 * A {@code list} option gives one argument per item and must stand as whole words. Control characters are refused
 * (in a unit file CR and NUL end a line), with the place that wrote them.
 */
public final class SystemdCommandLine {

    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_@+=:,./-]+");
    private static final String PREFIXES = "@-:+!|";

    private SystemdCommandLine() {
    }

    /** A run of a word's characters, with where it was written and, for a value, the reference that gave it. */
    private record Part(String text, Origin origin, String reference) {
        boolean data() {
            return reference != null;
        }
    }

    /** The {@code ExecStart=} value. */
    public static String render(List<Piece> pieces, Site site) {
        List<List<Part>> words = new Splitter(site).split(pieces);
        if (words.isEmpty()) {
            throw site.reject("the command is empty");
        }
        checkExecutable(words.get(0), site);
        StringBuilder out = new StringBuilder();
        for (List<Part> word : words) {
            checkExpansions(word, site);
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(quote(word, site));
        }
        UnitSettings.checkLineLength(site, out.toString());
        return out.toString();
    }

    /** Prefixes only from the author's text; then an absolute path or a file name looked up in systemd's PATH. */
    private static void checkExecutable(List<Part> word, Site site) {
        StringBuilder executable = new StringBuilder();
        boolean inPrefix = true;
        for (Part part : word) {
            for (int i = 0; i < part.text().length(); i++) {
                char c = part.text().charAt(i);
                if (inPrefix && PREFIXES.indexOf(c) >= 0) {
                    if (part.data()) {
                        throw site.reject("a value cannot start the command with '" + c + "' (systemd would read "
                                + "it as a prefix of ExecStart=)", part.origin());
                    }
                    continue;
                }
                inPrefix = false;
                executable.append(c);
            }
        }
        String path = executable.toString();
        if (path.equals(";") && word.stream().map(Part::text).reduce("", String::concat).equals(";")) {
            throw site.reject("the executable cannot be \";\" (systemd reads a first word ; as a command separator "
                    + "and runs the next word)", word.stream().filter(Part::data).map(Part::origin).findFirst()
                    .orElse(null));
        }
        if (path.isEmpty()) {
            throw site.reject("the command has no executable");
        }
        if (!path.startsWith("/") && path.contains("/")) {
            throw site.reject("the executable must be an absolute path or a file name, got " + YamlValue.quoted(path));
        }
    }

    /**
     * Refuses a value where systemd would read it as the name of an environment variable: right after an author's
     * {@code $} (not {@code $$}, systemd's literal dollar) or inside an author's {@code ${...}}. systemd expands
     * {@code ${NAME}} anywhere in a word and a whole word {@code $NAME} (split at white space) after unquoting the
     * word, so quotes between the {@code $} and the value do not keep them apart.
     */
    private static void checkExpansions(List<Part> word, Site site) {
        int dollars = 0;
        boolean braces = false;
        for (Part part : word) {
            if (part.data()) {
                if (!part.text().isEmpty() && (braces || dollars % 2 == 1)) {
                    throw site.reject("${" + part.reference() + "} cannot be used right after a $ or inside "
                            + "${...}: systemd would expand it as an environment variable name", part.origin());
                }
                dollars = part.text().isEmpty() ? dollars : 0;
                continue;
            }
            for (int i = 0; i < part.text().length(); i++) {
                char c = part.text().charAt(i);
                if (braces) {
                    braces = c != '}';
                } else if (c == '$') {
                    dollars++;
                } else {
                    braces = c == '{' && dollars % 2 == 1;
                    dollars = 0;
                }
            }
        }
    }

    private static String quote(List<Part> word, Site site) {
        boolean bare = word.stream().anyMatch(part -> !part.text().isEmpty());
        for (Part part : word) {
            int bad = Characters.firstForbidden(part.text());
            if (bad >= 0) {
                throw site.reject("control character " + Characters.describe(part.text().charAt(bad))
                        + " in a command line", part.origin());
            }
            bare &= BARE.matcher(part.text()).matches() || part.text().isEmpty();
        }
        int bytes = word.stream().mapToInt(part -> UnitSettings.utf8Length(part.text())).sum();
        if (bytes > UnitSettings.MAX_ARGUMENT_BYTES) {
            throw site.reject("an argument is " + bytes + " bytes; the kernel passes at most "
                    + UnitSettings.MAX_ARGUMENT_BYTES + " bytes per argument to a program",
                    word.stream().filter(Part::data).map(Part::origin).findFirst().orElse(null));
        }
        StringBuilder out = new StringBuilder();
        if (bare) {
            word.forEach(part -> out.append(part.text()));
            return out.toString();
        }
        out.append('"');
        for (Part part : word) {
            for (int i = 0; i < part.text().length(); i++) {
                char c = part.text().charAt(i);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '"' -> out.append("\\\"");
                    case '%' -> out.append("%%");
                    case '$' -> out.append(part.data() ? "$$" : "$");
                    default -> out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }

    /** Splits the author's text into words the way systemd does, placing values into them as data. */
    private static final class Splitter {
        private final Site site;
        private final List<List<Part>> words = new ArrayList<>();
        /** The word being built, or null between words. */
        private List<Part> word;
        /** The open quote character, or 0. */
        private char quote;
        /** The word so far is one unquoted ';' (a command separator to systemd). */
        private boolean separator;
        /** The list option that just ended a word, whose next character must end it too; or null. */
        private String afterItems;

        Splitter(Site site) {
            this.site = site;
        }

        List<List<Part>> split(List<Piece> pieces) {
            for (Piece piece : pieces) {
                if (piece instanceof Piece.Syntax syntax) {
                    syntax(syntax);
                } else if (piece instanceof Piece.Value value) {
                    if (afterItems != null) {
                        throw notWholeWords(afterItems);
                    }
                    data(value.text(), value.reference());
                } else {
                    Piece.Items items = (Piece.Items) piece;
                    if (word != null || afterItems != null) {
                        throw notWholeWords(items.reference());
                    }
                    for (Text item : items.items()) {
                        data(item, items.reference());
                        end();
                    }
                    afterItems = items.reference();
                }
            }
            if (quote != 0) {
                throw site.reject("the command has an unclosed " + quote);
            }
            end();
            return words;
        }

        private void data(Text text, String reference) {
            start();
            separator = false;
            if (text.isEmpty()) {
                word.add(new Part("", null, reference));
            }
            text.runs().forEach(run -> word.add(new Part(run.text(), run.origin(), reference)));
        }

        private void syntax(Piece.Syntax syntax) {
            String text = syntax.text();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean white = c == ' ' || c == '\t' || c == '\n' || c == '\r';
                if (afterItems != null && !white) {
                    throw notWholeWords(afterItems);
                }
                afterItems = null;
                if (c == '\\') {
                    char escaped = i + 1 < text.length() ? text.charAt(++i) : 0;
                    if (escaped == 0 || "\\\"'; ".indexOf(escaped) < 0) {
                        throw site.reject("unsupported escape in a command line (use \\\\, \\\", \\', \\; or a "
                                + "backslash-space, or quote the word)");
                    }
                    literal(escaped, syntax.origin(), true);
                } else if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        literal(c, syntax.origin(), true);
                    }
                } else if (c == '"' || c == '\'') {
                    start();
                    separator = false;
                    quote = c;
                } else if (white) {
                    end();
                } else {
                    literal(c, syntax.origin(), false);
                }
            }
        }

        private void literal(char c, Origin origin, boolean quoted) {
            start();
            separator = !quoted && c == ';' && word.isEmpty();
            word.add(new Part(String.valueOf(c), origin, null));
        }

        private void start() {
            if (word == null) {
                word = new ArrayList<>();
                separator = false;
            }
        }

        private void end() {
            if (word == null) {
                return;
            }
            if (separator) {
                throw site.reject("';' separating commands is not supported: ExecStart= of a simple service runs "
                        + "one command (write \\; or \";\" for a literal argument)");
            }
            words.add(word);
            word = null;
        }

        private RuntimeException notWholeWords(String reference) {
            return site.reject("list option ${" + reference + "} must stand as whole words in a command line (it "
                    + "becomes one argument per item), not inside quotes or joined to other text");
        }
    }
}
