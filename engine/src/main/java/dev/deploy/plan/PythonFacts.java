package dev.deploy.plan;

import dev.deploy.DeployException;
import dev.deploy.python.Libc;
import dev.deploy.python.TargetEnvironment;
import java.util.List;
import java.util.Optional;

/**
 * A Python interpreter as a host reports it: the path asked for, the resolved interpreter (realpath) and what a
 * wheel installer needs to know about it; or why it cannot be used (missing, failed to run).
 *
 * @param requested   the interpreter as configured, e.g. {@code python3} or {@code /usr/bin/python3}
 * @param interpreter the realpath of the interpreter, when found
 * @param environment the interpreter's version, implementation, machine and C library, when found
 * @param problem     why the interpreter cannot be used, when it cannot
 */
public record PythonFacts(String requested, Optional<String> interpreter, Optional<TargetEnvironment> environment,
                          Optional<String> problem) {

    /** The interpreter's realpath and environment, or an error naming the host and what needed it. */
    public TargetEnvironment require(String host, String neededBy) {
        if (problem.isPresent() || environment.isEmpty()) {
            throw DeployException.host(host, neededBy, problem.orElse("python interpreter " + requested
                    + " was not probed"));
        }
        return environment.get();
    }

    /** Reads the probe's lines: {@code ok}, realpath, version, implementation, machine, libc, release, version, platform. */
    static PythonFacts parse(String requested, List<String> lines) {
        List<String> out = lines.stream().map(String::strip).toList();
        if (out.isEmpty() || out.stream().allMatch(String::isEmpty)) {
            return failed(requested, "probing the python interpreter " + requested + " printed nothing");
        }
        if (out.get(0).equals("missing")) {
            return failed(requested, "python interpreter " + requested + " not found on the host"
                    + (requested.contains("/") ? "" : " (not on PATH)")
                    + "; install it (e.g. apt-get install python3) or set the venv's 'python'");
        }
        if (!out.get(0).equals("ok") || out.size() < 9) {
            String last = out.stream().filter(line -> !line.isEmpty()).reduce((a, b) -> b).orElse("");
            return failed(requested, "python interpreter " + requested + " failed to report itself: " + last);
        }
        try {
            TargetEnvironment environment = new TargetEnvironment(out.get(2), out.get(3), out.get(4), out.get(8),
                    libc(out.get(5)), out.get(6), out.get(7));
            return new PythonFacts(requested, Optional.of(out.get(1)), Optional.of(environment), Optional.empty());
        } catch (IllegalArgumentException e) {
            return failed(requested, "python interpreter " + requested + ": " + e.getMessage());
        }
    }

    private static Libc libc(String text) {
        String[] parts = text.split("\\s+");
        if (parts.length == 2) {
            String[] version = parts[1].split("\\.");
            if (version.length >= 2 && version[0].matches("[0-9]{1,6}") && version[1].matches("[0-9]{1,6}")) {
                int major = Integer.parseInt(version[0]);
                int minor = Integer.parseInt(version[1]);
                if (parts[0].equals("glibc")) {
                    return new Libc.Glibc(major, minor);
                }
                if (parts[0].equals("musl")) {
                    return new Libc.Musl(major, minor);
                }
            }
        }
        throw new IllegalArgumentException("cannot tell the C library (glibc or musl) from '" + text + "'");
    }

    private static PythonFacts failed(String requested, String problem) {
        return new PythonFacts(requested, Optional.empty(), Optional.empty(), Optional.of(problem));
    }
}
