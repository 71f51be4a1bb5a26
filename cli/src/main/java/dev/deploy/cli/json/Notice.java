package dev.deploy.cli.json;

/**
 * A notice about the run's sources (the {@code sourceNotices} of the plan, apply and lock documents), as printed on
 * stderr without {@code --json}: {@code level} ({@code note} or {@code warning}), a stable {@code kind}
 * ({@code unmatched-exclude}, {@code controller-path-excluded}, {@code pin-added}, {@code upstream-moved},
 * {@code upstream-ref-gone}, {@code upstream-unchecked}, {@code tree-hash-corrected}, {@code working-tree-on-host}),
 * where the source is declared ({@code location}: {@code file:line:column} as printed, and the same as the fields
 * {@code file}, {@code line}, {@code column}; null when unknown), the host it concerns (null: every host), the
 * source and the message.
 */
public record Notice(String level, String kind, String location, String file, Integer line, Integer column,
                     String host, String source, String message) {
}
