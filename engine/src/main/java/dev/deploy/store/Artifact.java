package dev.deploy.store;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Something that becomes one store path on a host: a source tree, a rendered file, a systemd unit, a venv.
 * {@code origin} says where it came from for plans and manifests (e.g. {@code git:https://... @ 1a2b3c}).
 * {@code seal} is an optional shell fragment the host runs inside the received, verified directory before it gets
 * its final name (e.g. byte-compiling a venv); it sees {@code $final}, the path the store path will have. It may add
 * files but must not modify received ones: they are read-only by then and may be hard links shared with an earlier
 * store path.
 *
 * <p>Most artifacts are content-addressed and built when evaluated. A {@linkplain #deferred deferred} one (a venv)
 * has a store path named by its inputs, known at once, and its files are made on the first call of {@link #tree()}
 * or {@link #contents()}: a plan that only compares store paths never builds it (nor downloads what it is made
 * of). {@link #isBuilt()} tells which; a failed build throws from {@code tree()} and is retried on the next call.
 */
public final class Artifact {

    /** The files of a built artifact and how to read them. */
    public record Built(Tree tree, Contents contents) {
    }

    private final StorePath storePath;
    private final String origin;
    private final Optional<String> seal;
    private final Supplier<Built> build;
    private volatile Built built;

    private Artifact(StorePath storePath, String origin, Optional<String> seal, Built built, Supplier<Built> build) {
        this.storePath = Objects.requireNonNull(storePath, "storePath");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.seal = Objects.requireNonNull(seal, "seal");
        this.built = built;
        this.build = build;
    }

    public Artifact(StorePath storePath, Tree tree, Contents contents, String origin, Optional<String> seal) {
        this(storePath, origin, seal, new Built(Objects.requireNonNull(tree, "tree"), contents), null);
    }

    public Artifact(StorePath storePath, Tree tree, Contents contents, String origin) {
        this(storePath, tree, contents, origin, Optional.empty());
    }

    public static Artifact of(String name, Tree tree, Contents contents, String origin) {
        return new Artifact(StorePath.of(name, tree), tree, contents, origin);
    }

    /**
     * An artifact whose store path is known now (named by its inputs) and whose files {@code build} makes on first
     * use, once, whichever thread asks first.
     */
    public static Artifact deferred(StorePath storePath, String origin, Optional<String> seal, Supplier<Built> build) {
        return new Artifact(storePath, origin, seal, null, Objects.requireNonNull(build, "build"));
    }

    public StorePath storePath() {
        return storePath;
    }

    public String origin() {
        return origin;
    }

    public Optional<String> seal() {
        return seal;
    }

    /** Whether the files are known: always for an artifact built at evaluation, after the build for a deferred one. */
    public boolean isBuilt() {
        return built != null;
    }

    /** The file tree; builds a deferred artifact first. */
    public Tree tree() {
        return built().tree();
    }

    /** How to read the files; builds a deferred artifact first. */
    public Contents contents() {
        return built().contents();
    }

    /** The files, building a deferred artifact now if it is not yet built. */
    public Built built() {
        Built known = built;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (built == null) {
                built = Objects.requireNonNull(build.get(), "build");
            }
            return built;
        }
    }

    /** This artifact with {@code script} run on the host before the store path is sealed. */
    public Artifact withSeal(String script) {
        Built known = built;
        return new Artifact(storePath, origin, Optional.of(script), known, known != null ? null : this::built);
    }

    @Override
    public String toString() {
        return storePath + " (" + origin + (isBuilt() ? "" : ", not built yet") + ")";
    }
}
