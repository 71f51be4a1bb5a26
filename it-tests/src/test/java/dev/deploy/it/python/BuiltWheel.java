package dev.deploy.it.python;

import java.nio.file.Path;

/**
 * A wheel file built by {@link WheelBuilder}: where it is, what uv.lock says about it (file name, size, sha256) and
 * how many bytes its files take once installed (every file in the archive, RECORD included).
 */
public record BuiltWheel(String name, String version, Path file, long size, String sha256, long installedBytes) {

    /** The wheel's file name, {@code dist-version-tag.whl}. */
    public String filename() {
        return file.getFileName().toString();
    }
}
