package dev.deploy.venv;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Open wheel archives, shared by every venv of a run: a venv's files are read from the wheels on demand while it
 * is pushed, so each wheel's central directory is read once per run, not once per file. Entries are read with
 * positional reads, so several hosts can stream from the same wheel at once.
 */
public final class WheelArchives implements Closeable {

    private final ConcurrentHashMap<Path, ZipFile> open = new ConcurrentHashMap<>();

    /** The archive at {@code wheel}, opened on first use. */
    public ZipFile archive(Path wheel) throws IOException {
        try {
            return open.computeIfAbsent(wheel.toAbsolutePath(), path -> {
                try {
                    return ZipFile.builder().setPath(path).get();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A fresh stream over one entry of {@code wheel}. */
    public InputStream open(Path wheel, String entryName) throws IOException {
        ZipFile zip = archive(wheel);
        ZipArchiveEntry entry = zip.getEntry(entryName);
        if (entry == null) {
            throw new IOException(wheel.getFileName() + " has no entry " + entryName);
        }
        return zip.getInputStream(entry);
    }

    @Override
    public void close() {
        List<ZipFile> files = new ArrayList<>(open.values());
        open.clear();
        for (ZipFile file : files) {
            try {
                file.close();
            } catch (IOException ignored) {
                // nothing useful to do about a wheel that will not close
            }
        }
    }
}
