package dev.deploy.render;

import dev.deploy.host.Shell;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Renders a command template that a POSIX shell runs ({@code healthCheck.command}, run as {@code sh -c} on the
 * host) so that every substituted value is data: exactly one word, or part of the word it is written in.
 *
 * <p>The author's text is shell syntax and is kept as written. A value is quoted for where it stands in that
 * syntax, which a small scanner follows: unquoted (also inside {@code $(...)}) it becomes a single-quoted word
 * ({@link Shell#quote}, and quoted as well when it would read as an assignment or a reserved word); inside the
 * author's {@code '...'} its quotes become {@code '\''}; inside {@code "..."} its {@code \ " $ `} are
 * backslash-escaped. A {@code list} option gives one quoted word per item and must stand as whole words. Where the
 * scanner cannot be sure how the shell reads the text (after a backslash, in a comment, inside backquotes,
 * {@code ${...}}, {@code $((...))}, a here-document or a {@code case} inside {@code $(...)}), a value is refused
 * rather than guessed at. A NUL, which no shell word can hold, is refused too.
 */
public final class ShellCommandLine {

    /** Words a shell reads as syntax when unquoted at the start of a command. */
    private static final Set<String> RESERVED = Set.of("!", "{", "}", "[[", "]]", "case", "do", "done", "elif",
            "else", "esac", "fi", "for", "function", "if", "in", "select", "then", "time", "until", "while");

    private ShellCommandLine() {
    }

    /** The command line for {@code sh -c}. */
    public static String render(List<Piece> pieces, Site site) {
        Scanner scanner = new Scanner();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pieces.size(); i++) {
            Piece piece = pieces.get(i);
            if (piece instanceof Piece.Syntax syntax) {
                if (syntax.text().indexOf('\0') >= 0) {
                    throw site.reject("a shell command cannot contain a NUL character", syntax.origin());
                }
                scanner.scan(syntax.text());
                out.append(syntax.text());
            } else if (piece instanceof Piece.Value value) {
                checkData(value.text(), site);
                out.append(scanner.value(value.text().value(), value.reference(), site));
            } else {
                Piece.Items items = (Piece.Items) piece;
                scanner.wholeWords(items.reference(), i + 1 < pieces.size() ? pieces.get(i + 1) : null, site);
                for (int n = 0; n < items.items().size(); n++) {
                    checkData(items.items().get(n), site);
                    out.append(n > 0 ? " " : "").append(quoteWord(items.items().get(n).value()));
                }
            }
        }
        scanner.finish(site);
        int bytes = UnitSettings.utf8Length(out.toString());
        if (bytes > UnitSettings.MAX_ARGUMENT_BYTES) {
            throw site.reject("the command is " + bytes + " bytes; the kernel passes at most "
                    + UnitSettings.MAX_ARGUMENT_BYTES + " bytes to sh -c");
        }
        return out.toString();
    }

    /** One unquoted-context word holding {@code value} exactly. */
    static String quoteWord(String value) {
        String quoted = Shell.quote(value);
        if (quoted.equals(value) && (value.indexOf('=') >= 0 || RESERVED.contains(value))) {
            return "'" + value + "'";
        }
        return quoted;
    }

    private static void checkData(Text text, Site site) {
        int nul = text.value().indexOf('\0');
        if (nul >= 0) {
            throw site.reject("a NUL character cannot be passed to a shell command", text.originAt(nul));
        }
    }

    /** Follows the quoting context of shell syntax, as far as it can be followed for sure. */
    private static final class Scanner {
        private enum Kind { TOP, SUBSTITUTION, DOUBLE, SINGLE }

        private static final class Frame {
            final Kind kind;
            int parens;
            /** The words of the simple command being read, for the top and for each $(...). */
            final ShellCommandWords command = new ShellCommandWords();

            Frame(Kind kind) {
                this.kind = kind;
            }
        }

        private final Deque<Frame> frames = new ArrayDeque<>();
        private boolean escaped;
        private boolean comment;
        /** The construct after which the text is no longer followed, or null. */
        private String lost;
        private char previous = '\n';
        private final StringBuilder token = new StringBuilder();

        Scanner() {
            frames.push(new Frame(Kind.TOP));
        }

        void scan(String text) {
            for (int i = 0; i < text.length() && lost == null; i++) {
                char c = text.charAt(i);
                char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
                char afterNext = i + 2 < text.length() ? text.charAt(i + 2) : 0;
                int consumed = 0;
                if (comment) {
                    comment = c != '\n';
                    if (!comment) {
                        words().endCommand();
                    }
                } else if (escaped) {
                    escaped = false;
                    if (c != '\n') {
                        words().append(c);
                    }
                } else if (frames.peek().kind == Kind.SINGLE) {
                    if (c == '\'') {
                        frames.pop();
                    } else {
                        words().append(c);
                    }
                } else if (frames.peek().kind == Kind.DOUBLE) {
                    consumed = inDoubleQuotes(c, next, afterNext);
                } else {
                    consumed = unquoted(c, next, afterNext);
                }
                i += consumed;
                previous = text.charAt(i);
            }
        }

        private int inDoubleQuotes(char c, char next, char afterNext) {
            switch (c) {
                case '\\' -> escaped = true;
                case '"' -> frames.pop();
                case '`' -> lost = "a `...` command substitution";
                case '$' -> {
                    return dollar(next, afterNext);
                }
                default -> words().append(c);
            }
            return 0;
        }

        /** The words of the simple command at the innermost top level or $(...). */
        private ShellCommandWords words() {
            for (Frame frame : frames) {
                if (frame.kind == Kind.TOP || frame.kind == Kind.SUBSTITUTION) {
                    return frame.command;
                }
            }
            throw new IllegalStateException("no command frame");
        }

        private int unquoted(char c, char next, char afterNext) {
            Frame frame = frames.peek();
            if (isBoundary(c)) {
                if (frame.kind == Kind.SUBSTITUTION && token.toString().equals("case")) {
                    lost = "a case command inside $(...)";
                }
                token.setLength(0);
            } else {
                token.append(c);
            }
            ShellCommandWords words = words();
            switch (c) {
                case '\\' -> escaped = true;
                case '\'' -> {
                    if (previous == '$') {
                        lost = "a $'...' string";
                    }
                    words.quoted();
                    frames.push(new Frame(Kind.SINGLE));
                }
                case '"' -> {
                    words.quoted();
                    frames.push(new Frame(Kind.DOUBLE));
                }
                case '`' -> lost = "a `...` command substitution";
                case '#' -> {
                    comment = isBoundary(previous);
                    if (!comment) {
                        words.append(c);
                    }
                }
                case ' ', '\t' -> words.endWord();
                case '\n', ';', '&', '|' -> words.endCommand();
                case '<', '>' -> {
                    if (c == '<' && next == '<') {
                        lost = "a here-document";
                    }
                    words.redirect();
                }
                case '[' -> {
                    if (next == '[' && words.atWordStart()) {
                        lost = "a [[...]] conditional (bash evaluates its operands as arithmetic)";
                    }
                    words.append(c);
                }
                case '(' -> {
                    if (next == '(') {
                        lost = "a ((...)) arithmetic command";
                    }
                    if (frame.kind == Kind.SUBSTITUTION) {
                        frame.parens++;
                    }
                    words.endCommand();
                }
                case ')' -> {
                    if (frame.kind == Kind.SUBSTITUTION && frame.parens == 0) {
                        frames.pop();
                        words().append(ShellCommandWords.UNKNOWN);
                    } else {
                        if (frame.kind == Kind.SUBSTITUTION) {
                            frame.parens--;
                        }
                        words.endCommand();
                    }
                }
                case '$' -> {
                    return dollar(next, afterNext);
                }
                default -> words.append(c);
            }
            return 0;
        }

        /** After a {@code $}: how many more characters were consumed. */
        private int dollar(char next, char afterNext) {
            if (next == '(' && afterNext == '(') {
                lost = "an arithmetic expansion $((...))";
            } else if (next == '(') {
                frames.push(new Frame(Kind.SUBSTITUTION));
                token.setLength(0);
                return 1;
            } else if (next == '{') {
                lost = "a parameter expansion ${...}";
            } else if (next == '[') {
                lost = "an arithmetic expansion $[...]";
            } else {
                words().append('$');
            }
            return 0;
        }

        /** The text that puts {@code value} here as data. */
        String value(String value, String reference, Site site) {
            refuseUnclear(reference, site);
            words().append(ShellCommandWords.VALUE);
            Kind kind = frames.peek().kind;
            previous = 'x';
            token.append('x');
            return switch (kind) {
                case SINGLE -> value.replace("'", "'\\''");
                case DOUBLE -> value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$")
                        .replace("`", "\\`");
                case TOP, SUBSTITUTION -> quoteWord(value);
            };
        }

        /** Checks that a list option stands as whole unquoted words, up to {@code next}. */
        void wholeWords(String reference, Piece next, Site site) {
            refuseUnclear(reference, site);
            Kind kind = frames.peek().kind;
            boolean endsWord = next == null || (next instanceof Piece.Syntax syntax
                    && (syntax.text().isEmpty() || isBoundary(syntax.text().charAt(0))));
            if (kind == Kind.SINGLE || kind == Kind.DOUBLE || !isBoundary(previous) || !endsWord) {
                throw site.reject("list option ${" + reference + "} must stand as whole words in a command line "
                        + "(it becomes one word per item), not inside quotes or joined to other text");
            }
            previous = 'x';
            token.append('x');
            words().append(ShellCommandWords.VALUE);
        }

        private void refuseUnclear(String reference, Site site) {
            String where = null;
            if (lost != null) {
                where = "after " + lost + " (deploy cannot tell how the shell reads what follows; write "
                        + "${...} values before it)";
            } else if (comment) {
                where = "inside a shell comment";
            } else if (escaped) {
                where = "right after a backslash";
            } else if (previous == '$') {
                where = "right after a $";
            } else {
                where = words().evaluatedBy();
            }
            if (where != null) {
                throw site.reject("${" + reference + "} cannot be used " + where);
            }
        }

        void finish(Site site) {
            if (lost != null || comment) {
                return;
            }
            if (escaped) {
                throw site.reject("the command ends with a backslash");
            }
            Kind kind = frames.peek().kind;
            if (kind != Kind.TOP) {
                throw site.reject("the command has an unclosed " + switch (kind) {
                    case SINGLE -> "'";
                    case DOUBLE -> "\"";
                    default -> "$(";
                });
            }
        }

        private static boolean isBoundary(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')'
                    || c == '<' || c == '>';
        }
    }
}
