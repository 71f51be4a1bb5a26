package dev.deploy.cli.json;

import java.util.List;

/**
 * {@code deploy lock --json}: the lock file written (null when the inventory has none), one entry per pin the run
 * added, kept or moved, the keys of entries dropped because no source uses them any more, and the notices about
 * the sources.
 */
public record LockDocument(int format, String command, int exitCode, String lockFile, List<Pin> pins,
                           List<String> dropped, List<Notice> sourceNotices) implements JsonDocument {

    public LockDocument(int exitCode, String lockFile, List<Pin> pins, List<String> dropped,
                        List<Notice> sourceNotices) {
        this(FORMAT, "lock", exitCode, lockFile, pins, dropped, sourceNotices);
    }

    /**
     * A pin: the source's key in the lock, the reference as written, the commit before (null for a new pin) and
     * after, how the reference resolved, and whether the pin moved.
     */
    public record Pin(String source, String written, String before, String after, String resolved, boolean moved) {
    }
}
