package dev.deploy.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.ShellScript;
import dev.deploy.store.HostLayout;
import dev.deploy.store.StorePath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Gathers a {@link HostState} in one round trip: a read-only script prints the current generation and its manifest,
 * the generations and store paths present, whether systemd runs, the architecture and free space, and on request
 * what the host's Python interpreters are (for venvs).
 */
public final class HostFacts {

    private static final String MARK = "@@deploy:";

    /** The line the facts end with. */
    public static final String END_LINE = MARK + "end";

    private HostFacts() {
    }

    /** Probes a Python interpreter: whether it runs, its realpath, version, implementation, platform and libc. */
    private static final String PYTHON_PROBE = String.join("\n",
            "import os, sys, platform",
            "def libc():",
            "    try:",
            "        v = os.confstr('CS_GNU_LIBC_VERSION')",
            "    except (AttributeError, ValueError, OSError):",
            "        v = None",
            "    if v:",
            "        return v",
            "    import glob, subprocess",
            "    for p in sorted(glob.glob('/lib/ld-musl-*.so.1')):",
            "        r = subprocess.run([p], stdout=subprocess.PIPE, stderr=subprocess.PIPE)",
            "        for line in r.stderr.decode('utf-8', 'replace').splitlines():",
            "            if line.startswith('Version '):",
            "                return 'musl ' + line.split()[1]",
            "    return 'unknown'",
            "print('ok')",
            "print(os.path.realpath(sys.executable))",
            "print(platform.python_version())",
            "print(sys.implementation.name)",
            "print(platform.machine())",
            "print(libc())",
            "print(platform.release())",
            "print(platform.version())",
            "print(sys.platform)",
            "");

    public static HostState gather(HostConnection connection, HostLayout layout) {
        return gather(connection, layout, List.of());
    }

    /**
     * Gathers the host's state and, in the same round trip, probes each of {@code pythons} (a path or a command
     * name looked up on the host's PATH). A missing or broken interpreter is recorded, not an error: it only
     * matters to a venv that needs it.
     */
    public static HostState gather(HostConnection connection, HostLayout layout, List<String> pythons) {
        ShellScript script = new ShellScript()
                .raw("set -u")
                .let("state", layout.stateDir());
        appendTo(script, pythons);
        CommandResult result;
        try {
            result = connection.run(script.text());
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "gather facts", e.getMessage(), e);
        }
        if (!result.ok() || !result.stdoutText().contains(END_LINE)) {
            throw DeployException.host(connection.hostName(), "gather facts", result.lastErrorLine());
        }
        return parse(connection.hostName(), result.stdoutText(), pythons);
    }

    /**
     * Appends the commands that print the facts, ending with {@link #END_LINE}, to a script that has set the shell
     * variable {@code state} to the state directory. This is the only place the facts script is written: {@link
     * #gather} runs it alone, {@code HostLock} runs it once the lock is held, so that the two take one round trip.
     */
    public static ShellScript appendTo(ShellScript script, List<String> pythons) {
        script.raw("echo '" + MARK + "current'; readlink \"$state/current\" 2>/dev/null || true")
                .raw("echo '" + MARK + "manifest'; cat \"$state/current/manifest.json\" 2>/dev/null || true")
                .raw("echo '" + MARK + "generations'; ls -1 \"$state/generations\" 2>/dev/null || true")
                .raw("echo '" + MARK + "store'; ls -1 \"$state/store\" 2>/dev/null || true")
                .raw("echo '" + MARK + "systemd'; if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1;"
                        + " then echo yes; else echo no; fi")
                .raw("echo '" + MARK + "arch'; uname -m")
                .raw("echo '" + MARK + "free'; d=\"$state\"; while [ ! -d \"$d\" ]; do d=$(dirname \"$d\"); done;"
                        + " df -Pk \"$d\" | awk 'NR==2 {print $4}'");
        if (!pythons.isEmpty()) {
            script.let("probe", PYTHON_PROBE);
        }
        for (int i = 0; i < pythons.size(); i++) {
            script.raw("echo '" + MARK + "python." + i + "'")
                    .let("py", pythons.get(i))
                    .raw("if command -v \"$py\" >/dev/null 2>&1; then \"$py\" -c \"$probe\" 2>&1 || echo \"exit code $?\";"
                            + " else echo missing; fi");
        }
        return script.raw("echo '" + END_LINE + "'");
    }

    static HostState parse(String hostName, String output) {
        return parse(hostName, output, List.of());
    }

    /** Parses what the commands of {@link #appendTo} printed into the host's state. */
    public static HostState parse(String hostName, String output, List<String> pythons) {
        Map<String, List<String>> sections = new HashMap<>();
        List<String> currentSection = null;
        for (String line : output.split("\n", -1)) {
            if (line.startsWith(MARK)) {
                currentSection = new ArrayList<>();
                sections.put(line.substring(MARK.length()), currentSection);
            } else if (currentSection != null) {
                currentSection.add(line);
            }
        }
        Optional<Integer> currentNumber = first(sections, "current")
                .map(target -> target.substring(target.lastIndexOf('/') + 1))
                .filter(number -> number.matches("[0-9]+"))
                .map(Integer::parseInt);
        String manifestText = String.join("\n", sections.getOrDefault("manifest", List.of())).strip();
        Optional<GenerationManifest> manifest = Optional.empty();
        if (!manifestText.isEmpty()) {
            try {
                manifest = Optional.of(GenerationManifest.fromJson(manifestText));
            } catch (JsonProcessingException e) {
                throw DeployException.host(hostName, "gather facts", "the current generation's manifest.json is damaged: "
                        + e.getOriginalMessage());
            }
        }
        List<Integer> generations = sections.getOrDefault("generations", List.of()).stream()
                .filter(name -> name.matches("[0-9]+"))
                .map(Integer::parseInt)
                .sorted()
                .toList();
        Set<StorePath> store = new TreeSet<>();
        for (String name : sections.getOrDefault("store", List.of())) {
            if (StorePath.isValid(name)) {
                store.add(StorePath.parse(name));
            }
        }
        boolean systemd = first(sections, "systemd").map("yes"::equals).orElse(false);
        String arch = first(sections, "arch").orElse("unknown");
        long free = first(sections, "free").filter(s -> s.matches("[0-9]+")).map(k -> Long.parseLong(k) * 1024)
                .orElse(-1L);
        Map<String, PythonFacts> pythonFacts = new HashMap<>();
        for (int i = 0; i < pythons.size(); i++) {
            pythonFacts.put(pythons.get(i), PythonFacts.parse(pythons.get(i),
                    sections.getOrDefault("python." + i, List.of())));
        }
        return new HostState(currentNumber, manifest, generations, store, systemd, arch, free, pythonFacts);
    }

    private static Optional<String> first(Map<String, List<String>> sections, String name) {
        return sections.getOrDefault(name, List.of()).stream().map(String::strip).filter(s -> !s.isEmpty())
                .findFirst();
    }
}
