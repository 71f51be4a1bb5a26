package dev.deploy.activation;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostScript;
import dev.deploy.inventory.ActivationPolicy;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import dev.deploy.store.HostLayout;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The host programs of an {@link Activation}: {@code activate.sh}, {@code revert.sh} (its undo, stored on the host),
 * {@code watchdog.sh}, {@code confirm.sh} and {@code undo.sh}, each rendered with its values, and what they print
 * parsed back. Every list handed to a script is one name per line; names are checked first (a service name, a root
 * role made of plain path parts), so no value can add a line or leave the generation's directory.
 */
final class ActivationScripts {

    private ActivationScripts() {
    }

    /** Exit codes of {@code activate.sh}. */
    enum Exit implements HostScript.ExitCode {
        ACTIVATED(0), PREPARE(20), MANIFEST_CUT(21), FOREIGN_UNIT(22), RESTORED(23), NOT_RESTORED(24);

        private final int code;

        Exit(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }

        static Optional<Exit> of(int code) {
            for (Exit exit : values()) {
                if (exit.code == code) {
                    return Optional.of(exit);
                }
            }
            return Optional.empty();
        }
    }

    /** Exit codes of {@code revert.sh} (and of {@code undo.sh}, which runs it). */
    enum RevertExit implements HostScript.ExitCode {
        REVERTED(0), NOT_PENDING(30), INCOMPLETE(31), NOT_YET(32);

        private final int code;

