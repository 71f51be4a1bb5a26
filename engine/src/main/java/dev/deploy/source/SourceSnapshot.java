package dev.deploy.source;

import dev.deploy.store.Contents;
import dev.deploy.store.Tree;
import java.util.List;

/**
 * A source read at plan time: its canonical tree, how to open its files, where it came from (what was written and
 * what it resolved to, e.g. {@code github:o/r/v1 = https://github.com/o/r.git tag v1 @ 1a2b... (locked)}), and the
 * notices reading it raised.
 */
public record SourceSnapshot(Tree tree, Contents contents, String origin, List<SourceNotice> notices) {

    public SourceSnapshot {
        notices = List.copyOf(notices);
    }

    public SourceSnapshot(Tree tree, Contents contents, String origin) {
        this(tree, contents, origin, List.of());
    }
}
