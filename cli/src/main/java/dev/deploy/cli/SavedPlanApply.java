package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.fleet.Deployment;
import dev.deploy.inventory.Host;
import dev.deploy.plan.DesiredGeneration;
import dev.deploy.plan.SavedPlan;
import dev.deploy.Location;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code deploy apply FILE} (or {@code deploy apply INVENTORY FILE}): applies a plan saved by
 * {@code deploy plan --out FILE} exactly. The hosts are the plan's; before any host is touched, each host's
 * generation evaluated now from the local inputs must be the planned one (else exit 3); under each host's lock, the
 * host must still be in the state the plan was made from, and the plan made again from it must do exactly what was
 * planned ({@link SavedPlan.HostEntry#differenceFrom}; else that host fails with step {@code check plan}).
 */
final class SavedPlanApply {

    private final Path file;
    private final SavedPlan plan;

    private SavedPlanApply(Path file, SavedPlan plan) {
        this.file = file;
        this.plan = plan;
    }

    /** Reads the plan file; an unreadable or invalid one is bad input naming the file. */
    static SavedPlanApply read(Path file) {
        return new SavedPlanApply(file, SavedPlan.read(file));
    }

    /** Whether {@code path} is a saved plan rather than an inventory (a JSON object whose format says so). */
    static boolean isPlanFile(Path path) {
        if (path == null || !Files.isRegularFile(path)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            String head = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            return head.stripLeading().startsWith("{") && head.contains("\"" + SavedPlan.FORMAT + "\"");
        } catch (IOException e) {
            return false;
        }
    }

    /** The inventory the plan was made with, as given to {@code deploy plan}. */
    Path inventory() {
        return Path.of(plan.inventory());
    }

    /** The plan's hosts, as {@code --on} selectors. */
    List<String> hostNames() {
        return plan.hosts().stream().map(SavedPlan.HostEntry::host).toList();
    }

    /**
     * {@code error} in the plan's words when it is the selection of one of the plan's hosts failing (the plan's hosts
     * are the selection): that host is no longer in the inventory. Any other error is returned as it is.
     */
    DeployException explainSelection(DeployException error) {
        Optional<String> host = error.field().filter(f -> f.startsWith("--on ")).map(f -> f.substring(5))
                .filter(name -> plan.host(name).isPresent());
        if (error.kind() != DeployException.Kind.INPUT || host.isEmpty()) {
            return error;
        }
        return DeployException.input(new Location(file.toString(), 0, 0), "hosts", "host '" + host.get()
                + "' of the plan is not in " + plan.inventory() + " any more (removed or renamed since the plan was "
                + "made); make and review a new plan");
    }

    /**
     * Checks, for every host, that the inventory still reaches and activates it as planned and that the local inputs
     * still produce the planned generation (exit 3 otherwise). A host whose generation cannot be known now
     * (unreachable when its venvs need its facts) is left to fail alone.
     */
    void checkReproduced(Deployment deployment) {
        for (Host host : deployment.hosts()) {
            SavedPlan.HostEntry entry = plan.host(host.name()).orElseThrow(() -> DeployException.input(
                    new Location(file.toString(), 0, 0), "hosts", "host " + host.name() + " is not in the plan"));
            SavedPlan.checkTarget(entry, host, file.toString());
            DesiredGeneration desired;
            try {
                desired = deployment.desired(host);
            } catch (DeployException e) {
                if (e.kind() == DeployException.Kind.INPUT) {
                    throw e;
                }
                continue;
            }
            SavedPlan.checkReproduced(entry, host, desired, file.toString());
        }
    }

    /**
     * One line per host whose planned generation has secrets but whose plan cannot pin their values (the host had
     * no secret-naming key when the plan was made): apply sends the values read now, which nobody reviewed.
     */
    List<String> unpinnedSecretWarnings() {
        return plan.hosts().stream()
                .filter(h -> !h.generation().secretVersions().isEmpty() && !h.base().pinsSecrets())
                .map(h -> "deploy: warning: " + file + ": " + h.host() + ": the host had no secret key when the plan"
                        + " was made, so the plan does not pin secret values; apply sends the values read now")
                .toList();
    }

    /** {@code host}'s entry of the plan: the state it was made from and what it does. */
    Optional<SavedPlan.HostEntry> entry(Host host) {
        return plan.host(host.name());
    }
}
