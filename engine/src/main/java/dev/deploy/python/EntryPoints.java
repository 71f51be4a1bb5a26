package dev.deploy.python;

import dev.deploy.DeployException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scripts a wheel's {@code entry_points.txt} declares. The file is INI-like: {@code [section]} headers, then
 * {@code name = module:attr [extras]} lines; {@code #} and {@code ;} start comment lines. Only
 * {@code [console_scripts]} and {@code [gui_scripts]} matter for installing; other sections are skipped.
 */
public record EntryPoints(List<EntryPoint> consoleScripts, List<EntryPoint> guiScripts) {

    public static final String CONSOLE_SCRIPTS = "console_scripts";
    public static final String GUI_SCRIPTS = "gui_scripts";

    private static final Pattern REFERENCE = Pattern.compile(
            "(?<module>[\\w.]+)\\s*(?::\\s*(?<attribute>[\\w.]+)\\s*)?(?:\\[(?<extras>[^\\]]*)\\])?\\s*",
            Pattern.UNICODE_CHARACTER_CLASS);

    public EntryPoints {
        consoleScripts = List.copyOf(consoleScripts);
        guiScripts = List.copyOf(guiScripts);
    }

    /** Both groups, console scripts first; on Linux they install the same way. */
    public List<EntryPoint> all() {
        List<EntryPoint> all = new ArrayList<>(consoleScripts);
        all.addAll(guiScripts);
        return all;
    }

    /** Parses the text of an {@code entry_points.txt}; {@code origin} names it in messages. */
    public static EntryPoints parse(String origin, String text) {
        List<EntryPoint> console = new ArrayList<>();
        List<EntryPoint> gui = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String section = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            String line = raw.strip();
            int lineNumber = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw error(origin, lineNumber, "section header without ']': " + line);
                }
                section = line.substring(1, line.length() - 1).strip();
                names.clear();
                continue;
            }
            if (section == null) {
                throw error(origin, lineNumber, "entry before the first [section]");
            }
            boolean scripts = section.equals(CONSOLE_SCRIPTS) || section.equals(GUI_SCRIPTS);
            if (!scripts) {
                continue;
            }
            if (Character.isWhitespace(raw.charAt(0))) {
                throw error(origin, lineNumber, "[" + section + "]: continuation lines are not supported");
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw error(origin, lineNumber, "[" + section + "]: expected 'name = module:attribute'");
            }
            String name = line.substring(0, equals).strip();
            String reference = line.substring(equals + 1).strip();
            if (!names.add(name)) {
                throw error(origin, lineNumber, "[" + section + "] '" + name + "': declared twice");
            }
            EntryPoint entryPoint = entryPoint(origin, lineNumber, section, name, reference);
            (section.equals(CONSOLE_SCRIPTS) ? console : gui).add(entryPoint);
        }
        return new EntryPoints(console, gui);
    }

    private static EntryPoint entryPoint(String origin, int line, String section, String name, String reference) {
        Matcher m = REFERENCE.matcher(reference);
        if (!m.matches()) {
            throw error(origin, line, "[" + section + "] '" + name + "': not a 'module:attribute' reference: "
                    + reference);
        }
        if (m.group("attribute") == null) {
            throw error(origin, line, "[" + section + "] '" + name + "': a script needs 'module:attribute', got "
                    + reference);
        }
        List<String> extras = m.group("extras") == null ? List.of()
                : Arrays.stream(m.group("extras").split(",")).map(String::strip).filter(e -> !e.isEmpty()).toList();
        return new EntryPoint(section, name, m.group("module"), m.group("attribute"), extras);
    }

    private static DeployException error(String origin, int line, String problem) {
        return DeployException.input(origin + ":" + line + ": " + problem);
    }
}
