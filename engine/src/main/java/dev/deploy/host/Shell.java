package dev.deploy.host;

import java.util.List;
import java.util.regex.Pattern;

/**
 * POSIX shell quoting. Every word that reaches a remote shell goes through {@link #quote(String)}; scripts are built
 * with {@link ShellScript}, which quotes each argument of a command.
 */
public final class Shell {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Shell() {
    }

    /** Quotes one word so that {@code sh} reads it back byte for byte, whatever it contains. */
    public static String quote(String word) {
        if (word.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell word cannot contain a NUL byte");
        }
        if (!word.isEmpty() && SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Quotes each word and joins them with spaces: one simple command. */
    public static String command(List<String> words) {
        StringBuilder out = new StringBuilder();
        for (String word : words) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(quote(word));
        }
        return out.toString();
    }

    public static String command(String... words) {
        return command(List.of(words));
    }
}
