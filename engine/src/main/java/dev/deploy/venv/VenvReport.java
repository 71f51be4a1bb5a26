package dev.deploy.venv;

import java.util.List;
import java.util.Optional;

/**
 * What a plan shows about one venv, all known before anything is downloaded or built: where it goes, for which
 * Python, which extras and groups of the project, how each package gets in, and what apply will fetch.
 *
 * @param role          {@code venv/MODULE.NAME}
 * @param storePath     the venv's store path (named by its inputs)
 * @param python        the host's interpreter and what it is, e.g. {@code /usr/bin/python3.11 (cpython 3.11.2 x86_64 glibc 2.36)}
 * @param packages      every installed package, sorted by name
 * @param scripts       launchers written for the project's own {@code [project.scripts]}
 * @param extras        the project's extras installed, sorted
 * @param groups        the project's dependency groups installed, sorted
 * @param filesToFetch  locked wheels and sdists not in the controller's cache yet: apply downloads them
 * @param bytesToFetch  their sizes as the lock records them (a file whose size the lock omits counts 0)
 */
public record VenvReport(String role, String storePath, String python, List<PackageLine> packages,
                         List<String> scripts, List<String> extras, List<String> groups, int filesToFetch,
                         long bytesToFetch) {

    public VenvReport {
        packages = List.copyOf(packages);
        scripts = List.copyOf(scripts);
        extras = List.copyOf(extras);
        groups = List.copyOf(groups);
    }

    /** How a package is installed. */
    public enum Via {
        /** A wheel from the lock that fits the host. */
        LOCK_WHEEL,
        /** No locked wheel fits; a matching wheel from the wheelhouse. */
        WHEELHOUSE,
        /** No locked wheel fits; the locked sdist, built into a wheel on the host at apply. */
        BUILT_FROM_SDIST,
        /** A workspace member or git package: its source tree, built into a wheel on the host at apply. */
        BUILT_FROM_SOURCE
    }

    /**
     * One package: name, version, how it gets in, and the file: the wheel installed (lock or wheelhouse), or what the
     * wheel is built from (an sdist file name, {@code workspace member packages/x}, {@code git URL@commit}).
     */
    public record PackageLine(String name, String version, String file, Via via) {

        /** The wheel installed, when it is known before apply (not for packages built on the host). */
        public Optional<String> wheel() {
            return via == Via.LOCK_WHEEL || via == Via.WHEELHOUSE ? Optional.of(file) : Optional.empty();
        }

        public String describe() {
            return switch (via) {
                case LOCK_WHEEL -> file;
                case WHEELHOUSE -> file + " (no fitting wheel in the lock; from the wheelhouse)";
                case BUILT_FROM_SDIST -> "built on the host at apply from " + file + " (no fitting wheel in the lock)";
                case BUILT_FROM_SOURCE -> "built on the host at apply from " + file;
            };
        }
    }

    /** The packages no locked wheel fits, which come from the wheelhouse or a build. */
    public List<PackageLine> withoutFittingWheel() {
        return packages.stream().filter(p -> p.via() != Via.LOCK_WHEEL).toList();
    }
}
