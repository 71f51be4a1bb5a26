package dev.deploy;

/**
 * The one user-facing error of the engine. Its message is a single line that names where the problem is
 * (file:line:column and field, or host and step); {@link Kind} decides the CLI exit code.
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

    public DeployException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DeployException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public static DeployException input(String message) {
        return new DeployException(Kind.INPUT, message);
    }

    public static DeployException host(String host, String step, String detail) {
        return new DeployException(Kind.HOST, host + ": " + step + ": " + detail);
    }

    public static DeployException host(String host, String step, String detail, Throwable cause) {
        return new DeployException(Kind.HOST, host + ": " + step + ": " + detail, cause);
    }

    public Kind kind() {
        return kind;
    }
}
