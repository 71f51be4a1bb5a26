package dev.deploy.transfer;

import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;

/**
 * The two lists the host checks a received store path against before giving it its final name: every entry with
 * its kind and mode (compared with {@code find} output) and a {@code sha256sum -c} file for the contents.
 */
final class VerificationLists {

    private VerificationLists() {
    }

    /** Lines {@code d 755 path}, {@code f 644 path}, {@code l 777 path -> target}, in the order of the tree. */
    static String entryList(Tree tree) {
        StringBuilder out = new StringBuilder();
        for (TreeEntry entry : tree.entries()) {
            switch (entry.kind()) {
                case DIRECTORY -> out.append("d ").append(Integer.toOctalString(entry.mode())).append(' ')
                        .append(entry.path()).append('\n');
                case FILE -> out.append("f ").append(Integer.toOctalString(entry.mode())).append(' ')
                        .append(entry.path()).append('\n');
                case SYMLINK -> out.append("l 777 ").append(entry.path()).append(" -> ").append(entry.linkTarget())
                        .append('\n');
            }
        }
        return out.toString();
    }

    /** {@code sha256sum} check lines; names with a backslash use the escaped form sha256sum defines. */
    static String checksums(Tree tree) {
        StringBuilder out = new StringBuilder();
        for (TreeEntry entry : tree.entries()) {
            if (entry.kind() != TreeEntry.Kind.FILE) {
                continue;
            }
            if (entry.path().contains("\\")) {
                out.append('\\').append(entry.sha256()).append("  ./").append(entry.path().replace("\\", "\\\\"));
            } else {
                out.append(entry.sha256()).append("  ./").append(entry.path());
            }
            out.append('\n');
        }
        return out.toString();
    }
}
