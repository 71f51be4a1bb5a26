package dev.deploy;

import java.util.Optional;

/**
 * The one user-facing error of the engine. It carries where the problem is as fields, so that front ends render
 * them (one line on a terminal, separate fields in {@code --json}) instead of parsing a sentence:
 * <ul>
 *   <li>input errors: {@link #location()} ({@code file:line:column}) and {@link #field()} (dotted path such as
 *       {@code hosts.web1.port}), when known;</li>
 *   <li>host errors: {@link #host()} and {@link #step()} ({@code lock}, {@code transfer}, {@code activate}, ...);</li>
 *   <li>always {@link #detail()}: what is wrong, one line.</li>
 * </ul>
 * {@link #getMessage()} is the classic one-line form {@code file:line:col: field: detail} or
 * {@code host: step: detail}; control characters in any part are shown escaped ({@code \n}, {@code \r},
 * {@code \x00}), so a hostile value can never break the line or forge a second one. {@link Kind} decides the exit
 * code.
 */
public class DeployException extends RuntimeException {

    /** What went wrong, from the point of view of someone running {@code deploy}. */
    public enum Kind {
        /** Inventory, module or command-line input is wrong; nothing was changed anywhere. */
        INPUT,
        /** A host could not be reached or a step on it failed. */
        HOST,
        /** Another deploy holds the host's lock. */
        LOCKED
    }

    private final Kind kind;
    private final String host;
    private final String step;
    private final Location location;
    private final String field;
    private final String detail;

    /** An error whose message has no structured parts (prefer the factories). */
    public DeployException(Kind kind, String message) {
        this(kind, null, null, null, null, message, null);
    }

    public DeployException(Kind kind, String message, Throwable cause) {
        this(kind, null, null, null, null, message, cause);
    }

    /**
     * The general form: any of {@code host}, {@code step}, {@code location}, {@code field} may be null.
     *
     * @param detail what is wrong, without the location, field, host or step
     */
    public DeployException(Kind kind, String host, String step, Location location, String field, String detail,
                           Throwable cause) {
        super(render(host, step, location, field, detail), cause);
        this.kind = kind;
        this.host = host;
        this.step = step;
        this.location = location;
        this.field = field;
        this.detail = detail == null ? "" : detail;
    }

    /** Bad input whose message already names its place (legacy form; prefer {@link #input(Location, String, String)}). */
    public static DeployException input(String message) {
        return new DeployException(Kind.INPUT, message);
    }

    /** Bad input at {@code location} in field {@code field} (either may be null). */
    public static DeployException input(Location location, String field, String detail) {
        return new DeployException(Kind.INPUT, null, null, location, field, detail, null);
    }

    /** Bad input that concerns one host (e.g. a package with no wheel for its Python), at an optional location. */
    public static DeployException input(String host, Location location, String field, String detail) {
        return new DeployException(Kind.INPUT, host, null, location, field, detail, null);
    }

    public static DeployException host(String host, String step, String detail) {
        return new DeployException(Kind.HOST, host, step, null, null, detail, null);
    }

    public static DeployException host(String host, String step, String detail, Throwable cause) {
        return new DeployException(Kind.HOST, host, step, null, null, detail, cause);
    }

    public static DeployException locked(String host, String step, String detail) {
        return new DeployException(Kind.LOCKED, host, step, null, null, detail, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The inventory name of the host concerned, if any. */
    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    /** The step that failed on the host ({@code connect}, {@code lock}, {@code transfer}, ...), if any. */
    public Optional<String> step() {
        return Optional.ofNullable(step);
    }

    /** Where in an input file, if known. */
    public Optional<Location> location() {
        return Optional.ofNullable(location);
    }

    /** The dotted field path in the input file, if known. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** What is wrong, without the location, field, host or step. */
    public String detail() {
        return detail;
    }

    private static String render(String host, String step, Location location, String field, String detail) {
        StringBuilder line = new StringBuilder();
        if (location != null) {
            line.append(location).append(": ");
        }
        if (host != null) {
            line.append(host).append(": ");
        }
        if (step != null) {
            line.append(step).append(": ");
        }
        if (field != null && !field.isEmpty()) {
            line.append(field).append(": ");
        }
        line.append(detail == null ? "" : detail);
        return oneLine(line.toString());
    }

    /**
     * {@code text} with control characters escaped ({@code \n}, {@code \r}, {@code \t}, others as {@code \xNN}), so
     * that any value quoted in a message stays on one line.
     */
    public static String oneLine(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
            if (!control) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\x%02x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }
}
