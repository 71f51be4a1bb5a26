package dev.deploy.venv;

import java.util.List;

/**
 * What a plan shows about one venv: where it goes, for which Python, and how each package gets in.
 *
 * @param role      {@code venv/MODULE.NAME}
 * @param storePath the venv's store path
 * @param python    the host's interpreter and what it is, e.g. {@code /usr/bin/python3.11 (cpython 3.11.2 x86_64 glibc 2.36)}
 * @param packages  every installed package, sorted by name
 * @param scripts   launchers written for the project's own {@code [project.scripts]}
 */
public record VenvReport(String role, String storePath, String python, List<PackageLine> packages,
                         List<String> scripts) {

    public VenvReport {
        packages = List.copyOf(packages);
        scripts = List.copyOf(scripts);
    }

    /** How a package is installed. */
    public enum Via {
        /** A wheel from the lock that fits the host. */
        LOCK_WHEEL,
        /** No locked wheel fits; a matching wheel from the wheelhouse. */
        WHEELHOUSE,
        /** No locked wheel fits; the locked sdist, built into a wheel on the host. */
        BUILT_FROM_SDIST
    }

    /** One package: name, version, the wheel installed and where that wheel came from. */
    public record PackageLine(String name, String version, String wheel, Via via) {

        public String describe() {
            return switch (via) {
                case LOCK_WHEEL -> wheel;
                case WHEELHOUSE -> wheel + " (no fitting wheel in the lock; from the wheelhouse)";
                case BUILT_FROM_SDIST -> wheel + " (no fitting wheel in the lock; built from the sdist on the host)";
            };
        }
    }

    /** The packages no locked wheel fits, which came from the wheelhouse or an sdist build. */
    public List<PackageLine> withoutFittingWheel() {
        return packages.stream().filter(p -> p.via() != Via.LOCK_WHEEL).toList();
    }
}
