package dev.deploy.cli;

import dev.deploy.event.EventSink;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostResult;
import dev.deploy.fleet.RollbackOutcome;
import dev.deploy.inventory.Host;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deploy rollback}: switch hosts back to an earlier generation. */
@Command(name = "rollback",
        header = "Switch hosts back to an earlier generation.",
        description = {"Switches each selected host to the newest generation before its current one that is not "
                + "marked failed, or to --to N (a generation marked failed only with --force), in one atomic rename "
                + "of 'current'; services whose units differ are restarted, removed ones stopped and new ones "
                + "started, then health-checked (a host that starts no services only records them). A switch that "
                + "fails its health checks or is not confirmed is undone. Nothing is pushed: the generation's store "
                + "paths must still be on the host."})
final class RollbackCommand extends HostsCommand {

    @Option(names = "--to", paramLabel = "N", order = 1, description = "Generation number to switch to.")
    Integer to;

    @Option(names = "--force", order = 2,
            description = "With --to: switch to a generation even if it is marked failed.")
    boolean force;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", order = 3,
            description = "Hosts rolled back at the same time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() {
        if (force && to == null) {
            throw CommonOptions.invalid("--force", "only with --to N: without it, rollback never picks a generation "
                    + "marked failed");
        }
        parallel(parallel);
        try (Deployment deployment = open()) {
            List<HostResult<RollbackOutcome>> results = deployment.executor(parallel, EventSink.NONE)
                    .run(deployment.hosts(), "rollback",
                            (host, events) -> host.rollback(Optional.ofNullable(to), force, events));
            int code = HostResults.exitCode(results);
            if (common.json) {
                printJson(JsonDocuments.rollback(results, deployment::stats, code));
                return code;
            }
            for (HostResult<RollbackOutcome> result : results) {
                if (result instanceof HostResult.Done<RollbackOutcome> done) {
                    out().println(line(result.host(), done.value()));
                    done.value().healthChecks().forEach(check -> err().println(result.host().name() + ": health: "
                            + check));
                }
            }
            out().flush();
            HostResults.printErrors(results, err(), common.verbose);
            return code;
        }
    }

    /**
     * {@code web1: generation 2 -> 1 (restart web)}; on a host that starts no services,
     * {@code laptop: generation 2 -> 1 (web changed; recorded only: local target without services: systemd)}.
     */
    static String line(Host host, RollbackOutcome outcome) {
        String services = ServiceWords.phrase(outcome.serviceChanges(), outcome.servicesStarted(), host);
        return host.name() + ": generation " + outcome.from() + " -> " + outcome.to()
                + (services.isEmpty() ? "" : " (" + services + ")");
    }
}
