package dev.deploy.python;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The launcher file a wheel installer writes into a venv's {@code bin} for an entry point, in the same form as
 * pypa/installer (and so pip) writes on POSIX: a shebang naming the venv's interpreter, then a stub that imports the
 * callable, strips launcher suffixes from {@code argv[0]} and exits with the callable's result.
 */
public final class ConsoleScript {

    /** Longest shebang line Linux executes reliably, counting {@code #!} and the newline. */
    private static final int MAX_SHEBANG = 127;

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ConsoleScript() {
    }

    /** The script text for {@code entryPoint}, run by the interpreter at {@code pythonPath} (absolute). */
    public static String render(EntryPoint entryPoint, String pythonPath) {
        String importName = entryPoint.attribute().split("\\.", 2)[0];
        return shebang(pythonPath) + "\n"
                + "# -*- coding: utf-8 -*-\n"
                + "import re\n"
                + "import sys\n"
                + "from " + entryPoint.module() + " import " + importName + "\n"
                + "if __name__ == \"__main__\":\n"
                + "    sys.argv[0] = re.sub(r\"(-script\\.pyw|\\.exe)?$\", \"\", sys.argv[0])\n"
                + "    sys.exit(" + entryPoint.attribute() + "())\n";
    }

    /**
     * {@code #!python} when the path has no space and fits a shebang; otherwise a line that {@code /bin/sh} runs to
     * exec the interpreter on the script and that Python reads as a string expression.
     */
    public static String shebang(String pythonPath) {
        if (!pythonPath.contains(" ") && pythonPath.getBytes(StandardCharsets.UTF_8).length + 3
                <= MAX_SHEBANG) {
            return "#!" + pythonPath;
        }
        return "#!/bin/sh\n'''exec' " + shellQuote(pythonPath) + " \"$0\" \"$@\"\n' '''";
    }

    /** Quoting as Python's {@code shlex.quote} does it, so the output matches installer's byte for byte. */
    private static String shellQuote(String word) {
        if (!word.isEmpty() && SHELL_SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }
}
