package dev.deploy.render;

import dev.deploy.DeployException;
import dev.deploy.yaml.YamlValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One escaping rule per kind of systemd unit setting (systemd.syntax(7), systemd.unit(5), systemd.exec(5)). Every
 * rule refuses control characters (a unit file ends a line at LF, CR and NUL, so one would start a new directive),
 * writes {@code %} as {@code %%} (no specifier expansion) where a value may hold it, and refuses what the setting
 * would read differently from the value: a trailing backslash (which joins the next line), a leading {@code -} or
 * {@code ~} on a path, {@code ..} or {@code :} in a state directory. A refused value is an input error at the
 * setting's {@link Site}, naming where the offending character was written.
 */
public final class UnitSettings {

    /** The longest unit-file line systemd reads, in bytes (LONG_LINE_MAX is 1 MiB with its line end). */
    static final int MAX_LINE_BYTES = 1024 * 1024 - 1;
    /** The longest argument or environment variable the kernel passes to a program (MAX_ARG_STRLEN, with its NUL). */
    static final int MAX_ARGUMENT_BYTES = 128 * 1024 - 1;
    /** The longest path systemd accepts (PATH_MAX, with its NUL) and the longest segment of one (NAME_MAX). */
    static final int MAX_PATH_BYTES = 4095;
    static final int MAX_SEGMENT_BYTES = 255;

    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}\\$?|[0-9]{1,10}");
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern UNIT_NAME = Pattern.compile("[A-Za-z0-9:_.\\\\-]+(@[A-Za-z0-9:_.\\\\-]*)?"
            + "\\.(service|socket|target|device|mount|automount|swap|timer|path|slice|scope)");
    /** Where systemd puts the {@code StateDirectory=} of a system service. */
    static final String STATE_DIRECTORY_BASE = "/var/lib";

    private static final Pattern BARE_WORD = Pattern.compile("[A-Za-z0-9_@+=,./-]+");

    private UnitSettings() {
    }

    /** A value written at {@code site}: the rendered text and where its setting is declared. */
    public record Value(Text text, Site site) {
    }

    /** Free text ({@code Description=}): specifiers escaped. */
    public static String text(Value value) {
        checkLine(value);
        return fits(value, value.text().value().replace("%", "%%"));
    }

    /** {@code User=}: a user name ({@code [A-Za-z_][A-Za-z0-9_.-]*}, at most 32 characters) or a numeric UID. */
    public static String userName(Value value) {
        checkLine(value);
        String name = value.text().value();
        if (!USER.matcher(name).matches() || (name.matches("[0-9]+") && !isValidUid(Long.parseLong(name)))) {
            throw value.site().reject("not a user name or UID: " + YamlValue.quoted(name) + " (letters, digits, "
                    + "'_', '.' and '-', at most 32, not starting with a digit or '-'; or a number)", origin(value, 0));
        }
        return name;
    }

    /** systemd refuses the 16- and 32-bit "-1" (65535, 4294967295) as UIDs: the unit would not load. */
    private static boolean isValidUid(long uid) {
        return uid != 65535L && uid < 4294967295L;
    }

    /** {@code WorkingDirectory=}: an absolute, normalized path (so no {@code -} or {@code ~} prefix). */
    public static String absolutePath(Value value) {
        checkLine(value);
        String path = value.text().value();
        if (!path.startsWith("/")) {
            throw value.site().reject("must be an absolute path, got " + YamlValue.quoted(path), origin(value, 0));
        }
        checkSegments(value, path);
        checkPathLength(value, path);
        return fits(value, path.replace("%", "%%"));
    }

    /**
     * A path deploy made from the host's state directory ({@code EnvironmentFile=}, the path of
     * {@code LoadCredential=}), which systemd reads whole after specifier expansion: {@code %} doubled; a path with a
     * control character cannot be written and is a programming error (the inventory's state directory is checked).
     */
    public static String deployPath(String path) {
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("not a path a unit can name: " + DeployException.oneLine(path));
        }
        return path.replace("%", "%%");
    }

    /**
     * {@code StateDirectory=}: one directory relative to /var/lib, without {@code .} or {@code ..} segments and
     * without {@code :} (which would name a symlink to create); written as one word of the setting's list. systemd
     * makes that directory and everything in it owned by the service's {@code User=} (systemd.exec(5),
     * "RuntimeDirectory=, StateDirectory=, ..."), so it may neither hold nor be inside {@code deployStateDir}, the
     * host's deploy state directory: the service's user would own the store, the generations and {@code current}.
     */
    public static String relativeDirectory(Value value, String deployStateDir) {
        checkLine(value);
        String path = value.text().value();
        if (path.isEmpty() || path.startsWith("/")) {
            throw value.site().reject("must be a directory relative to /var/lib, got " + YamlValue.quoted(path),
                    origin(value, 0));
        }
        int colon = path.indexOf(':');
        if (colon >= 0) {
            throw value.site().reject("must not contain ':' (StateDirectory= would read a symlink to create), "
                    + "got " + YamlValue.quoted(path), origin(value, colon));
        }
        checkSegments(value, path);
        String absolute = STATE_DIRECTORY_BASE + "/" + path;
        checkPathLength(value, absolute);
        if (nested(segments(absolute), segments(deployStateDir))) {
            throw value.site().reject(absolute.replaceAll("/+", "/") + " would hold or be inside deploy's state "
                    + "directory " + deployStateDir + " (systemd gives a StateDirectory= and everything in it to the "
                    + "service's user)", origin(value, 0));
        }
        return fits(value, word(path));
    }

    /** Whether one of two paths, as segments, is the other or inside it. */
    private static boolean nested(List<String> a, List<String> b) {
        int common = Math.min(a.size(), b.size());
        return a.subList(0, common).equals(b.subList(0, common));
    }

    private static List<String> segments(String path) {
        return Arrays.stream(path.split("/")).filter(segment -> !segment.isEmpty() && !segment.equals(".")).toList();
    }

    /** One {@code Environment=} assignment, {@code "NAME=value"} with {@code \} and {@code "} escaped. */
    public static String environment(String name, Value value) {
        if (!ENVIRONMENT_NAME.matcher(name).matches()) {
            throw value.site().reject("invalid environment variable name '" + name + "'");
        }
        checkLine(value);
        int bytes = utf8Length(name + "=" + value.text().value());
        if (bytes > MAX_ARGUMENT_BYTES) {
            throw value.site().reject(name + "=... is " + bytes + " bytes; the kernel passes at most "
                    + MAX_ARGUMENT_BYTES + " bytes per environment variable to a program", origin(value, 0));
        }
        return fits(value, "\"" + name + "=" + value.text().value().replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("%", "%%") + "\"");
    }

    /** Whether {@code name} is a unit name systemd accepts in {@code After=} (with its type suffix). */
    public static boolean isUnitName(String name) {
        return name.length() <= 255 && UNIT_NAME.matcher(name).matches();
    }

    /** A word of a space-separated setting: bare, or in double quotes with {@code \ "} escaped; {@code %} doubled. */
    static String word(String text) {
        if (BARE_WORD.matcher(text).matches()) {
            return text;
        }
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%") + "\"";
    }

    /** Refuses control characters, unpaired surrogates, a trailing backslash and over-long lines. */
    static void checkLine(Value value) {
        String text = value.text().value();
        int bad = Characters.firstForbidden(text);
        if (bad >= 0) {
            throw value.site().reject("control character " + Characters.describe(text.charAt(bad))
                    + " in a unit setting", value.text().originAt(bad));
        }
        if (text.endsWith("\\")) {
            throw value.site().reject("a unit setting cannot end with a backslash (systemd would join the next line)",
                    value.text().originAt(text.length() - 1));
        }
    }

    /** {@code rendered}, the setting's value as written, if its line fits what systemd reads. */
    private static String fits(Value value, String rendered) {
        checkLineLength(value.site(), rendered);
        return rendered;
    }

    /** Refuses a setting whose line ({@code Setting=} and {@code rendered}) would be longer than systemd reads. */
    static void checkLineLength(Site site, String rendered) {
        int bytes = utf8Length(rendered);
        if (bytes > MAX_LINE_BYTES - 32) {
            throw site.reject("written in the unit, the value would be " + bytes + " bytes; systemd reads unit file "
                    + "lines of at most " + MAX_LINE_BYTES + " bytes");
        }
    }

    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Refuses a path longer than PATH_MAX or with a segment longer than NAME_MAX (systemd refuses the unit). */
    private static void checkPathLength(Value value, String path) {
        if (utf8Length(path) > MAX_PATH_BYTES) {
            throw value.site().reject("the path is longer than " + MAX_PATH_BYTES + " bytes", origin(value, 0));
        }
        int at = 0;
        for (String segment : path.split("/", -1)) {
            if (utf8Length(segment) > MAX_SEGMENT_BYTES) {
                throw value.site().reject("a path segment is longer than " + MAX_SEGMENT_BYTES + " bytes",
                        origin(value, Math.max(0, at - (path.length() - value.text().length()))));
            }
            at += segment.length() + 1;
        }
    }

    private static void checkSegments(Value value, String path) {
        if (!path.strip().equals(path)) {
            throw value.site().reject("must not start or end with white space, got " + YamlValue.quoted(path),
                    origin(value, 0));
        }
        int at = 0;
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw value.site().reject("must not contain '" + segment + "' segments, got " + YamlValue.quoted(path),
                        origin(value, at));
            }
            at += segment.length() + 1;
        }
    }

    private static Origin origin(Value value, int index) {
        return value.text().isEmpty() ? null : value.text().originAt(Math.min(index, value.text().length() - 1));
    }
}
