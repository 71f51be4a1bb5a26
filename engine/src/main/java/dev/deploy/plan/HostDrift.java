package dev.deploy.plan;

import dev.deploy.DeployException;
import dev.deploy.host.HostScript;
import dev.deploy.store.HostLayout;
import dev.deploy.store.StorePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How a host's live generation differs from what deploy left there (drift), as {@code drift.sh} reports it: the
 * state of each of its services as systemd shows it, the integrity of each live store path against the lists it was
 * sealed with ({@code STATE/store/.meta/SP}), and, for {@code deploy status}, leftovers of interrupted runs and who
 * holds the deploy lock. Read-only on the host; empty parts mean "not asked for".
 *
 * @param services  by unit file name ({@code web.service}); empty when not asked for or the host has no systemd
 * @param paths     each live store path's check; empty when not asked for
 * @param leftovers paths of transfers and generations in progress ({@code store/.incoming-*}, {@code generations/.new-*},
 *                  {@code .current.new}); a deploy that holds the lock may be writing them right now
 * @param lock      who holds the deploy lock; empty when not asked for
 */
public record HostDrift(SortedMap<String, ServiceState> services, SortedMap<StorePath, PathCheck> paths,
                        List<String> leftovers, Optional<LockState> lock, SortedMap<String, String> secrets) {

    /** Nothing was checked. */
    public static final HostDrift NONE = new HostDrift(new TreeMap<>(), new TreeMap<>(), List.of(), Optional.empty());

    /**
     * @param secrets the live generation's secret files by {@code MODULE.NAME}: {@code OWNER GROUP UID GID MODE}
     *                ({@code root root 0 0 0400}) or {@code missing}; empty when not checked
     */
    public HostDrift {
        services = new TreeMap<>(services);
        paths = new TreeMap<>(paths);
        leftovers = List.copyOf(leftovers);
        secrets = new TreeMap<>(secrets);
    }

    /** Without the secret files' check. */
    public HostDrift(SortedMap<String, ServiceState> services, SortedMap<StorePath, PathCheck> paths,
                     List<String> leftovers, Optional<LockState> lock) {
        this(services, paths, leftovers, lock, new TreeMap<>());
    }

    /** How thoroughly live store paths are checked. */
    public enum Check {
        /** Not at all. */
        NONE,
        /** Entries, kinds, modes and link targets as sealed, and no sealed file modified after sealing (mtime). */
        FAST,
        /** As FAST, and every sealed file's SHA-256 compared with its checksum list (reads every byte). */
        FULL
    }

    /**
     * A service's state as {@code systemctl show} gives it: {@code ActiveState} ({@code active}, {@code inactive},
     * {@code failed}, {@code activating}, {@code deactivating}, {@code reloading}), {@code SubState} ({@code running},
     * {@code dead}, {@code auto-restart}, ...) and {@code LoadState} ({@code loaded}, {@code not-found}, ...); see
     * systemd.unit(5) and systemctl(1).
     */
    public record ServiceState(String active, String sub, String load, List<String> overrides,
                               List<String> unlinked) {

        /** Host text: escaped to one line. */
        public ServiceState {
            active = DeployException.oneLine(active);
            sub = DeployException.oneLine(sub);
            load = DeployException.oneLine(load);
            overrides = overrides.stream().map(DeployException::oneLine).toList();
            unlinked = unlinked.stream().map(DeployException::oneLine).toList();
        }

        /** A state whose unit deploy's links still name. */
        public ServiceState(String active, String sub, String load, List<String> overrides) {
            this(active, sub, load, overrides, List.of());
        }

        /** A state without overrides. */
        public ServiceState(String active, String sub, String load) {
            this(active, sub, load, List.of());
        }

        /** active, inactive, failed, restarting (waiting to be restarted by systemd), or systemd's own word. */
        public String label() {
            if (active.equals("activating") && sub.equals("auto-restart")) {
                return "restarting";
            }
            return active.isEmpty() ? "unknown" : active;
        }

        /** Should run but does not, and systemd will not start it by itself: inactive or failed. */
        public boolean stopped() {
            return active.equals("inactive") || active.equals("failed");
        }

        /**
         * Whether the state is what a deployed service should be in: active (or reloading, or starting up), from
         * deploy's unit alone. A service that systemd keeps restarting ({@code activating auto-restart}) is not,
         * although apply leaves it to systemd; nor is one with {@link #overrides}.
         */
        public boolean expected() {
            return overrides.isEmpty() && unlinked.isEmpty() && (active.equals("active") || active.equals("reloading")
                    || active.equals("activating") && !sub.equals("auto-restart"));
        }
    }

    /** The result of checking one live store path: a closed set. */
    public sealed interface PathCheck {

        /** Everything checked matches what was sealed. */
        record Ok() implements PathCheck {
        }

        /** Could not be checked ({@code reason}: no checksum list, an older list format, ...). */
        record Unknown(String reason) implements PathCheck {

            /** Host text: escaped to one line (no control characters reach a terminal). */
            public Unknown {
                reason = DeployException.oneLine(reason);
            }
        }

        /**
         * Differs from what was sealed: {@code what} is {@code missing} (the directory is gone), {@code entry} (a
         * sealed entry is gone or its kind, mode or link target changed; {@code detail} is its record),
         * {@code modified} (a sealed file was written after sealing) or {@code content} (a file's SHA-256 differs;
         * only with {@link Check#FULL}); {@code detail} is the first such path.
         */
        record Damaged(String what, String detail) implements PathCheck {

            /** Host text (a file name may hold ESC or a newline): escaped to one line. */
            public Damaged {
                what = DeployException.oneLine(what);
                detail = DeployException.oneLine(detail);
            }

            /** One phrase: {@code modified: index.html}. */
            public String describe() {
                return switch (what) {
                    case "missing" -> "the directory is gone";
                    case "entry" -> "entry changed or gone: " + detail;
                    case "modified" -> "file modified after sealing: " + detail;
                    case "content" -> "content differs from its checksum: " + detail;
                    default -> what + " " + detail;
                };
            }
        }
    }

    /** Whether the deploy lock is held, and by whom ({@code lock.owner}'s line). */
    public record LockState(Status status, String holder) {

        /** Host text: escaped to one line. */
        public LockState {
            holder = DeployException.oneLine(holder);
        }

        public enum Status { FREE, HELD, UNKNOWN }
    }

    /** The live store paths that failed their check. */
    public List<StorePath> damaged() {
        return paths.entrySet().stream().filter(e -> e.getValue() instanceof PathCheck.Damaged)
                .map(Map.Entry::getKey).toList();
    }

    /**
     * The drift program: {@code drift.sh} with its values. Read-only; prints the sections {@link #parse} reads.
     *
     * @param services whether to report the live generation's services (needs systemd on the host)
     * @param extra    whether to report leftovers and the lock holder
     */
    public static String program(HostLayout layout, Check check, boolean services, boolean extra) {
        return program(layout, check, services, extra, List.of());
    }

    /**
     * As above, also checking {@code paths} besides the live generation's store paths (those the host has): the
     * store paths a new generation takes over from older ones, or those of a generation a rollback would switch to.
     */
    public static String program(HostLayout layout, Check check, boolean services, boolean extra,
                                 java.util.Collection<StorePath> paths) {
        return HostScript.load(HostDrift.class, "drift")
                .with("paths", String.join("\n", paths.stream().map(StorePath::toString).sorted().toList()))
                .with("store", layout.store())
                .with("meta", layout.meta())
                .with("current", layout.current())
                .with("generations", layout.generations())
                .with("current_new", layout.currentNew())
                .with("lock", layout.lock())
                .with("lock_owner", layout.lockOwner())
                .with("check", check.name().toLowerCase(java.util.Locale.ROOT))
                .with("services", services ? "1" : "0")
                .with("unit_dir", HostLayout.SYSTEMD_UNIT_DIR)
                .with("extra", extra ? "1" : "0")
                .text();
    }

    /** Reads the drift sections out of a facts output already split into sections (by name, lines). */
    static HostDrift parse(Map<String, List<String>> sections) {
        SortedMap<String, ServiceState> services = new TreeMap<>();
        SortedMap<StorePath, PathCheck> paths = new TreeMap<>();
        List<String> leftovers = new ArrayList<>();
        Optional<LockState> lock = Optional.empty();
        SortedMap<String, String> secrets = new TreeMap<>();
        Map<String, List<String>> ordered = new LinkedHashMap<>(sections);
        for (Map.Entry<String, List<String>> section : ordered.entrySet()) {
            String name = section.getKey();
            List<String> lines = section.getValue().stream().filter(s -> !s.isBlank()).toList();
            if (name.startsWith("drift-service ")) {
                String[] words = (lines.isEmpty() ? "" : lines.get(0)).strip().split(" ", -1);
                List<String> rest = lines.subList(Math.min(1, lines.size()), lines.size());
                services.put(name.substring("drift-service ".length()), new ServiceState(word(words, 0),
                        word(words, 1), word(words, 2), overrides(rest), rest.stream()
                        .filter(l -> l.startsWith("unlinked ")).map(l -> l.substring("unlinked ".length())).toList()));
            } else if (name.startsWith("drift-path ")) {
                String path = name.substring("drift-path ".length());
                if (StorePath.isValid(path)) {
                    paths.put(StorePath.parse(path), pathCheck(lines.isEmpty() ? "" : lines.get(0)));
                }
            } else if (name.startsWith("drift-secret ")) {
                secrets.put(DeployException.oneLine(name.substring("drift-secret ".length())),
                        DeployException.oneLine(lines.isEmpty() ? "missing" : lines.get(0).strip()));
            } else if (name.equals("drift-leftover")) {
                lines.forEach(line -> leftovers.add(DeployException.oneLine(line)));
            } else if (name.equals("drift-lock")) {
                String first = lines.isEmpty() ? "unknown" : lines.get(0).strip();
                LockState.Status status = switch (first) {
                    case "free" -> LockState.Status.FREE;
                    case "held" -> LockState.Status.HELD;
                    default -> LockState.Status.UNKNOWN;
                };
                lock = Optional.of(new LockState(status, lines.size() > 1 ? lines.get(1).strip() : ""));
            }
        }
        leftovers.sort(null);
        return new HostDrift(services, paths, leftovers, lock, secrets);
    }

    /** The lines after a service's state: {@code dropin PATH}, {@code fragment PATH}, {@code reload}. */
    private static List<String> overrides(List<String> lines) {
        List<String> overrides = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("dropin ")) {
                overrides.add("drop-in " + line.substring("dropin ".length()));
            } else if (line.startsWith("fragment ")) {
                overrides.add("unit file " + line.substring("fragment ".length()) + " is not deploy's link");
            } else if (line.strip().equals("reload")) {
                overrides.add("unit file changed on disk since systemd loaded it (daemon-reload)");
            }
        }
        return overrides;
    }

    static PathCheck pathCheck(String line) {
        if (line.equals("ok")) {
            return new PathCheck.Ok();
        }
        if (line.startsWith("damaged ")) {
            String rest = line.substring("damaged ".length());
            int space = rest.indexOf(' ');
            return space < 0 ? new PathCheck.Damaged(rest, "") : new PathCheck.Damaged(rest.substring(0, space),
                    rest.substring(space + 1));
        }
        if (line.startsWith("unknown ")) {
            return new PathCheck.Unknown(line.substring("unknown ".length()));
        }
        return new PathCheck.Unknown(line.isEmpty() ? "the check printed nothing" : line);
    }

    private static String word(String[] words, int index) {
        return index < words.length ? words[index] : "";
    }
}
