package dev.deploy.python;

/** How one package of a venv gets onto the host. */
public sealed interface Installation {

    /** A one-line description for reports, e.g. {@code wheel fastapi-0.115.6-py3-none-any.whl}. */
    String describe();

    /** Install this wheel: the normal case. */
    record Wheel(LockedWheel wheel) implements Installation {
        @Override
        public String describe() {
            return "wheel " + wheel.file().fileName();
        }
    }

    /** No wheel fits the host, but there is an sdist that would have to be built. */
    record SdistOnly(LockedFile sdist) implements Installation {
        @Override
        public String describe() {
            return "no fitting wheel (sdist only: " + sdist.fileName() + ")";
        }
    }

    /** A source tree (git checkout, local directory, editable workspace member) that would have to be built. */
    record SourceTree(PackageSource source) implements Installation {
        @Override
        public String describe() {
            return "built from source (" + source + ")";
        }
    }

    /** Nothing installable for this host: no fitting wheel and no sdist. */
    record Unavailable() implements Installation {
        @Override
        public String describe() {
            return "no fitting wheel and no sdist";
        }
    }

    /** Whether the package installs from a prebuilt wheel, needing no build step on or for the host. */
    default boolean isWheel() {
        return this instanceof Wheel;
    }
}
