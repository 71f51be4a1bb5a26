package dev.deploy.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The words of the simple command a {@link ShellCommandLine} is in the middle of (at one nesting level: the top, or
 * inside one {@code $(...)}), as the shell will see them after quote removal, so that a value can be refused where
 * the shell itself would run it as code even though it is one quoted word: an argument of {@code eval}, {@code trap}
 * or {@code let}; the script of {@code sh -c} (also through {@code su -c}, {@code find -exec sh -c}, ...); a variable
 * name given to {@code read}, {@code unset}, {@code export}, {@code printf -v}, {@code test -v} and the like, or an
 * array subscript, which bash evaluates as arithmetic, running any {@code $(...)} in it (so {@code a[$(cmd)]} as a
 * value runs {@code cmd}).
 *
 * <p>A value is marked in a word by {@link #VALUE}; the output of a {@code $(...)} by {@link #UNKNOWN}.
 */
final class ShellCommandWords {

    /** Stands for a value's text in a word. */
    static final char VALUE = '\0';
    /** Stands for text only known when the command runs (a command substitution). */
    static final char UNKNOWN = '\1';

    /** Shell builtins that run their arguments as code (or as arithmetic, which runs {@code $(...)} in bash). */
    private static final Set<String> EVALUATING = Set.of("eval", "trap", "let");
    /** Shell builtins whose plain arguments are variable names (bash evaluates a subscript in one as arithmetic). */
    private static final Set<String> NAMING = Set.of("read", "unset", "mapfile", "readarray", "getopts", "declare",
            "typeset", "local", "export", "readonly");
    /** Commands that run a script given after {@code -c}. */
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox",
            "su", "runuser");
    /** Commands that run the rest of their arguments as another command. */
    private static final Set<String> WRAPPERS = Set.of("command", "builtin", "exec", "env", "sudo", "doas", "nice",
            "nohup", "timeout", "time", "setsid", "stdbuf", "ionice", "chroot", "setpriv", "xargs", "flock", "chpst");
    /** Reserved words after which a new command starts. */
    private static final Set<String> OPENERS = Set.of("!", "{", "if", "then", "else", "elif", "do", "while", "until",
            "time");
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\[[^]]*])?\\+?=.*",
            Pattern.DOTALL);
    private static final Pattern OPEN_SUBSCRIPT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)?\\[[^]]*",
            Pattern.DOTALL);
    private static final Pattern INTEGER_OPTION = Pattern.compile("-[A-Za-z]*i[A-Za-z]*");
    private static final Pattern SCRIPT_OPTION = Pattern.compile("-[A-Za-z]*c[A-Za-z]*|--command");

    private final List<String> words = new ArrayList<>();
    private final StringBuilder word = new StringBuilder();
    private boolean inWord;
    private boolean redirectTarget;
    /** An integer variable was declared ({@code declare -i}): assignments from here on are arithmetic in bash. */
    private boolean integers;

    /** A character of the current word, as the shell reads it after quote removal. */
    void append(char c) {
        word.append(c);
        inWord = true;
    }

    /** Whether no character of a word has been read since the last word ended. */
    boolean atWordStart() {
        return !inWord;
    }

    /** Quotes in the current word: it is a word even if empty. */
    void quoted() {
        inWord = true;
    }

    /** The word in progress ends (white space, an operator). */
    void endWord() {
        if (inWord) {
            String done = word.toString();
            if (redirectTarget) {
                redirectTarget = false;
            } else if (!(words.isEmpty() && OPENERS.contains(done))) {
                words.add(done);
                integers |= INTEGER_OPTION.matcher(done).matches() && commandNames(firstCommandWord()).stream()
                        .anyMatch(NAMING::contains);
            }
        }
        word.setLength(0);
        inWord = false;
    }

    /** A redirection operator ({@code <}, {@code >}): a file descriptor number before it and its target are no words. */
    void redirect() {
        if (inWord && !word.isEmpty() && word.chars().allMatch(c -> c >= '0' && c <= '9')) {
            word.setLength(0);
            inWord = false;
        }
        endWord();
        redirectTarget = true;
    }

    /** The simple command ends ({@code ;}, {@code &}, {@code |}, a newline, a parenthesis). */
    void endCommand() {
        endWord();
        words.clear();
        redirectTarget = false;
    }

    /** Why a value placed at this point would be run as code by the shell, or null when it stays data. */
    String evaluatedBy() {
        String current = word.toString();
        int name = firstCommandWord();
        boolean inAssignment = name == words.size() && ASSIGNMENT.matcher(current + "=").matches()
                && current.indexOf('=') < 0;
        if (OPEN_SUBSCRIPT.matcher(current).matches() && (name == words.size() || current.startsWith("["))) {
            return "inside an array subscript, which bash evaluates as arithmetic";
        }
        if (inAssignment) {
            return null;
        }
        String previous = words.isEmpty() ? "" : words.get(words.size() - 1);
        boolean startsWord = current.isEmpty();
        if (integers) {
            return "after a declaration of an integer variable (bash evaluates what is assigned to one as arithmetic)";
        }
        for (int i = 0; i < words.size() - 1; i++) {
            if (SHELLS.contains(words.get(i)) && SCRIPT_OPTION.matcher(previous).matches()) {
                return "in the script of " + words.get(i) + " " + previous + ", which runs it as shell code";
            }
        }
        if (SHELLS.stream().anyMatch(words::contains) && current.startsWith("--command=")) {
            return "in the script of --command, which runs it as shell code";
        }
        for (String command : commandNames(name)) {
            if (EVALUATING.contains(command)) {
                return "in an argument of " + command + ", which runs it as shell code or arithmetic";
            }
            if (NAMING.contains(command) && current.indexOf('=') < 0) {
                return "as a variable name given to " + command + " (bash evaluates a subscript in it as arithmetic)";
            }
            if ((command.equals("printf") || command.equals("test") || command.equals("["))
                    && startsWord && (previous.equals("-v") || previous.equals("-R"))) {
                return "as a variable name given to " + command + " " + previous + " (bash evaluates a subscript in it "
                        + "as arithmetic)";
            }
        }
        return null;
    }

    /** The index of the first word that is not an assignment (the command name), or the number of words. */
    private int firstCommandWord() {
        int name = 0;
        while (name < words.size() && ASSIGNMENT.matcher(words.get(name)).matches()) {
            name++;
        }
        return name;
    }

    /** The command name after the assignments at {@code first}, and, after a wrapper, every later word too. */
    private List<String> commandNames(int first) {
        if (first >= words.size()) {
            return List.of();
        }
        if (!WRAPPERS.contains(words.get(first))) {
            return List.of(words.get(first));
        }
        return words.subList(first, words.size());
    }
}
