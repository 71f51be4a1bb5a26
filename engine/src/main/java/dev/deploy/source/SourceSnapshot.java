package dev.deploy.source;

import dev.deploy.store.Contents;
import dev.deploy.store.Tree;

/** A source read at plan time: its canonical tree, how to open its files, and a description such as the commit. */
public record SourceSnapshot(Tree tree, Contents contents, String origin) {
}
