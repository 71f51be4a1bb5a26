package dev.deploy.source;

import dev.deploy.store.TreeEntry;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * Prints a path source's tree hash and each entry's path and link target as hex bytes: run in a separate JVM with
 * another locale by {@link PathSourceNamesTest}.
 */
public final class TreeHashMain {

    private TreeHashMain() {
    }

    public static void main(String[] args) {
        SourceSnapshot snapshot = PathSourceReader.read(new SourceSpec.PathSource(Path.of(args[0]), List.of(), null));
        StringBuilder out = new StringBuilder(snapshot.tree().hash()).append('\n');
        for (TreeEntry entry : snapshot.tree().entries()) {
            out.append(HexFormat.of().formatHex(entry.pathBytes()));
            if (entry.linkTarget() != null) {
                out.append(" -> ").append(HexFormat.of().formatHex(entry.linkTargetBytes()));
            }
            out.append('\n');
        }
        System.out.print(out);
    }
}
