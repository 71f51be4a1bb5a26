package dev.deploy.cli.json;

import dev.deploy.DeployException;
import java.util.Locale;

/**
 * An error as separate fields, so that a consumer of {@code --json} need not parse the one-line message:
 * {@code kind} ({@code input}, {@code host}, {@code locked}, {@code internal}), the {@code host} and {@code step}
 * of a host error, the {@code file}, {@code line} and {@code column} and the dotted {@code field} of an input error,
 * and {@code detail} (what is wrong, without any of those). Parts that are not known are null.
 */
public record Problem(String kind, String host, String step, String file, Integer line, Integer column,
                      String field, String detail) {

    /** The fields of {@code error}; {@code host} names the host when the error itself does not. */
    public static Problem of(DeployException error, String host) {
        var location = error.location();
        boolean positioned = location.isPresent() && location.get().line() > 0;
        return new Problem(error.kind().name().toLowerCase(Locale.ROOT), error.host().orElse(host),
                error.step().orElse(null), location.map(l -> l.file()).orElse(null),
                positioned ? location.get().line() : null, positioned ? location.get().column() : null,
                error.field().orElse(null), error.detail());
    }

    public static Problem of(DeployException error) {
        return of(error, null);
    }

    /** A bug in deploy: only the exception's own text is known. */
    public static Problem internal(Throwable error) {
        return new Problem("internal", null, null, null, null, null, null, DeployException.oneLine(
                String.valueOf(error)));
    }
}
