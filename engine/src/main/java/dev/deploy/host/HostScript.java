package dev.deploy.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A POSIX shell program that runs on a host, kept as a reviewable resource file ({@code NAME.sh} next to the class
 * that runs it, under {@code src/main/resources}) instead of a string built in Java.
 *
 * <p>Data never becomes shell syntax: the script declares the variables it reads in its header, one per line,
 * {@code # @param NAME what it is}, and every value is given with {@link #with(String, String)}, which emits a
 * quoted assignment ({@code NAME='...'}, {@link Shell#quote}) before the script body. The body reads it only as
 * {@code "$NAME"}. A value that was declared but not given, or given but not declared, is a programming error.
 *
 * <p>Exit codes a caller reacts to are declared in the header too, {@code # @exit N NAME meaning}, and mirrored by a
 * Java enum implementing {@link ExitCode}; {@code HostScriptsTest} checks that each resource parses with
 * {@code sh -n} and that its declared exits match the enum.
 *
 * <p>Every script runs after a fixed prelude: {@code umask 022}, so that no mode depends on the umask of the
 * controller (local target) or of the SSH session; scripts set the modes they need explicitly on top of that.
 */
public final class HostScript {

    /** A named exit code of a host script; implemented by one enum per script. */
    public interface ExitCode {
        int code();
    }

    /** What every host script starts with. */
    static final String PRELUDE = "umask 022\n";

    private static final Pattern PARAM = Pattern.compile("^# @param ([A-Za-z_][A-Za-z0-9_]*)\\b.*$", Pattern.MULTILINE);
    private static final Pattern EXIT = Pattern.compile("^# @exit ([0-9]+) ([A-Z][A-Z0-9_]*)\\b.*$", Pattern.MULTILINE);

    private final String resource;
    private final String body;
    private final Set<String> declared;
    private final Map<String, String> values = new LinkedHashMap<>();

    private HostScript(String resource, String body) {
        this.resource = resource;
        this.body = body;
        this.declared = params(body);
    }

    /**
     * Loads {@code NAME.sh} from the package of {@code owner}.
     *
     * @throws IllegalStateException when the resource is missing (a packaging bug)
     */
    public static HostScript load(Class<?> owner, String name) {
        String file = name + ".sh";
        try (InputStream in = owner.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("host script " + owner.getPackageName() + "/" + file + " is missing");
            }
            return new HostScript(owner.getPackageName().replace('.', '/') + "/" + file,
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A script from text, for tests and for resources read by other means. */
    public static HostScript of(String resource, String body) {
        return new HostScript(resource, body);
    }

    /** Gives declared variable {@code name} the value {@code value} (passed as data, never as syntax). */
    public HostScript with(String name, String value) {
        if (!declared.contains(name)) {
            throw new IllegalArgumentException(resource + " declares no '# @param " + name + "'");
        }
        if (value == null) {
            throw new IllegalArgumentException(resource + ": no value for " + name);
        }
        Shell.quote(value); // rejects NUL now rather than when the text is built
        values.put(name, value);
        return this;
    }

    public HostScript with(String name, long value) {
        return with(name, Long.toString(value));
    }

    /** The resource path, for messages. */
    public String resource() {
        return resource;
    }

    /** The variables the script declares, in order. */
    public Set<String> params() {
        return declared;
    }

    /** The exit codes the script declares, by name. */
    public Map<String, Integer> declaredExits() {
        Map<String, Integer> exits = new LinkedHashMap<>();
        Matcher m = EXIT.matcher(body);
        while (m.find()) {
            exits.put(m.group(2), Integer.parseInt(m.group(1)));
        }
        return exits;
    }

    /** The body as stored, without prelude or assignments. */
    public String body() {
        return body;
    }

    /**
     * The program to run: prelude, one quoted assignment per declared variable, then the body.
     *
     * @throws IllegalStateException when a declared variable was not given a value
     */
    public String text() {
        List<String> missing = new ArrayList<>();
        for (String name : declared) {
            if (!values.containsKey(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(resource + ": no value given for " + String.join(", ", missing));
        }
        StringBuilder text = new StringBuilder(PRELUDE);
        values.forEach((name, value) -> text.append(name).append('=').append(Shell.quote(value)).append('\n'));
        return text.append(body).toString();
    }

    @Override
    public String toString() {
        return resource;
    }

    private static Set<String> params(String body) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PARAM.matcher(body);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
