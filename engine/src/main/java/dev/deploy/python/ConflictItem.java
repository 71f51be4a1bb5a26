package dev.deploy.python;

import java.nio.charset.StandardCharsets;

/**
 * One item of a {@code conflicts} set of a uv.lock ({@code [tool.uv] conflicts} in pyproject.toml): an extra or a
 * dependency group of a package, or the package's own production dependencies, which cannot be installed together
 * with another item of the same set. uv writes a lock that holds both sides and tells them apart in dependency
 * markers with reserved extra names (uv's "conflict markers"): {@code extra == 'extra-N-PKG-NAME'},
 * {@code 'group-N-PKG-NAME'} and {@code 'project-N-PKG'}, where PKG is the normalized package name and N its length
 * in bytes (see {@link #encoded()}).
 *
 * @param packageName the normalized package name
 * @param kind        what the item is
 * @param name        the normalized extra or group name; empty for {@link Kind#PROJECT}
 */
public record ConflictItem(String packageName, Kind kind, String name) {

    /** What a conflict item stands for. */
    public enum Kind { EXTRA, GROUP, PROJECT }

    public ConflictItem {
        packageName = PackageNames.normalize(packageName);
        name = kind == Kind.PROJECT ? "" : PackageNames.normalize(name);
    }

    public static ConflictItem extra(String packageName, String extra) {
        return new ConflictItem(packageName, Kind.EXTRA, extra);
    }

    public static ConflictItem group(String packageName, String group) {
        return new ConflictItem(packageName, Kind.GROUP, group);
    }

    public static ConflictItem project(String packageName) {
        return new ConflictItem(packageName, Kind.PROJECT, "");
    }

    /** The extra name that stands for this item in a lock's markers, e.g. {@code extra-3-lib-tasks}. */
    public String encoded() {
        int length = packageName.getBytes(StandardCharsets.UTF_8).length;
        return switch (kind) {
            case EXTRA -> "extra-" + length + "-" + packageName + "-" + name;
            case GROUP -> "group-" + length + "-" + packageName + "-" + name;
            case PROJECT -> "project-" + length + "-" + packageName;
        };
    }

    /** {@code lib[tasks]}, {@code app (group dev)} or {@code app}. */
    public String describe() {
        return switch (kind) {
            case EXTRA -> packageName + "[" + name + "]";
            case GROUP -> packageName + " (group " + name + ")";
            case PROJECT -> packageName;
        };
    }
}