        RevertExit(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** Exit codes of {@code confirm.sh}. */
    enum ConfirmExit implements HostScript.ExitCode {
        CONFIRMED(0), REVERTED(40), UNKNOWN(41), BUSY(42);

        private final int code;

        ConfirmExit(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** {@code activate.sh} with the values of {@code transition}; the manifest goes to its stdin. */
    static String activate(HostLayout layout, ServiceManager services, ActivationPolicy policy, boolean guarded,
                           Activation.Transition transition, String token, byte[] manifest, int confirmSeconds) {
        GenerationManifest to = transition.to();
        GenerationManifest from = transition.from().orElse(null);
        List<String> roots = new ArrayList<>();
        to.roots().forEach((role, path) -> roots.add(checkedRole(role) + "\t" + path));
        List<String> units = new ArrayList<>();
        to.services().forEach((service, entry) -> units.add(unit(service) + "\t" + entry.unit()));
        List<String> secrets = new ArrayList<>();
        to.secretVersions().forEach((role, version) -> secrets.add(checkedRole(role.substring("secret/".length()))
                + "\t" + checkedRole(version)));
        List<String> stop = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        List<String> start = new ArrayList<>();
        for (HostPlan.ServiceChange change : transition.forward()) {
            switch (change.action()) {
                case STOP -> stop.add(unit(change.service()));
                case RESTART -> restart.add(unit(change.service()));
                case START -> start.add(unit(change.service()));
            }
        }
        List<String> takeOver = policy.takeOver().stream().map(ActivationScripts::unit).toList();
        int number = to.number();
        return HostScript.load(ActivationScripts.class, "activate")
                .with("state", layout.stateDir())
                .with("store", layout.store())
                .with("current", layout.current())
                .with("current_new", layout.currentNew())
                .with("number", number)
                .with("previous", transition.fromNumber())
                .with("write", transition.write() ? "1" : "0")
                .with("staging", layout.staging(number))
                .with("target", layout.generation(number))
                .with("manifest_bytes", manifest.length)
                .with("manifest_sha256", sha256(manifest))
                .with("roots", String.join("\n", roots))
                .with("units", String.join("\n", units))
                .with("secrets", String.join("\n", secrets))
                .with("secrets_dir", layout.secrets())
                .with("systemd", services.runsServices() ? "1" : "0")
                .with("unit_dir", HostLayout.SYSTEMD_UNIT_DIR)
                .with("unit_search", String.join("\n", HostLayout.SYSTEMD_OTHER_UNIT_DIRS))
                .with("takenover", layout.takenOver())
                .with("take_over", String.join("\n", takeOver))
                .with("stop", String.join("\n", stop))
                .with("restart", String.join("\n", restart))
                .with("start", String.join("\n", start))
                .with("reload", reloads(transition) ? "1" : "0")
                .with("wd_lock", layout.watchdogLock())
                .with("wd_state", layout.watchdogState())
                .with("wd_deadline", layout.watchdogDeadline())
                .with("wd_revert", layout.watchdogRevert())
                .with("wd_program", layout.watchdogProgram())
                .with("wd_log", layout.watchdogLog())
                .with("token", token)
                .with("failed_mark", layout.failedMark(number))
                .with("guard", guarded ? "auto" : "none")
                .with("watchdog_unit", "deploy-watchdog-" + number + "-" + token)
                .with("boot_unit", HostLayout.BOOT_WATCHDOG_UNIT)
                .with("boot_unit_text", bootUnitText())
                .with("confirm_seconds", confirmSeconds)
                .with("revert_program", revert(layout, services, transition, token))
                .with("watchdog_program", HostScript.load(ActivationScripts.class, "watchdog")
                        .with("wd_state", layout.watchdogState())
                        .with("wd_deadline", layout.watchdogDeadline())
                        .with("wd_revert", layout.watchdogRevert())
                        .with("token", token)
                        .text())
                .text();
    }

    /** {@code revert.sh} with the values that undo {@code transition}. */
    static String revert(HostLayout layout, ServiceManager services, Activation.Transition transition, String token) {
        GenerationManifest to = transition.to();
        GenerationManifest from = transition.from().orElse(null);
        List<String> keep = from == null ? List.of() : from.services().keySet().stream().map(ActivationScripts::unit).toList();
        List<String> remove = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        List<String> start = new ArrayList<>();
        for (HostPlan.ServiceChange change : back(transition)) {
            switch (change.action()) {
                case STOP -> remove.add(unit(change.service()));
                case RESTART -> restart.add(unit(change.service()));
                case START -> start.add(unit(change.service()));
            }
        }
        return HostScript.load(ActivationScripts.class, "revert")
                .with("current", layout.current())
                .with("current_new", layout.currentNew())
                .with("number", to.number())
                .with("previous", transition.fromNumber())
                .with("systemd", services.runsServices() ? "1" : "0")
                .with("unit_dir", HostLayout.SYSTEMD_UNIT_DIR)
                .with("takenover", layout.takenOver())
                .with("keep", String.join("\n", keep))
                .with("remove", String.join("\n", remove))
                .with("restart", String.join("\n", restart))
                .with("start", String.join("\n", start))
                .with("reload", unitsDiffer(to, from) ? "1" : "0")
                .with("wd_lock", layout.watchdogLock())
                .with("wd_state", layout.watchdogState())
                .with("wd_deadline", layout.watchdogDeadline())
                .with("token", token)
                .with("failed_mark", layout.failedMark(to.number()))
                .text();
    }

    /** The service actions that undo {@code transition}'s: its stops become starts and so on. */
    static List<HostPlan.ServiceChange> back(Activation.Transition transition) {
        List<HostPlan.ServiceChange> back = new ArrayList<>();
        for (HostPlan.ServiceChange change : transition.forward()) {
            HostPlan.ServiceAction action = switch (change.action()) {
                case START -> HostPlan.ServiceAction.STOP;
                case STOP -> HostPlan.ServiceAction.START;
                case RESTART -> HostPlan.ServiceAction.RESTART;
            };
            back.add(new HostPlan.ServiceChange(change.service(), action));
        }
        return back;
    }

    /** Whether the switch of {@code transition} must re-read unit files: one changed, or one was repaired. */
    static boolean reloads(Activation.Transition transition) {
        return transition.unitsRepaired() || unitsDiffer(transition.from().orElse(null), transition.to());
    }

    /** Whether systemd must re-read unit files going from {@code from} to {@code to}: a unit added, removed or changed. */
    static boolean unitsDiffer(GenerationManifest from, GenerationManifest to) {
        java.util.Map<String, String> before = new java.util.TreeMap<>();
        java.util.Map<String, String> after = new java.util.TreeMap<>();
        if (from != null) {
            from.services().forEach((service, entry) -> before.put(service, entry.unit()));
        }
        if (to != null) {
            to.services().forEach((service, entry) -> after.put(service, entry.unit()));
        }
        return !before.equals(after);
    }

    static String unit(String service) {
        if (!service.matches("[A-Za-z0-9][A-Za-z0-9._@-]*")) {
            throw new IllegalArgumentException("not a service name: " + DeployException.oneLine(service));
        }
        return service + ".service";
    }

    /** A root's role becomes a path under roots/: each part a plain name, never {@code .} or {@code ..}. */
    private static String checkedRole(String role) {
        for (String part : role.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || !part.matches("[A-Za-z0-9._@+-]+")) {
                throw new IllegalArgumentException("not a root role: " + DeployException.oneLine(role));
            }
        }
        return role;
    }

    /** The text of {@link HostLayout#BOOT_WATCHDOG_UNIT}, a resource next to this class. */
    static String bootUnitText() {
        try (java.io.InputStream in = ActivationScripts.class.getResourceAsStream(HostLayout.BOOT_WATCHDOG_UNIT)) {
            if (in == null) {
                throw new IllegalStateException("resource " + HostLayout.BOOT_WATCHDOG_UNIT + " is missing");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String confirm(HostLayout layout, String token, int number) {
        return HostScript.load(ActivationScripts.class, "confirm")
                .with("wd_lock", layout.watchdogLock())
                .with("wd_state", layout.watchdogState())
                .with("token", token)
                .with("number", number)
                .with("failed_mark", layout.failedMark(number))
                .text();
    }

    static String undo(HostLayout layout, String reason) {
        return HostScript.load(ActivationScripts.class, "undo")
                .with("wd_revert", layout.watchdogRevert())
                .with("current", layout.current())
                .with("reason", reason)
                .text();
    }

    /** What {@code undo.sh} said: its exit, its last line before the current marker, and the live generation. */
    record Undo(RevertExit exit, String line, Optional<Integer> live) {
        int liveOr(int fallback) {
            return live.orElse(fallback);
        }
    }

    static Undo parseUndo(CommandResult result) {
        String line = "";
        Optional<Integer> live = Optional.empty();
        for (String text : result.stdoutText().split("\n")) {
            if (text.startsWith("@@deploy:current ")) {
                String target = text.substring("@@deploy:current ".length()).strip();
                String number = target.substring(target.lastIndexOf('/') + 1);
                live = number.matches("[1-9][0-9]{0,8}") ? Optional.of(Integer.parseInt(number))
                        : target.isEmpty() ? Optional.of(0) : Optional.empty();
            } else if (!text.isBlank()) {
                line = text.strip();
            }
        }
        RevertExit exit = RevertExit.INCOMPLETE;
        for (RevertExit candidate : RevertExit.values()) {
            if (candidate.code() == result.exitCode()) {
                exit = candidate;
            }
        }
        if (exit == RevertExit.INCOMPLETE && line.isEmpty()) {
            line = "exit " + result.exitCode() + ": " + result.lastErrorLine();
        }
        return new Undo(exit, line, live);
    }

    /** The step markers activate.sh printed. */
    record Report(List<String> steps, String failedStep, String failedDetail, String notRestored,
                  Optional<String> guard) {

        static Report of(String stdout) {
            List<String> steps = new ArrayList<>();
            String failedStep = "activate";
            String failedDetail = "";
            String notRestored = "";
            Optional<String> guard = Optional.empty();
            for (String line : stdout.split("\n")) {
                if (line.startsWith("@@deploy:step ")) {
                    steps.add(line.substring("@@deploy:step ".length()).strip());
                } else if (line.startsWith("@@deploy:failed ")) {
                    String rest = line.substring("@@deploy:failed ".length());
                    int space = rest.indexOf(' ');
                    failedStep = space < 0 ? rest : rest.substring(0, space);
                    failedDetail = space < 0 ? "" : rest.substring(space + 1).strip();
                } else if (line.startsWith("@@deploy:not-restored ")) {
                    notRestored = line.substring("@@deploy:not-restored ".length()).strip();
                } else if (line.startsWith("@@deploy:guard ")) {
                    String value = line.substring("@@deploy:guard ".length()).strip();
                    guard = value.equals("none") ? Optional.empty() : Optional.of(value);
                }
            }
            return new Report(List.copyOf(steps), failedStep, failedDetail, notRestored, guard);
        }

        boolean switched() {
            return steps.contains("switched");
        }

        String lastStep() {
            return steps.isEmpty() ? "activate" : steps.get(steps.size() - 1);
        }
    }
}
