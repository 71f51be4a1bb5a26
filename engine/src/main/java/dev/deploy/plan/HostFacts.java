package dev.deploy.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.HostScript;
import dev.deploy.secret.SecretKey;
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
 * Gathers a {@link HostState} in one round trip: a read-only script ({@code facts.sh}) prints the current generation,
 * its manifest and failure mark, the generations and store paths present, the activation watchdog's state, whether
 * systemd runs, the architecture and free space, and on request who holds each service's unit file name and what
 * the host's Python interpreters are (for venvs), and the live generation's drift ({@link HostDrift}: services
 * stopped, store paths that no longer match their checksum lists).
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
        return gather(connection, layout, pythons, List.of());
    }

    /** Like {@link #gather(HostConnection, HostLayout, List)}, also reporting who holds each of {@code units}. */
    public static HostState gather(HostConnection connection, HostLayout layout, List<String> pythons,
                                   List<String> units) {
        return gather(connection, layout, pythons, units, HostDrift.program(layout, HostDrift.Check.FAST, true,
                false));
    }

    /** Like {@link #gather(HostConnection, HostLayout, List, List)}, with {@code drift} as the drift program. */
    public static HostState gather(HostConnection connection, HostLayout layout, List<String> pythons,
                                   List<String> units, String drift) {
        return gather(connection, layout, pythons, units, List.of(), drift);
    }

    /**
     * As above, also asking whether the host has each of {@code accounts} ({@code user NAME} or {@code group NAME},
     * {@link SecretAccounts#accounts}).
     */
    public static HostState gather(HostConnection connection, HostLayout layout, List<String> pythons,
                                   List<String> units, List<String> accounts, String drift) {
        CommandResult result;
        try {
            result = connection.run(program(layout, pythons, units, accounts, drift));
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "gather facts", e.getMessage(), e);
        }
        if (!result.ok() || !result.stdoutText().contains(END_LINE)) {
            throw DeployException.host(connection.hostName(), "gather facts", result.lastErrorLine());
        }
        return parse(connection.hostName(), result.stdoutText(), pythons, units, accounts);
    }

    /**
     * The facts program ({@code facts.sh} with its values): read-only, prints the sections {@link #parse} reads and
     * ends with {@link #END_LINE}. The only place the facts script is prepared: {@link #gather} runs it alone,
     * {@code HostLock} runs it once the lock is held, so that the two take one round trip.
     *
     * @param units unit file names ({@code web.service}) whose holder to report
     */
    public static String program(HostLayout layout, List<String> pythons, List<String> units) {
        return program(layout, pythons, units, HostDrift.program(layout, HostDrift.Check.FAST, true, false));
    }

    /** As above, with {@code drift} (a {@link HostDrift#program}, or empty) run before the end line. */
    public static String program(HostLayout layout, List<String> pythons, List<String> units, String drift) {
        return program(layout, pythons, units, List.of(), drift);
    }

    /** As above, also asking about {@code accounts} ({@code user NAME} or {@code group NAME}). */
    public static String program(HostLayout layout, List<String> pythons, List<String> units, List<String> accounts,
                                 String drift) {
        return HostScript.load(HostFacts.class, "facts")
                .with("state", layout.stateDir())
                .with("current", layout.current())
                .with("generations", layout.generations())
                .with("store", layout.store())
                .with("watchdog_state", layout.watchdogState())
                .with("takenover", layout.takenOver())
                .with("secrets_dir", layout.secrets())
                .with("secret_key", layout.secretKey())
                .with("unit_dir", HostLayout.SYSTEMD_UNIT_DIR)
                .with("unit_search", lines(HostLayout.SYSTEMD_OTHER_UNIT_DIRS))
                .with("units", lines(units))
                .with("pythons", lines(pythons))
                .with("accounts", lines(accounts))
                .with("probe", PYTHON_PROBE)
                .with("drift", drift)
                .text();
    }

    /** Values joined one per line, for a script's list parameter; a value with a line break cannot be one. */
    static String lines(List<String> values) {
        for (String value : values) {
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw DeployException.input(null, null, "a name sent to a host cannot contain a line break: "
                        + DeployException.oneLine(value));
            }
        }
        return String.join("\n", values);
    }

    static HostState parse(String hostName, String output) {
        return parse(hostName, output, List.of(), List.of());
    }

    /** Parses what the facts program printed into the host's state. */
    public static HostState parse(String hostName, String output, List<String> pythons) {
        return parse(hostName, output, pythons, List.of());
    }

    /**
     * Parses what the facts program printed into the host's state.
     *
     * @throws DeployException of kind HOST (step {@code gather facts}) for a host state deploy cannot have made: a
     *                         generation number out of range, {@code current} pointing elsewhere than to a
     *                         generation, a damaged manifest of the live generation
     */
    public static HostState parse(String hostName, String output, List<String> pythons, List<String> units) {
        return parse(hostName, output, pythons, units, List.of());
    }

    /** As above, for facts that also asked about {@code accounts}. */
    public static HostState parse(String hostName, String output, List<String> pythons, List<String> units,
                                  List<String> accounts) {
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
        List<Integer> generations = new ArrayList<>();
        for (String name : sections.getOrDefault("generations", List.of())) {
            if (name.matches("[0-9]+")) {
                generations.add(generationNumber(hostName, name, "generations/" + name));
            }
        }
        generations.sort(null);
        Optional<Integer> currentNumber = first(sections, "current").map(target -> currentNumber(hostName, target));
        currentNumber.ifPresent(number -> {
            if (!generations.contains(number)) {
                throw DeployException.host(hostName, "gather facts", "current points to generations/" + number
                        + ", which does not exist (odd host state: point current at an existing generation)");
            }
        });
        String manifestText = String.join("\n", sections.getOrDefault("manifest", List.of())).strip();
        Optional<GenerationManifest> manifest = Optional.empty();
        if (!manifestText.isEmpty()) {
            try {
                manifest = Optional.of(GenerationManifest.fromJson(manifestText));
            } catch (JsonProcessingException e) {
                throw DeployException.host(hostName, "gather facts", "the current generation's manifest.json is damaged: "
                        + e.getOriginalMessage());
            }
        } else if (currentNumber.isPresent()) {
            throw DeployException.host(hostName, "gather facts", "the current generation "
                    + currentNumber.get() + " has an empty or missing manifest.json (odd host state)");
        }
        Set<StorePath> store = new TreeSet<>();
        for (String name : sections.getOrDefault("store", List.of())) {
            if (StorePath.isValid(name)) {
                store.add(StorePath.parse(name));
            }
        }
        boolean systemd = first(sections, "systemd").map("yes"::equals).orElse(false);
        String arch = first(sections, "arch").orElse("unknown");
        long free = first(sections, "free").filter(s -> s.matches("[0-9]{1,15}")).map(k -> Long.parseLong(k) * 1024)
                .orElse(-1L);
        Map<String, PythonFacts> pythonFacts = new HashMap<>();
        for (int i = 0; i < pythons.size(); i++) {
            pythonFacts.put(pythons.get(i), PythonFacts.parse(pythons.get(i),
                    sections.getOrDefault("python." + i, List.of())));
        }
        Optional<String> currentFailure = currentNumber.isEmpty() ? Optional.empty()
                : Optional.of(String.join(" ", sections.getOrDefault("current-failed", List.of())).strip())
                        .filter(s -> !s.isEmpty());
        Optional<HostState.ActivationState> activation = first(sections, "watchdog")
                .flatMap(line -> activationState(hostName, line));
        Map<String, HostState.UnitHolder> unitHolders = new HashMap<>();
        for (String unit : units) {
            List<String> lines = sections.getOrDefault("unit " + unit, List.of()).stream()
                    .filter(s -> !s.isBlank()).toList();
            unitHolders.put(unit, unitHolder(lines));
        }
        Optional<String> keyText = first(sections, "secret-key");
        boolean keyUnreadable = keyText.filter("unreadable"::equals).isPresent();
        Optional<SecretKey> secretKey = keyText.map(SecretKey::parseHex);
        Set<String> secretVersions = new TreeSet<>();
        for (String name : sections.getOrDefault("secret-versions", List.of())) {
            if (!name.isEmpty() && !name.startsWith(".") && !name.equals("key")) {
                secretVersions.add(name);
            }
        }
        Set<String> missingAccounts = new TreeSet<>();
        for (String line : sections.getOrDefault("accounts", List.of())) {
            if (line.startsWith("missing ")) {
                missingAccounts.add(line.substring("missing ".length()));
            }
        }
        // accounts asked about but not answered (facts cut short) count as unchecked, never as present
        Set<String> checkedAccounts = sections.containsKey("accounts") ? Set.copyOf(accounts) : Set.of();
        return new HostState(currentNumber, manifest, generations, store, systemd, arch, free, pythonFacts,
                currentFailure, activation, unitHolders, new HostState.SecretFacts(secretKey, secretVersions,
                keyUnreadable, checkedAccounts, missingAccounts), HostDrift.parse(sections));
    }

    /** A generation directory's name as a number deploy can use, or a host error naming it. */
    public static int generationNumber(String hostName, String name, String what) {
        if (!name.matches("[1-9][0-9]{0,9}") || Long.parseLong(name) > HostState.MAX_GENERATION) {
            throw DeployException.host(hostName, "gather facts", what + " is not a generation number deploy can"
                    + " use (1 to " + HostState.MAX_GENERATION + "): odd host state; move it out of the generations"
                    + " directory");
        }
        return Integer.parseInt(name);
    }

    private static int currentNumber(String hostName, String target) {
        String prefix = target.startsWith("/") ? target.substring(0, Math.max(0, target.lastIndexOf("/generations/")))
                + "/generations/" : "generations/";
        if (!target.startsWith(prefix) || target.substring(prefix.length()).contains("/")) {
            throw DeployException.host(hostName, "gather facts", "current points to " + target
                    + ", not to a generation (odd host state)");
        }
        return generationNumber(hostName, target.substring(prefix.length()), "current -> " + target);
    }

    private static Optional<HostState.ActivationState> activationState(String hostName, String line) {
        String[] words = line.strip().split(" ");
        if (words.length < 4 || !words[2].matches("[0-9]{1,10}") || !words[3].matches("[0-9]{1,10}")
                || Long.parseLong(words[2]) > HostState.MAX_GENERATION
                || Long.parseLong(words[3]) > HostState.MAX_GENERATION) {
            if (line.startsWith("armed ")) {
                throw DeployException.host(hostName, "gather facts", "the watchdog's state is damaged: "
                        + DeployException.oneLine(line));
            }
            return Optional.empty();
        }
        return Optional.of(new HostState.ActivationState(words[0], words[1], Integer.parseInt(words[2]),
                Integer.parseInt(words[3])));
    }

    private static HostState.UnitHolder unitHolder(List<String> lines) {
        if (lines.isEmpty()) {
            return new HostState.UnitHolder(HostState.UnitHolder.Kind.ABSENT, "", false);
        }
        boolean saved = lines.contains("saved");
        String first = lines.get(0);
        if (first.equals("absent")) {
            return new HostState.UnitHolder(HostState.UnitHolder.Kind.ABSENT, "", saved);
        }
        if (first.equals("ours")) {
            return new HostState.UnitHolder(HostState.UnitHolder.Kind.OURS, "", saved);
        }
        String detail = first.startsWith("link ") ? "a link " + first.substring(5)
                : first.startsWith("file ") ? first.substring(5) : first;
        return new HostState.UnitHolder(HostState.UnitHolder.Kind.FOREIGN, detail, saved);
    }

    private static Optional<String> first(Map<String, List<String>> sections, String name) {
        return sections.getOrDefault(name, List.of()).stream().map(String::strip).filter(s -> !s.isEmpty())
                .findFirst();
    }
}
