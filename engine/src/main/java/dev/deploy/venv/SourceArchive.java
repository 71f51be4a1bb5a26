package dev.deploy.venv;

import dev.deploy.DeployException;
import dev.deploy.store.Contents;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import dev.deploy.yaml.FileErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Packs a directory of a source tree (a workspace member, a subdirectory of a git checkout) the way an sdist is
 * packed, {@code NAME-VERSION/...} in a {@code .tar.gz}, so that {@code pip wheel} builds it on a host like any sdist.
 * The archive depends only on the files: entries sorted, one fixed time (2000-01-01, as zip, and so wheels, cannot
 * hold times before 1980), owner 0, modes 0644 or 0755. It is written once into a cache directory named by the
 * files' identity ({@link #identity}).
 */
final class SourceArchive {

    private static final Date FIXED_TIME = new Date(946_684_800_000L);

    private SourceArchive() {
    }

    /** The entries of {@code tree} under directory {@code prefix} ({@code ""} for all), paths made relative to it. */
    static List<TreeEntry> under(Tree tree, String prefix) {
        if (prefix.isEmpty()) {
            return tree.entries();
        }
        String dir = prefix + "/";
        return tree.entries().stream().filter(e -> e.path().startsWith(dir)).toList();
    }

    /** What names the packed files: their relative paths, kinds, executable bits, hashes and link targets. */
    static String identity(Tree tree, String prefix) {
        StringBuilder text = new StringBuilder();
        int cut = prefix.isEmpty() ? 0 : prefix.length() + 1;
        for (TreeEntry entry : under(tree, prefix)) {
            text.append(entry.path().substring(cut)).append('\0').append(entry.kind()).append('\0')
                    .append(entry.executable()).append('\0').append(entry.sha256() == null ? "" : entry.sha256())
                    .append('\0').append(entry.linkTarget() == null ? "" : entry.linkTarget()).append('\n');
        }
        return DigestUtils.sha256Hex(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The archive {@code top.tar.gz} of the files under {@code prefix}, from the cache in {@code dir} or written there
     * now. {@code what} names the package in messages.
     */
    static Path write(Path dir, Supplier<String> what, String top, Tree tree, Contents contents, String prefix) {
        if (under(tree, prefix).isEmpty()) {
            throw DeployException.input(what.get() + ": its source has no directory '" + prefix + "' to build from");
        }
        Path target = dir.resolve(identity(tree, prefix)).resolve(top + ".tar.gz");
        if (Files.isRegularFile(target)) {
            return target;
        }
        int cut = prefix.isEmpty() ? 0 : prefix.length() + 1;
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), ".pack-", ".part");
            try (OutputStream file = Files.newOutputStream(temp);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(file))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                tar.putArchiveEntry(entry(top + "/", TarConstants.LF_DIR, 0755, 0));
                tar.closeArchiveEntry();
                List<TreeEntry> entries = under(tree, prefix).stream()
                        .sorted(Comparator.comparing(TreeEntry::path)).toList();
                for (TreeEntry entry : entries) {
                    String name = top + "/" + entry.path().substring(cut);
                    switch (entry.kind()) {
                        case DIRECTORY -> {
                            tar.putArchiveEntry(entry(name + "/", TarConstants.LF_DIR, 0755, 0));
                            tar.closeArchiveEntry();
                        }
                        case SYMLINK -> {
                            TarArchiveEntry link = entry(name, TarConstants.LF_SYMLINK, 0777, 0);
                            link.setLinkName(entry.linkTarget());
                            tar.putArchiveEntry(link);
                            tar.closeArchiveEntry();
                        }
                        case FILE -> {
                            tar.putArchiveEntry(entry(name, TarConstants.LF_NORMAL, entry.executable() ? 0755 : 0644,
                                    entry.size()));
                            try (InputStream in = contents.open(entry)) {
                                long copied = in.transferTo(tar);
                                if (copied != entry.size()) {
                                    throw new IOException(entry.path() + " changed while it was packed");
                                }
                            }
                            tar.closeArchiveEntry();
                        }
                    }
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw DeployException.input(what.get() + ": cannot pack its source for a build: " + FileErrors.describe(e));
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover .part file is harmless
                }
            }
        }
    }

    private static TarArchiveEntry entry(String name, byte type, int mode, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        entry.setMode(mode);
        entry.setSize(size);
        entry.setModTime(FIXED_TIME);
        entry.setIds(0, 0);
        entry.setNames("root", "root");
        return entry;
    }
}
