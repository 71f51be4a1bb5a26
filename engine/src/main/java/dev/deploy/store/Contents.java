package dev.deploy.store;

import java.io.IOException;
import java.io.InputStream;

/** Opens the bytes of a tree's files, wherever they live (a directory, a git object database, memory). */
@FunctionalInterface
public interface Contents {

    /** A fresh stream over the file at {@code entry.path()}; the caller closes it. */
    InputStream open(TreeEntry entry) throws IOException;
}
