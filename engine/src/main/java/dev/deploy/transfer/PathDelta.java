package dev.deploy.transfer;

import dev.deploy.store.Artifact;
import dev.deploy.store.StorePath;
import dev.deploy.store.TreeEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How one store path reaches a host (pure): the directories the host creates, the entries that cross the wire
 * (files whose content or executable bit differ from the base at the same relative path, and every symlink), and
 * the files the host copies from the base. Without a base everything is sent.
 */
public record PathDelta(Artifact artifact, Optional<StorePath> base, List<String> directories, List<TreeEntry> send,
                        List<String> links, long bytesReused) {

    /** Compares {@code artifact}'s files with {@code base}'s meta list. */
    public static PathDelta of(Artifact artifact, Optional<BaseFetcher.Base> base) {
        List<String> directories = new ArrayList<>();
        List<TreeEntry> send = new ArrayList<>();
        List<String> links = new ArrayList<>();
        long reused = 0;
        for (TreeEntry entry : artifact.tree().entries()) {
            switch (entry.kind()) {
                case DIRECTORY -> directories.add(entry.path());
                case SYMLINK -> send.add(entry);
                case FILE -> {
                    MetaList.FileState was = base.map(b -> b.meta().files().get(entry.path())).orElse(null);
                    if (was != null && was.sha256().equals(entry.sha256()) && was.executable() == entry.executable()) {
                        links.add(entry.path());
                        reused += entry.size();
                    } else {
                        send.add(entry);
                    }
                }
            }
        }
        Optional<StorePath> basePath = links.isEmpty() ? Optional.empty() : base.map(BaseFetcher.Base::path);
        return new PathDelta(artifact, basePath, List.copyOf(directories), List.copyOf(send), List.copyOf(links),
                reused);
    }

    /** Bytes of file content that cross the wire. */
    public long bytesToSend() {
        return send.stream().mapToLong(TreeEntry::size).sum();
    }

    /** Files that cross the wire. */
    public int filesToSend() {
        return (int) send.stream().filter(e -> e.kind() == TreeEntry.Kind.FILE).count();
    }
}
