package dev.deploy.python;

import java.util.List;

/**
 * Where an entry of a uv.lock is, resolved to a line number only when {@link #line()} is called, which is when a
 * message names it (see {@link LockLines}).
 */
public final class LockLine {

    private final LockLines lines;
    private final List<Object> path;
    private final Object last;
    private int line;

    LockLine(LockLines lines, List<Object> path, Object last) {
        this.lines = lines;
        this.path = List.copyOf(path);
        this.last = last;
    }

    /** A line known already, e.g. for entries made in tests. */
    public static LockLine of(int line) {
        LockLine known = new LockLine(null, List.of(), null);
        known.line = line;
        return known;
    }

    /** The lines of the lock this entry is in, null for a line known already (for tests). */
    LockLines lines() {
        return lines;
    }

    /** The 1-based line number. */
    public synchronized int line() {
        if (line == 0) {
            line = lines.line(path, last);
        }
        return line;
    }

    @Override
    public String toString() {
        return String.valueOf(line());
    }
}
