package dev.deploy.cli.json;

/**
 * What {@code --json} prints when a command fails as a whole before or instead of acting on hosts (bad input, an
 * internal error): the one-line {@code error} as on stderr, and the same as fields in {@code problem}.
 */
public record ErrorDocument(int format, String command, int exitCode, String error, Problem problem)
        implements JsonDocument {

    public ErrorDocument(String command, int exitCode, String error, Problem problem) {
        this(FORMAT, command, exitCode, error, problem);
    }
}
