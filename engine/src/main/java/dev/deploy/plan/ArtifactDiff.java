package dev.deploy.plan;

import java.util.List;

/**
 * What changes inside one artifact of a plan (a root by role, or a service's unit as {@code unit/SERVICE}), from the
 * store path the host's live generation has ({@code from}, null when the role is new) to the one the plan switches to
 * ({@code to}). One of a closed set: a file list, a text diff, a package list, hidden (secret), or not known.
 */
public sealed interface ArtifactDiff {

    /** {@code source/MODULE.NAME}, {@code file/MODULE.NAME}, {@code venv/MODULE.NAME} or {@code unit/SERVICE}. */
    String role();

    /** The store path the host has in this role now; null when the role is new. */
    String from();

    /** The store path the plan puts in this role. */
    String to();

    /**
     * Files added, removed, changed (content) or mode-changed (executable bit), compared by SHA-256 with the host's
     * checksum list of {@code from} ({@code STATE/store/.meta/PATH}); sorted by path.
     */
    record Files(String role, String from, String to, List<FileChange> changes) implements ArtifactDiff {

        public Files {
            changes = List.copyOf(changes);
        }

        public long count(FileChange.Kind kind) {
            return changes.stream().filter(c -> c.kind() == kind).count();
        }
    }

    /**
     * A unified diff (3 lines of context) of a single-file artifact's text: a rendered file or a unit. {@code lines}
     * are the diff's lines without the {@code ---}/{@code +++} headers, starting with {@code @@}, {@code +},
     * {@code -} or a space; values an {@link ArtifactRedaction} hides are already replaced.
     */
    record Text(String role, String from, String to, String fileName, List<String> lines) implements ArtifactDiff {

        public Text {
            lines = List.copyOf(lines);
        }
    }

    /**
     * Packages added, removed, upgraded or downgraded (PEP 440 order), sorted by name; {@code python} is what the
     * new venv was resolved for (interpreter, implementation, version, machine, libc), {@code previousPython} the
     * {@code lib/pythonX.Y} the host's venv has (null when unknown or new).
     */
    record Venv(String role, String from, String to, String python, String previousPython,
                List<PackageChange> changes) implements ArtifactDiff {

        public Venv {
            changes = List.copyOf(changes);
        }

        public long count(PackageChange.Kind kind) {
            return changes.stream().filter(c -> c.kind() == kind).count();
        }
    }

    /** An artifact whose content a plan never shows (a secret): only that its store path changes. */
    record Hidden(String role, String from, String to) implements ArtifactDiff {
    }

    /**
     * The content difference is not known: e.g. the host kept no checksum list for {@code from}, or the old text is
     * too large; {@code reason} says which.
     */
    record Unknown(String role, String from, String to, String reason) implements ArtifactDiff {
    }

    /** One file of a {@link Files} diff; {@code path} is relative to the store path ({@code FileNames} string). */
    record FileChange(String path, Kind kind) {

        public enum Kind { ADDED, REMOVED, CHANGED, MODE_CHANGED }
    }

    /** One package of a {@link Venv} diff; {@code from} is null when added, {@code to} null when removed. */
    record PackageChange(String name, String from, String to, Kind kind) {

        public enum Kind { ADDED, REMOVED, UPGRADED, DOWNGRADED }
    }
}
