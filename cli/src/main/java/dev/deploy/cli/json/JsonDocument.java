package dev.deploy.cli.json;

/**
 * A top-level {@code --json} document: its format version ({@link #FORMAT}), the command that wrote it and the
 * command's exit code. A closed set: one record per document.
 */
public sealed interface JsonDocument
        permits PlanDocument, ApplyDocument, RollbackDocument, GenerationsDocument, GcDocument, LockDocument,
        ErrorDocument, PushCacheDocument, CacheGcDocument, StatusDocument {

    /** The format of every document; it changes only if a field ever has to go or change its meaning. */
    int FORMAT = 1;

    int format();

    /** {@code plan}, {@code apply}, ... */
    String command();

    /** The exit code of the run (see {@code ExitCodes}). */
    int exitCode();
}
