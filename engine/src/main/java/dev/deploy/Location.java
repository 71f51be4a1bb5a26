package dev.deploy;

import java.nio.file.Path;

/** A place in an input file, printed as {@code file:line:column} (1-based), the prefix of every input error. */
public record Location(String file, int line, int column) {

    public static Location of(Path file) {
        return new Location(file.toString(), 0, 0);
    }

    @Override
    public String toString() {
        return line <= 0 ? file : file + ":" + line + ":" + column;
    }
}
