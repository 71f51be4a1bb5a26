package dev.deploy.store;

import java.util.Optional;

/**
 * Something that becomes one store path on a host: a source tree, a rendered file, a systemd unit, a venv.
 * {@code origin} says where it came from for plans and manifests (e.g. {@code git:https://... @ 1a2b3c}).
 * {@code seal} is an optional shell fragment the host runs inside the received, verified directory before it gets
 * its final name (e.g. byte-compiling a venv); it sees {@code $final}, the path the store path will have. It may add
 * files but must not modify received ones: they are read-only by then and may be hard links shared with an earlier
 * store path.
 */
public record Artifact(StorePath storePath, Tree tree, Contents contents, String origin, Optional<String> seal) {

    public Artifact(StorePath storePath, Tree tree, Contents contents, String origin) {
        this(storePath, tree, contents, origin, Optional.empty());
    }

    public static Artifact of(String name, Tree tree, Contents contents, String origin) {
        return new Artifact(StorePath.of(name, tree), tree, contents, origin);
    }

    /** This artifact with {@code script} run on the host before the store path is sealed. */
    public Artifact withSeal(String script) {
        return new Artifact(storePath, tree, contents, origin, Optional.of(script));
    }
}
