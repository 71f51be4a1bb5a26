package dev.deploy.python;

/** The C library of a Linux host, which decides between manylinux and musllinux wheels. */
public sealed interface Libc permits Libc.Glibc, Libc.Musl {

    int major();

    int minor();

    /** GNU libc, e.g. 2.36 on Debian 12. */
    record Glibc(int major, int minor) implements Libc {
        @Override
        public String toString() {
            return "glibc " + major + "." + minor;
        }
    }

    /** musl libc, e.g. 1.2 on Alpine. */
    record Musl(int major, int minor) implements Libc {
        @Override
        public String toString() {
            return "musl " + major + "." + minor;
        }
    }
}
