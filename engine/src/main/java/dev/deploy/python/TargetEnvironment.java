package dev.deploy.python;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a host's Python looks like to a wheel installer: the interpreter and version, the machine, the platform and
 * its C library. Gives the values of PEP 508 marker variables and, through {@link WheelTags}, the wheel tags the
 * host accepts.
 *
 * @param pythonVersion    the full interpreter version, e.g. {@code 3.11.2}
 * @param implementation   {@code cpython} (the only one {@link WheelTags} supports) or e.g. {@code pypy}
 * @param machine          {@code platform.machine()}: {@code x86_64}, {@code aarch64}, ...
 * @param sysPlatform      {@code sys.platform}, {@code linux} for the hosts deploy targets
 * @param libc             glibc or musl, with its version
 * @param platformRelease  {@code platform.release()}, the kernel release; empty when unknown
 * @param platformVersion  {@code platform.version()}, the kernel build string; empty when unknown
 */
public record TargetEnvironment(
        String pythonVersion,
        String implementation,
        String machine,
        String sysPlatform,
        Libc libc,
        String platformRelease,
        String platformVersion) {

    public TargetEnvironment {
        Objects.requireNonNull(libc, "libc");
        Pep440Version version = Pep440Version.parse(pythonVersion);
        if (version.releaseLength() < 2) {
            throw new IllegalArgumentException("python version needs major and minor: " + pythonVersion);
        }
        implementation = implementation.toLowerCase(Locale.ROOT);
        platformRelease = Objects.requireNonNullElse(platformRelease, "");
        platformVersion = Objects.requireNonNullElse(platformVersion, "");
    }

    /** A CPython on Linux with glibc, e.g. {@code glibcLinux("3.11.2", "x86_64", 2, 36)} for Debian 12. */
    public static TargetEnvironment glibcLinux(String pythonVersion, String machine, int glibcMajor, int glibcMinor) {
        return new TargetEnvironment(pythonVersion, "cpython", machine, "linux",
                new Libc.Glibc(glibcMajor, glibcMinor), "", "");
    }

    /** A CPython on Linux with musl, e.g. {@code muslLinux("3.12.8", "x86_64", 1, 2)} for Alpine. */
    public static TargetEnvironment muslLinux(String pythonVersion, String machine, int muslMajor, int muslMinor) {
        return new TargetEnvironment(pythonVersion, "cpython", machine, "linux",
                new Libc.Musl(muslMajor, muslMinor), "", "");
    }

    public Pep440Version python() {
        return Pep440Version.parse(pythonVersion);
    }

    public int pythonMajor() {
        return (int) python().releaseSegment(0);
    }

    public int pythonMinor() {
        return (int) python().releaseSegment(1);
    }

    /** The marker environment of this host with no extras active. */
    public MarkerEnvironment markerEnvironment() {
        return markerEnvironment(Set.of());
    }

    /** The marker environment of this host with {@code extras} active. */
    public MarkerEnvironment markerEnvironment(Set<String> extras) {
        Map<String, String> values = new HashMap<>();
        values.put("python_version", pythonMajor() + "." + pythonMinor());
        values.put("python_full_version", pythonVersion);
        values.put("os_name", sysPlatform.equals("win32") ? "nt" : "posix");
        values.put("sys_platform", sysPlatform);
        values.put("platform_system", platformSystem());
        values.put("platform_release", platformRelease);
        values.put("platform_version", platformVersion);
        values.put("platform_machine", machine);
        values.put("platform_python_implementation", pythonImplementationName());
        values.put("implementation_name", implementation);
        values.put("implementation_version", pythonVersion);
        return new MarkerEnvironment(values, extras);
    }

    private String platformSystem() {
        return switch (sysPlatform) {
            case "linux" -> "Linux";
            case "darwin" -> "Darwin";
            case "win32" -> "Windows";
            default -> sysPlatform;
        };
    }

    private String pythonImplementationName() {
        return switch (implementation) {
            case "cpython" -> "CPython";
            case "pypy" -> "PyPy";
            case "graalpy" -> "GraalVM";
            default -> implementation;
        };
    }

    /** A short description for messages, e.g. {@code cpython 3.11.2 x86_64 glibc 2.36}. */
    public String describe() {
        return String.join(" ", List.of(implementation, pythonVersion, machine, libc.toString()));
    }
}
