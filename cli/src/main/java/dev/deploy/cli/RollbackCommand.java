package dev.deploy.cli;

import dev.deploy.event.EventSink;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostResult;
import dev.deploy.fleet.Outcome;
import dev.deploy.fleet.RollbackOutcome;
import dev.deploy.plan.HostPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deploy rollback}: switch hosts back to an earlier generation. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Switch each selected host back to the newest generation before its current one that is not",
            "marked failed, or to --to N (a failed one only with --force).",
            "The switch is one atomic rename of 'current'; services whose units differ are restarted, removed ones",
            "stopped, new ones started. Nothing is pushed: the generation's store paths must still be on the host."},
        footer = ExitCodes.HELP)
final class RollbackCommand extends HostsCommand {

    @Option(names = "--to", paramLabel = "N", description = "Generation number to switch to.")
    Integer to;

    @Option(names = "--force", description = "With --to: switch to a generation even if it is marked failed.")
    boolean force;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "Hosts rolled back at the same time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() {
        try (Deployment deployment = open()) {
            List<HostResult<RollbackOutcome>> results = deployment.executor(parallel, EventSink.NONE)
                    .run(deployment.hosts(), "rollback",
                            (host, events) -> host.rollback(Optional.ofNullable(to), force, events));
            Map<String, Object> doc = Json.document("rollback");
            List<Object> hosts = new ArrayList<>();
            for (HostResult<RollbackOutcome> result : results) {
                String name = result.host().name();
                if (!(result instanceof HostResult.Done<RollbackOutcome> done)) {
                    String error = HostResults.message(result).orElse("");
                    hosts.add(Map.of("host", name, "result", "failed", "outcome", Outcome.of(result).label(),
                            "error", error));
                    continue;
                }
                RollbackOutcome outcome = done.value();
                List<String> actions = new ArrayList<>();
                for (HostPlan.ServiceChange change : outcome.serviceChanges()) {
                    actions.add(change.action().name().toLowerCase(Locale.ROOT) + " " + change.service());
                }
                if (!common.json) {
                    out().println(name + ": generation " + outcome.from() + " -> " + outcome.to()
                            + (actions.isEmpty() ? "" : " (" + String.join(", ", actions) + ")"));
                    outcome.healthChecks().forEach(check -> err().println(name + ": health: " + check));
                }
                Map<String, Object> host = new LinkedHashMap<>();
                host.put("host", name);
                host.put("result", "ok");
                host.put("from", outcome.from());
                host.put("to", outcome.to());
                host.put("services", actions);
                host.put("healthChecks", outcome.healthChecks());
                hosts.add(host);
            }
            if (common.json) {
                doc.put("hosts", hosts);
                printJson(doc);
            } else {
                HostResults.printErrors(results, err(), common.verbose);
            }
            out().flush();
            return HostResults.exitCode(results);
        }
    }
}
