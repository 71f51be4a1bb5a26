package dev.deploy.python;

/** One package a venv needs, and how it gets installed. */
public record ResolvedPackage(LockedPackage lockedPackage, Installation installation) {

    public String name() {
        return lockedPackage.name();
    }

    /** {@code name version: how}, e.g. {@code anyio 4.8.0: wheel anyio-4.8.0-py3-none-any.whl}. */
    public String describe() {
        return lockedPackage.describe() + ": " + installation.describe();
    }
}
